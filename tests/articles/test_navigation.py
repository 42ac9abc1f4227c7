"""Where a reader is: the main menu marks the right section (or none) on every page, and every page below
home has a breadcrumb trail with its JSON-LD. Every address in the sitemap is checked, then the pages the
sitemap leaves out (search, the thank-you page, the self-check's steps and result, pages shown again
after a failed form)."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from articles.forms import CommentForm, target_key
from tests.articles.comments_support import post_comment
from tests.assessment.scenarios import answer_all, finish, start_run
from tests.harness.pages import breadcrumbs_of, current_menu_item

pytestmark = pytest.mark.django_db

# What a reader expects, by where a page sits in the site's addresses: the menu item of its section.
SECTIONS = [("/articles/", "Articles"), ("/stretches/", "Stretches"), ("/assessment/", "Self-check")]
SECTIONS += [("/search/", "Search")]


def expected_section(path):
    return next((label for prefix, label in SECTIONS if path.startswith(prefix)), "")


def sitemap_paths(client):
    xml = client.get(reverse("sitemap")).content.decode()
    return [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]


def test_every_page_in_the_sitemap_marks_its_own_menu_item_or_none_and_has_breadcrumbs(client, site_content):
    paths = sitemap_paths(client)
    assert len(paths) > 40 and "/about/" in paths and "/articles/" in paths
    for path in paths:
        html = client.get(path).content.decode()
        assert current_menu_item(html) == expected_section(path), path
        if path == "/":
            assert 'aria-label="Breadcrumb"' not in html
        else:
            trail = breadcrumbs_of(html)
            assert trail[0] == "Home" and len(trail) >= 2, path


@pytest.mark.parametrize(
    ("name", "footer_link"),
    [
        ("articles:about", "About"),
        ("articles:disclaimer", "Disclaimer"),
        ("articles:privacy", "Privacy policy"),
        ("articles:site-map", "Site map"),
        ("articles:contact", "Contact us"),
    ],
)
def test_the_site_s_own_pages_mark_no_menu_item_and_their_footer_link_instead(client, site_content, name, footer_link):
    """About, the disclaimer, privacy, the site map and contact are not articles: "Articles" stays unmarked."""
    html = client.get(reverse(name)).content.decode()
    assert current_menu_item(html) == ""
    footer = html[html.index('<nav aria-label="Footer">') :]
    assert re.findall(r'aria-current="page">([^<]+)</a>', footer) == [footer_link]


def test_the_article_list_has_a_trail_and_marks_articles_in_the_menu_and_the_footer(client, site_content):
    html = client.get(reverse("articles:list")).content.decode()
    assert breadcrumbs_of(html) == ["Home", "Articles"]
    assert current_menu_item(html) == "Articles"
    assert 'aria-current="page">All articles</a>' in html
    assert breadcrumbs_of(client.get(reverse("articles:list") + "?page=2").content.decode()) == ["Home", "Articles"]


def test_pages_outside_the_sitemap_mark_the_right_menu_item_and_have_breadcrumbs(client, site_content):
    """Search, the contact thank-you page, the self-check's steps, its result and the pages a failed form shows
    again, each with what it should mark and the last crumb of its trail."""
    from articles.models import Article, Stretch

    article = Article.objects.published().first()
    stretch = Stretch.objects.first()
    pages = {
        "search": (client.get(reverse("articles:search") + "?q=hamstring"), "Search", "Search"),
        "contact thanks": (client.get(reverse("articles:contact-thanks")), "", None),
        "self-tests": (client.get(reverse("assessment:self-tests")), "Self-check", "Home self-tests"),
    }
    client.post(reverse("assessment:start"))
    pages["warning signs"] = (client.get(reverse("assessment:warning-signs")), "Self-check", "Warning signs")
    start_run(client)
    pages["question"] = (client.get(reverse("assessment:question", args=[1])), "Self-check", "Questions")
    answer_all(client, "anterior")
    pages["check"] = (client.get(reverse("assessment:check")), "Self-check", "Check your answers")
    client.cookies.clear()
    pages["result"] = (finish(client, "anterior"), "Self-check", "Your result")
    fast = CommentForm.make_token(target_key(article))
    pages["comment refused"] = (post_comment(client, article, started=fast), "Articles", article.title)
    junk_vote = client.post(reverse("articles:helpful", args=["stretch", stretch.pk]), {"helpful": "maybe"})
    pages["vote refused"] = (junk_vote, "Stretches", stretch.name)
    for page, (response, section, last_crumb) in pages.items():
        html = response.content.decode()
        assert current_menu_item(html) == section, page
        trail = breadcrumbs_of(html)
        assert trail[0] == "Home" and (last_crumb is None or trail[-1] == last_crumb), (page, trail)


def test_the_404_page_marks_nothing(client):
    html = client.get("/no-such-page/").content.decode()
    assert current_menu_item(html) == ""
