"""No address of the site answers a browser's GET with a bare 405: a form's POST-only address sends the reader
(303) to the page the form is on. The URLconf is walked, so an address added later is checked too."""

import pytest
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse

from backpain.postonly import post_only
from tests.factories import ArticleFactory, CommentFactory, MuscleFactory, StretchFactory

pytestmark = pytest.mark.django_db


def public_patterns(patterns=None, namespace=""):
    """``(url name, pattern object)`` for every address outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            if pattern.app_name != "admin":
                yield from public_patterns(pattern.url_patterns, inner)
        else:
            yield namespace + pattern.name, pattern


@pytest.fixture
def pages():
    article, muscle, stretch = ArticleFactory(), MuscleFactory(), StretchFactory()
    comment = CommentFactory(article=article)
    return article, muscle, stretch, comment


def sample_args(name, pages):
    """Arguments that name something real for each address that takes any, and where a GET of a POST-only
    one must go."""
    article, muscle, stretch, comment = pages
    return {
        "articles:category": ([article.category.slug], None),
        "articles:detail": ([article.slug], None),
        "articles:muscle": ([muscle.slug], None),
        "articles:stretch": ([stretch.muscle.slug, stretch.slug], None),
        "articles:muscle-routine": ([muscle.slug], None),
        "articles:stretch-routine": ([stretch.muscle.slug, stretch.slug], None),
        "articles:helpful": (["article", article.pk], article.get_absolute_url() + "#helpful"),
        "articles:comment-article": ([article.slug], article.get_absolute_url() + "#comments"),
        "articles:comment-muscle": ([muscle.slug], muscle.get_absolute_url() + "#comments"),
        "articles:comment-report": ([comment.pk], article.get_absolute_url() + "#comments"),
        "assessment:question": ([1], None),
        "assessment:result": (["x" * 32], None),
        "assessment:reminder": (["x" * 32], None),
        "assessment:routine": (["x" * 32], None),
        "assessment:self-test": (["no-such-test"], None),
        "assessment:preview": ([1], None),
    }.get(name)


def test_no_address_answers_a_get_with_405_and_post_only_ones_go_to_their_page(client, pages):
    """Every public address, with real arguments: a GET is never a 405, and each POST-only one redirects (303)
    to its form's page. A new address with arguments must be given some here."""
    checked = []
    for name, pattern in public_patterns():
        sample = sample_args(name, pages)
        if pattern.pattern.converters:
            assert sample, f"give {name} sample arguments in this test"
        args, target = sample or ([], None)
        url = reverse(name, args=args)
        response = client.get(url)
        assert response.status_code != 405, url
        if getattr(pattern.callback, "post_only", False):
            assert (response.status_code, response["Location"]) == (303, target), url
            assert client.head(url).status_code == 303, url
            checked.append(name)
    assert sorted(checked) == [
        "articles:comment-article",
        "articles:comment-muscle",
        "articles:comment-report",
        "articles:helpful",
    ]


def test_a_get_of_the_admin_s_sign_out_address_goes_to_the_admin(editor_client):
    """The admin signs out with a POST; a GET of its address (an old bookmark) goes to the admin's front page."""
    response = editor_client.get(reverse("admin:logout"))
    assert (response.status_code, response["Location"]) == (303, reverse("admin:index"))
    assert editor_client.get(reverse("admin:index")).status_code == 200  # still signed in: a GET changes nothing
    assert editor_client.post(reverse("admin:logout")).status_code == 200
    assert editor_client.get(reverse("admin:index")).status_code == 302  # signed out now


def test_other_methods_are_still_refused_with_the_allowed_ones_listed():
    @post_only(lambda request: "/")
    def view(request):
        raise AssertionError("not reached")

    response = view(RequestFactory().put("/somewhere/"))
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
