"""The migration to named reviewers keeps every article's review dates and names, and drops team names."""

import datetime
import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader

import articles.migrations
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def migration():
    # Found by name, not number: migrations may be renumbered when branches merge.
    (path,) = Path(articles.migrations.__file__).parent.glob("*_review_fields_and_sources.py")
    return importlib.import_module(f"articles.migrations.{path.stem}")


@pytest.fixture
def apps(migration):
    loader = MigrationLoader(connection)
    return loader.project_state(("articles", migration.__name__.rsplit(".", 1)[-1])).apps


def test_it_renames_the_reviewer_and_never_drops_the_dates(migration):
    ops = migration.Migration.operations
    renames = [(op.model_name, op.old_name, op.new_name) for op in ops if isinstance(op, operations.RenameField)]
    assert ("article", "reviewed_by", "reviewer_name") in renames
    dropped = {op.name for op in ops if isinstance(op, operations.RemoveField) and op.model_name == "article"}
    assert dropped.isdisjoint({"reviewed_on", "next_review_due", "reviewed_by"})


def test_team_names_go_and_named_reviewers_are_split_into_name_and_role(migration, apps):
    dates = {"reviewed_on": datetime.date(2026, 11, 2), "next_review_due": datetime.date(2027, 11, 2)}
    team = ArticleFactory(reviewer_name="Back Pain Advisor editorial team", **dates)
    person = ArticleFactory(reviewer_name="Jo Bloggs, chartered physiotherapist", **dates)
    migration.split_reviewer(apps, None)
    team.refresh_from_db()
    person.refresh_from_db()
    assert (team.reviewer_name, team.reviewer_role) == ("", "")
    assert (person.reviewer_name, person.reviewer_role) == ("Jo Bloggs", "chartered physiotherapist")
    assert all(getattr(article, name) == value for article in (team, person) for name, value in dates.items())
    migration.join_reviewer(apps, None)
    assert Article.objects.get(pk=person.pk).reviewer_name == "Jo Bloggs, chartered physiotherapist"
