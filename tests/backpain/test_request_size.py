"""The request-size gate (backpain/request_size.py), in process: over its path's limit a body gets the 413 page
before anything reads a byte of it; within the limit everything works as before. Over raw HTTP against real
gunicorn: test_request_size_http.py."""

import io

import pytest
from django.urls import reverse

from articles.models import ContactMessage
from backpain.request_size import body_limit
from tests.articles.test_contact import contact_data

pytestmark = pytest.mark.django_db

THIRTY_MB = 30 * 1024 * 1024
MULTIPART = "multipart/form-data; boundary=----a-large-upload"


class Unread(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readinto = readline = read


class Counted(io.BytesIO):
    """A request body that remembers how much was read from it."""

    def read(self, size=-1):
        chunk = super().read(size)
        self.taken = getattr(self, "taken", 0) + len(chunk)
        return chunk


def declared_post(client, path, length, body=None, **extra):
    """POST with a declared ``Content-Length`` of ``length``, the body itself never readable unless given."""
    stream = Unread() if body is None else io.BytesIO(body)
    return client.generic(
        "POST", path, b"", content_type=MULTIPART, CONTENT_LENGTH=str(length), **{"wsgi.input": stream}, **extra
    )


def test_a_30_mb_upload_to_the_contact_form_gets_the_413_page_unread(client):
    response = declared_post(client, reverse("articles:contact"), THIRTY_MB)
    assert response.status_code == 413
    page = response.content.decode()
    assert "<h1>That was too much to send</h1>" in page
    assert "at most 512.0\xa0KB" in page and "nothing has been saved" in page
    assert '<meta name="robots" content="noindex">' in page
    # It comes after the middleware that only add headers, so the page carries the site's policies.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize("path", ["/contact/", "/comments/article/x/", "/assessment/", "/admin/login/", "/nowhere/"])
def test_every_public_path_has_the_public_limit(client, settings, path):
    settings.MAX_ANON_BODY_BYTES = 1000
    assert declared_post(client, path, 1001).status_code == 413
    assert declared_post(client, path, 1000, body=b"x" * 1000).status_code != 413


def test_the_admin_takes_uploads_up_to_its_own_limit(editor_client, settings):
    settings.MAX_ADMIN_BODY_BYTES = 5000
    url = reverse("admin:articles_article_add")
    assert declared_post(editor_client, url, 5001).status_code == 413
    within = declared_post(editor_client, url, 4000, body=b"x" * 4000)
    assert within.status_code == 200 and "Please correct the error" in within.content.decode()


def test_only_signed_in_staff_get_the_admin_limit(client, settings, django_user_model):
    """An anonymous visitor (or a signed-in reader who is not staff) posting to an admin page is held to the
    public limit, before the CSRF check or the admin reads the body."""
    settings.MAX_ANON_BODY_BYTES = 1000
    url = reverse("admin:articles_article_add")
    assert declared_post(client, url, 1001).status_code == 413
    assert declared_post(client, url, 1000, body=b"x" * 1000).status_code != 413
    reader = django_user_model.objects.create_user("reader", password="a long password for tests")
    client.force_login(reader)
    assert declared_post(client, url, 1001).status_code == 413


def test_the_admin_path_follows_its_setting(settings):
    settings.ADMIN_URL = "editors-desk/"
    assert body_limit("/editors-desk/articles/stretch/add/") == settings.MAX_ADMIN_BODY_BYTES
    assert body_limit("/editors-desk/login/") == settings.MAX_ANON_BODY_BYTES
    assert body_limit("/admin/articles/stretch/add/") == settings.MAX_ANON_BODY_BYTES
    assert body_limit("/contact/editors-desk/") == settings.MAX_ANON_BODY_BYTES


def chunked_post(client, body, terminated=True):
    extra = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": body, "wsgi.input_terminated": terminated}
    return client.generic("POST", reverse("articles:contact"), b"", content_type=MULTIPART, **extra)


def test_a_chunked_body_is_read_only_one_byte_past_the_limit(client, settings):
    """A body without a length is counted as it arrives, up to one byte past the limit and no further."""
    settings.MAX_ANON_BODY_BYTES = 100_000
    body = Counted(b"x" * 1_000_000)
    assert chunked_post(client, body).status_code == 413
    assert body.taken == 100_001
    within = Counted(b"x" * 100_000)
    assert chunked_post(client, within).status_code == 400  # Django reads no unmeasured body: an empty form
    assert within.taken == 100_000


def test_a_body_without_a_length_is_never_read_from_a_server_that_does_not_end_it(client):
    """Only a server that marks the end of the body may be read to its end; otherwise reading could hang."""
    assert chunked_post(client, Unread(), terminated=False).status_code == 400


def test_the_longest_real_contact_message_still_goes_through(client):
    """5,000 emoji, each four bytes, percent-encoded: about 60 KB, far inside the public limit."""
    response = client.post(reverse("articles:contact"), contact_data(message="\U0001f9d8" * 5000))
    assert response.status_code == 302
    assert ContactMessage.objects.get().message == "\U0001f9d8" * 5000
