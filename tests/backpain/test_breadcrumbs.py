"""The one breadcrumbs tag: the visible trail and its BreadcrumbList JSON-LD, on every page that has a trail."""

import json
import re
from html import unescape

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from assessment.models import SelfTest
from tests.factories import ArticleFactory, MuscleFactory, StretchFactory

pytestmark = pytest.mark.django_db

TRAIL = re.compile(r'<nav aria-label="Breadcrumb" class="breadcrumbs"><ol class="breadcrumb">(.*?)</ol></nav>', re.S)
CRUMB = re.compile(
    r'<li class="breadcrumb-item(?: active" aria-current="page)?">(?:<a href="([^"]*)">)?(.*?)(?:</a>)?</li>'
)


def render(source, **context):
    request = RequestFactory().get("/somewhere/")
    return Template("{% load breadcrumbs %}" + source).render(Context({"request": request, **context}))


def visible_trail(html):
    """``[(label, href), ...]`` as a reader sees the trail; the current page's href is ``None``."""
    (trail,) = TRAIL.findall(html)
    return [(unescape(label), href or None) for href, label in CRUMB.findall(trail)]


def breadcrumb_lists(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [data for data in map(json.loads, blocks) if data["@type"] == "BreadcrumbList"]


def test_links_may_be_url_names_paths_or_objects_and_the_current_page_has_none():
    muscle = MuscleFactory(name="Hip flexors", slug="hip-flexors")
    source = '{% breadcrumbs "Stretches" "articles:stretches" muscle.name muscle "Pages" "/about/" "Here" %}'
    html = render(source, muscle=muscle)
    assert visible_trail(html) == [
        ("Home", "/"), ("Stretches", "/stretches/"), ("Hip flexors", "/stretches/hip-flexors/"), ("Pages", "/about/"),
        ("Here", None),
    ]  # fmt: skip
    assert '<li class="breadcrumb-item active" aria-current="page">Here</li>' in html
    (data,) = breadcrumb_lists(html)
    assert data["@context"] == "https://schema.org"
    items = data["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3, 4, 5]
    assert [item["name"] for item in items] == ["Home", "Stretches", "Hip flexors", "Pages", "Here"]
    assert [item.get("item") for item in items] == [
        "http://testserver/", "http://testserver/stretches/", "http://testserver/stretches/hip-flexors/",
        "http://testserver/about/", None,
    ]  # fmt: skip


def test_without_a_request_links_are_made_absolute_from_site_url(settings):
    settings.SITE_URL = "https://backpain.example/"
    html = Template('{% load breadcrumbs %}{% breadcrumbs "Articles" "/articles/" "One" %}').render(Context())
    (data,) = breadcrumb_lists(html)
    assert data["itemListElement"][1]["item"] == "https://backpain.example/articles/"


def test_a_label_cannot_break_out_of_the_page_or_the_json():
    """Markup in a label is shown as text in the trail and escaped like json_script in the JSON-LD."""
    html = render("{% breadcrumbs title %}", title="</script><script>alert(1)</script> & more")
    assert "<script>alert(1)" not in html
    assert visible_trail(html)[-1] == ("</script><script>alert(1)</script> & more", None)
    assert "\\u003C/script\\u003E" in html and "\\u0026 more" in html
    (data,) = breadcrumb_lists(html)
    assert data["itemListElement"][-1]["name"] == "</script><script>alert(1)</script> & more"


@pytest.mark.parametrize("source", ["{% breadcrumbs %}", '{% breadcrumbs "Articles" "articles:list" %}'])
def test_a_trail_without_a_current_page_is_a_template_error(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


def page_urls():
    article = ArticleFactory(title="Bedtime routine")
    stretch = StretchFactory()
    self_test = SelfTest.objects.order_by("pk").first()
    return [
        reverse("articles:list") + "?page=1", article.get_absolute_url(), article.category.get_absolute_url(),
        reverse("articles:stretches"), stretch.muscle.get_absolute_url(), stretch.get_absolute_url(),
        reverse("articles:search") + "?q=back", reverse("articles:site-map"), reverse("articles:about"),
        reverse("articles:contact"), reverse("articles:contact-thanks"), reverse("assessment:start"),
        reverse("assessment:self-tests"), self_test.get_absolute_url(),
    ]  # fmt: skip


def test_every_trail_is_also_a_breadcrumb_list_with_the_same_names_and_links(client, site_content):
    """The JSON-LD names each crumb a reader sees, in order, with the same links made absolute."""
    checked = 0
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert TRAIL.search(html), f"{url} has no breadcrumb trail"
        checked += 1
        trail = visible_trail(html)
        (data,) = breadcrumb_lists(html)
        seen = [(item["name"], item.get("item")) for item in data["itemListElement"]]
        expected = [(label, href and "http://testserver" + href) for label, href in trail]
        assert seen == expected, url
    assert checked == 14  # every page above, the article list included


def test_the_self_check_steps_sit_under_the_self_check_and_a_result_link_stays_out_of_the_json(client, site_content):
    """Warning signs, a question, check your answers and the result each show Home > The self-check > the
    step, in the JSON-LD too; the current step has no link, so a saved result's private address is not in it."""
    from tests.assessment.scenarios import answer_all, finish, start_run

    client.post(reverse("assessment:start"))
    pages = {"Warning signs": client.get(reverse("assessment:warning-signs"))}
    start_run(client)
    pages["Questions"] = client.get(reverse("assessment:question", args=[1]))
    answer_all(client, "anterior")
    pages["Check your answers"] = client.get(reverse("assessment:check"))
    client.cookies.clear()
    pages["Your result"] = result = finish(client, "anterior")
    for step, response in pages.items():
        html = response.content.decode()
        assert visible_trail(html) == [("Home", "/"), ("The self-check", "/assessment/"), (step, None)], step
        (data,) = breadcrumb_lists(html)
        assert [item["name"] for item in data["itemListElement"]] == ["Home", "The self-check", step]
        assert "item" not in data["itemListElement"][-1]
    token = result.wsgi_request.path.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) > 20 and token not in json.dumps(breadcrumb_lists(result.content.decode()))
