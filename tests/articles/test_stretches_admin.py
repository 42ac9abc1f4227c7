import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Muscle, Stretch
from tests.factories import MuscleFactory, StretchFactory
from tests.harness.editing import edit_marker

pytestmark = pytest.mark.django_db


def muscle_form(muscle=None, **overrides):
    data = {
        "name": "Gluteus medius",
        "slug": "gluteus-medius",
        "other_names": "Glute med",
        "summary": "The muscle on the side of the hip that keeps the pelvis level.",
        "order": "5",
        "location": "On the side of the hip.",
        "action": "Keeps the pelvis level when you stand on one leg.",
        "why_it_tightens": "- Standing on one leg a lot.",
        "trigger_points": "",
        "referred_pain": "",
        "referral_regions": ["buttock", "outer-hip"],
        "body_view": "back",
    }
    data.update(overrides)
    return data


def stretch_fields(prefix="stretches-0-", **overrides):
    fields = {
        "name": "Cross-legged glute stretch",
        "slug": "cross-legged-glute-stretch",
        "order": "0",
        "summary": "A lying stretch for the side of the hip.",
        "technique": "static",
        "steps": "1. Lie on your back.\n\n2. Cross one ankle over the other knee.\n  Hold and breathe.  ",
        "hold_seconds": "30",
        "repetitions": "3",
        "rest_seconds": "15",
        "contract_seconds": "0",
        "relax_seconds": "0",
        "sides": "one",
        "what_you_should_feel": "A pull in the buttock.",
        "cautions": "- Stop if it hurts.",
        "illustration": "",
        "image_alt": "",
        "video_url": "",
    }
    fields.update(overrides)
    return {prefix + name: value for name, value in fields.items()}


def test_editors_can_manage_muscles_and_stretches_and_read_their_history():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_muscle", "change_muscle", "add_stretch", "change_stretch", "delete_stretch"} <= codenames
    assert {"view_historicalmuscle", "view_historicalstretch"} <= codenames


@pytest.mark.parametrize(
    "url_name",
    ["admin:articles_muscle_changelist", "admin:articles_muscle_add", "admin:articles_stretch_changelist",
     "admin:articles_stretch_add"],
)  # fmt: skip
def test_admin_pages_load_for_an_editor(editor_client, url_name):
    StretchFactory()
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_muscle_change_page_lists_its_stretches_as_links_instead_of_an_inline(editor_client):
    """The muscle's page holds no stretch forms: each stretch, in reading order, links to its own change page."""
    muscle = MuscleFactory(name="Hip flexors")
    second = StretchFactory(muscle=muscle, name="Standing lunge", order=2)
    first = StretchFactory(muscle=muscle, name="Kneeling lunge", order=1)
    StretchFactory(name="Someone else's stretch")
    page = editor_client.get(reverse("admin:articles_muscle_change", args=[muscle.pk])).content.decode()
    assert 'name="stretches-' not in page and "<textarea" in page  # the muscle's own fields are still there
    links = re.findall(r'<ol class="stretch-links">(.*?)</ol>', page, re.S)[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', links) == [
        (reverse("admin:articles_stretch_change", args=[first.pk]), "Kneeling lunge"),
        (reverse("admin:articles_stretch_change", args=[second.pk]), "Standing lunge"),
    ]
    back = f"_changelist_filters=muscle__id__exact%3D{muscle.pk}"
    assert f'href="{reverse("admin:articles_stretch_add")}?muscle={muscle.pk}&amp;{back}"' in page
    assert "Add a stretch for this muscle" in page
    assert 'name="referral_regions" value="buttock"' in page
    assert "View on site" in page
    history = editor_client.get(reverse("admin:articles_muscle_history", args=[muscle.pk]))
    assert history.status_code == 200


def test_the_add_a_stretch_link_opens_a_stretch_form_for_that_muscle(editor_client):
    muscle = MuscleFactory(name="Hamstrings")
    MuscleFactory(name="Adductors")
    back = f"_changelist_filters=muscle__id__exact%3D{muscle.pk}"
    url = f"{reverse('admin:articles_stretch_add')}?muscle={muscle.pk}&{back}"
    page = editor_client.get(url).content.decode()
    assert re.search(rf'<option value="{muscle.pk}" selected>Hamstrings</option>', page)
    response = editor_client.post(url, {"muscle": muscle.pk, **stretch_fields(prefix="")})
    assert response.status_code == 302
    # Back to the list of this muscle's stretches.
    assert response["Location"] == f"{reverse('admin:articles_stretch_changelist')}?muscle__id__exact={muscle.pk}"
    assert muscle.stretches.get().name == "Cross-legged glute stretch"


def test_a_new_muscle_page_says_to_save_before_adding_stretches(editor_client):
    page = editor_client.get(reverse("admin:articles_muscle_add")).content.decode()
    assert "Save the muscle first; then add its stretches from here." in page


def test_editor_adds_a_muscle_then_its_stretch_on_the_stretch_page(editor_client):
    """Steps typed one per line (numbers and blank lines tidied away) are saved as a list."""
    response = editor_client.post(reverse("admin:articles_muscle_add"), muscle_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    muscle = Muscle.objects.get(slug="gluteus-medius")
    assert muscle.referral_regions == ["buttock", "outer-hip"]
    stretch_data = {"muscle": muscle.pk, **stretch_fields(prefix="")}
    added = editor_client.post(reverse("admin:articles_stretch_add"), stretch_data)
    assert added.status_code == 302
    stretch = muscle.stretches.get()
    assert stretch.steps == ["Lie on your back.", "Cross one ankle over the other knee.", "Hold and breathe."]
    assert stretch.history.count() == 1 and muscle.history.count() == 1


def test_stretch_admin_round_trips_steps(editor_client):
    stretch = StretchFactory(steps=["Sit down.", "Reach forward."])
    url = reverse("admin:articles_stretch_change", args=[stretch.pk])
    page = editor_client.get(url).content.decode()
    assert "Sit down.\nReach forward.</textarea>" in page
    data = {
        "muscle": stretch.muscle.pk,
        **stretch_fields(prefix="", slug=stretch.slug, steps="Sit down.\nReach forward.\nBreathe out."),
    }
    assert editor_client.post(url, {**data, **edit_marker(editor_client, url)}).status_code == 302
    stretch.refresh_from_db()
    assert stretch.steps == ["Sit down.", "Reach forward.", "Breathe out."]
    assert stretch.history.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"steps": "\n  \n"}, "Write the steps, one per line."),
        ({"steps": "\n".join(f"Step {n}" for n in range(20))}, "15 steps or fewer"),
        ({"steps": "x" * 600}, "Step 1 is longer than 500 characters"),
        # Regression: a NUL in a step was stored on SQLite and was a server error on PostgreSQL (jsonb).
        ({"steps": "Sit down.\nBreathe\x00 out."}, "Null characters are not allowed"),
        ({"technique": "contract_relax", "contract_seconds": "0"}, "push time of at least 1 second"),
        ({"video_url": "https://example.com/video"}, "YouTube or Vimeo"),
        ({"illustration": "img/stretches/missing.svg"}, "No shipped file at this path"),
        ({"illustration": "img/stretches/childs-pose.svg", "image_alt": ""}, "Describe the illustration"),
    ],
)
def test_stretch_admin_shows_validation_errors(editor_client, overrides, message):
    muscle = MuscleFactory()
    data = {"muscle": muscle.pk, **stretch_fields(prefix="", **overrides)}
    response = editor_client.post(reverse("admin:articles_stretch_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Stretch.objects.exists()


def test_changelists_search_and_count_stretches(editor_client):
    StretchFactory.create_batch(2, muscle=MuscleFactory(name="Piriformis"))
    MuscleFactory(name="Psoas minor")
    page = editor_client.get(reverse("admin:articles_muscle_changelist"), {"q": "Piriformis"}).content.decode()
    assert "Piriformis" in page and "Psoas minor" not in page
    assert '<td class="field-stretch_count">2</td>' in page
    stretches = editor_client.get(reverse("admin:articles_stretch_changelist"), {"q": "Piriformis"}).content.decode()
    assert stretches.count('class="field-dose"') == 2


def test_article_admin_links_an_article_to_its_muscles(editor_client):
    muscle = MuscleFactory(name="Piriformis")
    page = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'name="related_muscles"' in page
    lookup = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Piri", "app_label": "articles", "model_name": "article", "field_name": "related_muscles"},
    )
    assert lookup.json()["results"] == [{"id": str(muscle.pk), "text": "Piriformis"}]
