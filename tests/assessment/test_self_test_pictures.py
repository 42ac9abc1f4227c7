"""Every self-test page shows a drawing of how to do the check, described for readers who cannot see it."""

import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse

from assessment.models import Question, SelfTest
from backpain.models import DemoContent
from backpain.seeding import checksum, read_yaml
from tests.harness.editing import edit_marker

from .scenarios import asked_questions, start_run

SELF_TESTS_YAML = Path(__file__).resolve().parents[2] / "assessment" / "site_content" / "self_tests.yaml"
SHIPPED = read_yaml(SELF_TESTS_YAML)


class _Images(HTMLParser):
    """Every <img> of a page, with its attributes and whether it sits in a <figure>."""

    def __init__(self):
        super().__init__()
        self.images, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "figure":
            self.depth += 1
        elif tag == "img":
            self.images.append({**dict(attrs), "in_figure": self.depth > 0})

    def handle_endtag(self, tag):
        if tag == "figure":
            self.depth -= 1


def images_of(response):
    reader = _Images()
    reader.feed(response.content.decode())
    return reader.images


@pytest.mark.parametrize("item", SHIPPED, ids=[item["slug"] for item in SHIPPED])
def test_each_shipped_self_test_names_a_small_drawing_that_exists_and_describes_it(item):
    found = finders.find(item["illustration"])
    assert found, item["illustration"]
    svg = Path(found)
    assert 0 < svg.stat().st_size < 6 * 1024
    assert ET.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"  # noqa: S314 (our own shipped file)
    assert len(item["illustration_alt"].strip()) > 40


def test_each_self_test_page_shows_its_drawing_with_the_alt_text(client, site_content):
    tests = list(SelfTest.objects.all())
    assert {test.slug for test in tests} == {item["slug"] for item in SHIPPED}
    for test in tests:
        assert test.illustration and test.illustration_alt
        pictures = [img for img in images_of(client.get(test.get_absolute_url())) if img["in_figure"]]
        assert [(img["src"], img["alt"]) for img in pictures] == [(static(test.illustration), test.illustration_alt)]


def test_a_self_test_without_a_drawing_shows_no_empty_figure(client, site_content):
    SelfTest.objects.filter(slug="one-leg-stand").update(illustration="", illustration_alt="")
    response = client.get(reverse("assessment:self-test", args=["one-leg-stand"]))
    assert response.status_code == 200
    assert "<figure" not in response.content.decode()


def test_a_question_that_links_to_a_self_test_shows_its_drawing(client, site_content):
    start_run(client)
    number, question = next((n, q) for n, q in enumerate(asked_questions(), start=1) if q.self_test_id)
    test = question.self_test
    response = client.get(reverse("assessment:question", args=[number]))
    assert {"src": static(test.illustration), "alt": test.illustration_alt}.items() <= next(
        img for img in images_of(response) if img["src"] == static(test.illustration)
    ).items()


def test_a_questions_own_picture_takes_the_place_of_the_self_tests(client, site_content):
    start_run(client)
    number, question = next((n, q) for n, q in enumerate(asked_questions(), start=1) if q.self_test_id)
    Question.objects.filter(pk=question.pk).update(image="questions/own.png", image_alt="The question's own picture")
    images = images_of(client.get(reverse("assessment:question", args=[number])))
    assert "The question's own picture" in [img["alt"] for img in images]
    assert static(question.self_test.illustration) not in [img["src"] for img in images]


def reload():
    call_command("load_selfcheck_content", stdout=io.StringIO())


def test_a_site_loaded_before_the_drawings_gets_them_even_where_an_editor_changed_the_text(site_content):
    SelfTest.objects.update(illustration="", illustration_alt="")
    DemoContent.objects.filter(key__startswith="selftest-picture:").delete()
    SelfTest.objects.filter(slug="thomas-test").update(title="Edited by an editor")
    reload()
    thomas = SelfTest.objects.get(slug="thomas-test")
    assert thomas.title == "Edited by an editor"
    assert thomas.illustration == "img/self-tests/thomas-test.svg"
    assert all(test.illustration and test.illustration_alt for test in SelfTest.objects.all())


def test_reloading_keeps_an_editors_own_picture_and_a_removed_one(site_content):
    SelfTest.objects.filter(slug="thomas-test").update(
        illustration="img/stretches/edge-of-bed-hip-flexor-stretch.svg", illustration_alt="The editor's words."
    )
    SelfTest.objects.filter(slug="one-leg-stand").update(illustration="", illustration_alt="")
    # A picture an editor chose before the shipped one arrived is kept too.
    DemoContent.objects.filter(key="selftest-picture:hip-bone-check").delete()
    SelfTest.objects.filter(slug="hip-bone-check").update(illustration_alt="Described by an editor.")
    reload()
    pictures = dict(SelfTest.objects.values_list("slug", "illustration_alt"))
    assert pictures["thomas-test"] == "The editor's words."
    assert pictures["one-leg-stand"] == ""
    assert pictures["hip-bone-check"] == "Described by an editor."
    assert SelfTest.objects.get(slug="thomas-test").illustration == "img/stretches/edge-of-bed-hip-flexor-stretch.svg"


def test_a_changed_shipped_drawing_replaces_an_unedited_one(site_content):
    older = {"illustration": "img/stretches/childs-pose.svg", "illustration_alt": "An older shipped drawing."}
    SelfTest.objects.filter(slug="march-and-stop").update(**older)
    DemoContent.objects.filter(key="selftest-picture:march-and-stop").update(checksum=checksum(older))
    reload()
    assert SelfTest.objects.get(slug="march-and-stop").illustration == "img/self-tests/march-and-stop.svg"


def self_test_form(test, **overrides):
    data = {
        "title": test.title,
        "slug": test.slug,
        "summary": test.summary,
        "you_need": test.you_need,
        "steps": test.steps,
        "what_it_tells_you": test.what_it_tells_you,
        "safety": test.safety,
        "illustration": test.illustration,
        "illustration_alt": test.illustration_alt,
        "minutes": test.minutes,
        "order": test.order,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"illustration": "img/self-tests/missing.svg"}, "No shipped file at this path"),
        ({"illustration": "../backpain/settings.py"}, "No shipped file at this path"),
        ({"illustration_alt": "  "}, "Describe the drawing for people who cannot see it."),
    ],
)
def test_the_admin_refuses_a_drawing_that_is_not_shipped_or_not_described(
    editor_client, site_content, overrides, message
):
    test = SelfTest.objects.get(slug="thomas-test")
    url = reverse("admin:assessment_selftest_change", args=[test.pk])
    response = editor_client.post(url, {**self_test_form(test, **overrides), **edit_marker(editor_client, url)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SelfTest.objects.get(pk=test.pk).illustration == "img/self-tests/thomas-test.svg"


def test_the_admin_saves_another_shipped_drawing_and_previews_it(editor_client, site_content):
    test = SelfTest.objects.get(slug="thomas-test")
    url = reverse("admin:assessment_selftest_change", args=[test.pk])
    other = "img/stretches/edge-of-bed-hip-flexor-stretch.svg"
    data = self_test_form(test, illustration=other, illustration_alt="Lying at the edge.")
    response = editor_client.post(url, {**data, **edit_marker(editor_client, url)})
    assert response.status_code == 302
    page = editor_client.get(url)
    assert {"src": static(other), "alt": "Lying at the edge."}.items() <= images_of(page)[-1].items()
    listing = editor_client.get(reverse("admin:assessment_selftest_changelist"))
    assert static("img/self-tests/belt-line-check.svg") in {img["src"] for img in images_of(listing)}
