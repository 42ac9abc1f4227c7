"""Every public form and parameter, fed the shared list of 50+ cross-site scripting payloads."""

import time

import pytest
from django.urls import reverse

from articles.forms import ContactForm
from articles.models import Comment, ContactMessage
from tests.articles.comments_support import post_comment
from tests.factories import ArticleFactory
from tests.harness.payloads import XSS_PAYLOADS, dangerous_markup

pytestmark = pytest.mark.django_db


def main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def article(db):
    return ArticleFactory(slug="hostile-test")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_comment_payloads_render_inert_when_shown(client, article, payload, settings):
    """A hostile comment, once approved, shows as plain text: the page gains no markup from it."""
    settings.COMMENT_RATE_LIMIT = 1000
    clean = dangerous_markup(main(client.get(article.get_absolute_url())))
    post_comment(client, article, name=payload[:80], body=payload)
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert Comment.objects.count() == 1
    assert dangerous_markup(main(client.get(article.get_absolute_url()))) == clean


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_contact_payloads_render_inert_on_the_form_and_in_the_admin(client, editor_client, payload):
    data = {
        "name": payload[:100],
        "email": "not an address",
        "subject": payload[:150],
        "message": payload,
        "website": "",
        "started": ContactForm.make_token(now=time.time() - 30),
    }
    response = client.post(reverse("articles:contact"), data, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 400
    assert dangerous_markup(main(response)) == []
    # The admin page has scripts of its own; the payload must add nothing to them.
    plain = ContactMessage.objects.create(name="Sam", email="x@example.com", subject="s", message="Hello")
    hostile = ContactMessage.objects.create(name=payload[:100], email="x@example.com", subject="s", message=payload)

    def admin_markup(message):
        page = editor_client.get(reverse("admin:articles_contactmessage_change", args=[message.pk])).content.decode()
        return sorted(dangerous_markup(page[page.index('id="content"') :]))

    assert admin_markup(hostile) == admin_markup(plain)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_search_and_page_parameters_echo_payloads_inert(client, article, payload):
    for url, params in [
        (reverse("articles:search"), {"q": payload}),
        (reverse("articles:list"), {"page": payload}),
        (article.get_absolute_url(), {"comments_page": payload}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 200
        assert dangerous_markup(main(response)) == dangerous_markup(main(client.get(url))), url
