"""The data migration from the old sides ("both", "detected") to "one" and "together", and what the loader does next."""

import importlib
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

import articles.migrations
from articles.management.commands.load_muscles_content import STRETCH_FIELDS
from articles.models import Stretch
from backpain.models import DemoContent
from backpain.seeding import checksum
from tests.factories import StretchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def migration():
    # Found by name, not number: migrations may be renumbered when branches merge.
    (path,) = Path(articles.migrations.__file__).parent.glob("*_stretch_sides_one_or_together.py")
    return importlib.import_module(f"articles.migrations.{path.stem}")


@pytest.fixture
def apps(migration):
    """The models as the migration saw them (some have moved app since), over the same tables."""
    loader = MigrationLoader(connection)
    return loader.project_state(("articles", migration.__name__.rsplit(".", 1)[-1])).apps


def set_old_sides(stretch, sides, **fields):
    """Put the stretch back as the old code stored it (the database takes any text)."""
    Stretch.objects.filter(pk=stretch.pk).update(sides=sides, **fields)
    stretch.history.update(sides=sides)


def test_the_mapping_both_ways(migration):
    forward = migration.forward_value
    assert forward("knees-to-chest", "both") == "together"
    assert forward("childs-pose", "both") == "together"
    assert forward("lying-butterfly-stretch", "both") == "together"
    assert forward("seated-forward-bend-contract-relax", "detected") == "together"
    assert forward("childs-pose-side-reach", "detected") == "one"
    assert forward("kneeling-hip-flexor-stretch", "both") == "one"
    assert forward("an-editors-stretch", "detected") == "one"
    assert forward("an-editors-stretch", "together") == "together"  # already migrated: left alone
    assert {migration.backward_value(slug, value) for slug, value in [("childs-pose", "together"), ("x", "one")]} == {
        "both"
    }


def test_rows_and_their_history_are_converted_and_back(migration, apps):
    hug = StretchFactory(slug="knees-to-chest")
    side_reach = StretchFactory(slug="childs-pose-side-reach")
    lunge = StretchFactory(slug="lunge")
    set_old_sides(hug, "both")
    set_old_sides(side_reach, "detected")
    set_old_sides(lunge, "both")

    migration.forwards(apps, None)
    assert dict(Stretch.objects.values_list("slug", "sides")) == {
        "knees-to-chest": "together",
        "childs-pose-side-reach": "one",
        "lunge": "one",
    }
    assert {record.sides for record in hug.history.all()} == {"together"}
    assert {record.sides for record in side_reach.history.all()} == {"one"}

    migration.backwards(apps, None)
    assert set(Stretch.objects.values_list("sides", flat=True)) == {"both"}
    assert set(Stretch.history.values_list("sides", flat=True)) == {"both"}


def loaded_fingerprint(stretch):
    """The fingerprint load_muscles_content keeps for a shipped stretch with these values."""
    stretch.refresh_from_db()
    return checksum({name: getattr(stretch, name) for name in [*STRETCH_FIELDS, "image_alt", "order"]})


def test_unedited_shipped_stretches_are_still_updated_by_the_next_load(migration, apps):
    """An install loaded with the old content: the migration keeps its unedited stretches unedited, so the
    next load_site_content brings in the new steps; an editor's own change is still kept."""
    call_command("load_site_content", stdout=io.StringIO())
    childs_pose = Stretch.objects.get(slug="childs-pose")
    kneeling = Stretch.objects.get(slug="kneeling-hip-flexor-stretch")
    hug = Stretch.objects.get(slug="knees-to-chest")
    shipped_steps = list(childs_pose.steps)
    for stretch, sides in [(childs_pose, "both"), (kneeling, "detected")]:
        set_old_sides(stretch, sides, steps=["Hold for 30 seconds. Do 3 holds, then swap sides."])
        DemoContent.objects.filter(key=f"stretch:{stretch.muscle.slug}/{stretch.slug}").update(
            checksum=loaded_fingerprint(stretch)
        )  # as the old loader left it: unedited
    set_old_sides(hug, "both", steps=["An editor's own words."])  # changed after loading: edited

    migration.forwards(apps, None)
    call_command("load_site_content", stdout=io.StringIO())

    childs_pose.refresh_from_db()
    kneeling.refresh_from_db()
    hug.refresh_from_db()
    assert childs_pose.sides == "together" and childs_pose.steps == shipped_steps
    assert kneeling.sides == "one" and "This example stretches the left hip" in kneeling.steps[0]
    assert hug.sides == "together" and hug.steps == ["An editor's own words."]
