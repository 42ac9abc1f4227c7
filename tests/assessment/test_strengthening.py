"""Gentle strengthening for the muscles often weak in each pattern: shipped, careful, editable in the admin, and
loaded without overwriting an editor's words."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment.models import Imbalance
from backpain.models import DemoContent
from tests.harness.editing import edit_marker

from .scenarios import text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")


def test_the_page_gives_each_pattern_its_weak_muscles_and_exercises(client):
    response = client.get(reverse("assessment:strengthening"))
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    for imbalance in Imbalance.objects.all():
        assert f'<section id="{imbalance.slug}"' in html
        assert imbalance.muscles_to_strengthen in page
        assert imbalance.strengthening_html and imbalance.strengthening_html in html
    for exercise in ("Bridge", "Bird dog", "Clam", "Side-lying leg lift"):
        assert exercise in page


def test_the_page_is_honest_and_careful(client):
    page = text_of(client.get(reverse("assessment:strengthening")))
    assert "no proof that making these muscles stronger changes how your pelvis sits" in page
    assert "NICE" in page
    for caution in ("after about 16 weeks", "Osteoporosis", "A hip replacement", "worse when you bend backwards"):
        assert caution in page
    assert "Sharp or shooting pain, numbness or tingling is not: stop" in page


def test_the_page_is_in_the_sitemap_and_cached_like_any_public_page(client):
    url = reverse("assessment:strengthening")
    assert url in client.get(reverse("sitemap")).content.decode()
    first = client.get(url)
    assert "no-store" not in first.get("Cache-Control", "")


def test_an_editor_can_change_the_exercises_in_the_admin(editor_client):
    imbalance = Imbalance.objects.get(slug="pelvic-rotation")
    change = reverse("admin:assessment_imbalance_change", args=[imbalance.pk])
    assert 'name="strengthening"' in editor_client.get(change).content.decode()
    data = {
        "slug": imbalance.slug,
        "name": imbalance.name,
        "summary": imbalance.summary,
        "side_reading": imbalance.side_reading,
        "other_tight_muscles": imbalance.other_tight_muscles,
        "muscles_to_strengthen": imbalance.muscles_to_strengthen,
        "strengthening": "**Walking.** Build up slowly, a few minutes more each week.",
        "order": imbalance.order,
        "stretch_links-TOTAL_FORMS": "0",
        "stretch_links-INITIAL_FORMS": "0",
        "stretch_links-MIN_NUM_FORMS": "0",
        "stretch_links-MAX_NUM_FORMS": "1000",
    }
    links = list(imbalance.stretch_links.all())
    data["stretch_links-TOTAL_FORMS"] = data["stretch_links-INITIAL_FORMS"] = str(len(links))
    for index, link in enumerate(links):
        data.update(
            {
                f"stretch_links-{index}-id": link.pk,
                f"stretch_links-{index}-imbalance": imbalance.pk,
                f"stretch_links-{index}-order": link.order,
                f"stretch_links-{index}-muscle": link.muscle_id,
                f"stretch_links-{index}-side": link.side,
                f"stretch_links-{index}-stretch": link.stretch_id or "",
            }
        )
    response = editor_client.post(change, {**data, **edit_marker(editor_client, change)})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = text_of(editor_client.get(reverse("assessment:strengthening")))
    assert "Walking. Build up slowly, a few minutes more each week." in page


def test_reloading_keeps_an_editors_words_and_fills_a_site_loaded_before_them():
    Imbalance.objects.filter(slug="anterior-pelvic-tilt").update(strengthening="An editor's own exercises.")
    # A site loaded before the exercises shipped: the text is empty and no record of it exists yet.
    Imbalance.objects.filter(slug="posterior-pelvic-tilt").update(strengthening="", strengthening_html="")
    DemoContent.objects.filter(key="imbalance-strengthening:posterior-pelvic-tilt").delete()
    call_command("load_selfcheck_content", stdout=io.StringIO())
    assert Imbalance.objects.get(slug="anterior-pelvic-tilt").strengthening == "An editor's own exercises."
    posterior = Imbalance.objects.get(slug="posterior-pelvic-tilt")
    assert "Bird dog" in posterior.strengthening and "Bird dog" in posterior.strengthening_html


def test_saving_only_the_exercises_renders_them_too():
    imbalance = Imbalance.objects.get(slug="lateral-pelvic-tilt")
    imbalance.strengthening = "**Side step.** Step sideways along a wall."
    imbalance.save(update_fields=["strengthening"])
    imbalance.refresh_from_db()
    assert "<strong>Side step.</strong>" in imbalance.strengthening_html
