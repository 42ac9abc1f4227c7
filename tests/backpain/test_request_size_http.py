"""The request-size gate over raw HTTP, against real gunicorn in production mode: a 30 MB upload to the contact
form is answered 413 while almost all of it is still unsent, nothing of it is stored or spooled to disk, and
a normal message still goes through."""

import re
import time
from urllib.parse import urlencode

import pytest

from articles.forms import ContactForm
from tests.harness.clients import raw_request, status_of
from tests.harness.servers import SECRET, gunicorn, prepare_site, production_env, run_sql

THIRTY_MB = 30 * 1024 * 1024
BOUNDARY = b"----a-large-upload"
FIRST_PART = (
    b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="message"; filename="big.bin"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory, static_root):
    """The site on gunicorn, its temporary files (where Django spools large uploads) in a folder of its own."""
    tmp_path = tmp_path_factory.mktemp("request-size")
    spool = tmp_path / "spool"
    spool.mkdir()
    env = production_env(tmp_path, static_root, TMPDIR=str(spool))
    prepare_site(env)
    with gunicorn(env) as url:
        yield {"port": int(url.rsplit(":", 1)[1]), "env": env, "spool": spool}


def request_head(method, path, headers):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def exchange(port, data, timeout=10):
    """Send ``data`` (which need not be a whole request) and read the answer until the server closes."""
    return raw_request(port, data, timeout=timeout)


def contact_messages(site):
    return run_sql(site["env"], "SELECT COUNT(*) FROM articles_contactmessage")[0][0]


def test_a_30_mb_upload_gets_413_after_only_its_headers_and_first_chunk(site):
    """The server answers with 30 MB still to come: had it waited to read the body, this would time out."""
    before = contact_messages(site)
    content_type = "Content-Type: multipart/form-data; boundary=" + BOUNDARY.decode()
    head = request_head("POST", "/contact/", [content_type, f"Content-Length: {THIRTY_MB}"])
    answer = exchange(site["port"], head + FIRST_PART + bytes(16 * 1024))
    assert status_of(answer) == 413
    assert b"<h1>That was too much to send</h1>" in answer
    assert contact_messages(site) == before
    assert list(site["spool"].iterdir()) == []


def test_headers_alone_are_enough_for_the_413(site):
    head = request_head(
        "POST", "/contact/", ["Content-Type: application/x-www-form-urlencoded", "Content-Length: 600000"]
    )
    assert status_of(exchange(site["port"], head)) == 413


def test_a_chunked_upload_is_refused_once_it_runs_past_the_limit(site):
    """No length is declared and the body never ends: the server stops reading at the limit and answers."""
    head = request_head(
        "POST", "/contact/", ["Content-Type: multipart/form-data; boundary=x", "Transfer-Encoding: chunked"]
    )
    chunk = b"%x\r\n" % 65536 + bytes(65536) + b"\r\n"
    answer = exchange(site["port"], head + chunk * 9)  # 576 KB, past 512 KB, and no closing chunk
    assert status_of(answer) == 413
    assert list(site["spool"].iterdir()) == []


def test_the_admin_takes_more_but_not_on_its_sign_in_page(site):
    form = "Content-Type: application/x-www-form-urlencoded"
    body = b"x=" + b"y" * (1024 * 1024)
    to_sign_in = request_head("POST", "/admin/login/", [form, f"Content-Length: {len(body)}"])
    assert status_of(exchange(site["port"], to_sign_in)) == 413
    # Nobody signed in: an admin page takes no more than any public one (signed-in staff: test_request_size.py).
    to_admin = request_head("POST", "/admin/articles/article/add/", [form, f"Content-Length: {len(body)}"])
    assert status_of(exchange(site["port"], to_admin)) == 413
    small = b"x=y"
    to_admin = request_head("POST", "/admin/articles/article/add/", [form, f"Content-Length: {len(small)}"])
    assert status_of(exchange(site["port"], to_admin + small)) in {302, 403}  # no session: sent to sign in
    too_much = request_head("POST", "/admin/articles/article/add/", [form, "Content-Length: 104857601"])
    assert status_of(exchange(site["port"], too_much)) == 413


def test_a_normal_contact_message_still_goes_through(site):
    page = exchange(site["port"], request_head("GET", "/contact/", []))
    cookie = re.search(rb"Set-Cookie: (csrftoken=[^;]+)", page).group(1).decode()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    # The form as the site served it half a minute ago (anything quicker is taken for a bot).
    started = ContactForm.make_token(now=time.time() - 30, key=SECRET)
    fields = {
        "csrfmiddlewaretoken": token,
        "name": "Sam Reader",
        "email": "sam@example.com",
        "subject": "Thank you",
        "message": "The bedtime routine helped. " * 100,
        "website": "",
        "started": started,
    }
    body = urlencode(fields).encode()
    headers = ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}", f"Cookie: {cookie}"]
    before = contact_messages(site)
    answer = exchange(site["port"], request_head("POST", "/contact/", headers) + body)
    assert status_of(answer) == 302 and b"Location: /contact/thanks/" in answer
    assert contact_messages(site) == before + 1
