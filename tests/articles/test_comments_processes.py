"""Comments against the real thing: two gunicorn worker processes sharing one SQLite file, driven over HTTP.

The server runs with DEBUG off and a real key (``tests.settings``: production settings except plain
static files, since compressing every static file would take minutes). Each post fetches the page
for a fresh CSRF cookie and form token like a browser, then re-signs the token with the server's
key as if the page had been open for a minute, so the production minimum fill time stays on.
"""

import concurrent.futures
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core import signing

from articles.forms import FORM_SIGNING_SALT
from tests.harness.servers import private_database, run_sql

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVER_KEY = "process-test-secret-key-" + "k" * 48
ARTICLE = "/articles/sitting-and-your-back/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Migrate a fresh database (the suite's engine), add one article, and serve it with `gunicorn -w 2`."""
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists() and not shutil.which("gunicorn"):
        pytest.skip("gunicorn is not installed")
    database = private_database(tmp_path_factory.mktemp("gunicorn"))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_SECRET_KEY": SERVER_KEY,
        "DJANGO_HTTPS": "0",
        **database,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    create = (
        "from articles.models import Article, Category;"
        "c = Category.objects.create(name='Everyday life', slug='everyday-life');"
        "Article.objects.create(title='Sitting and your back', slug='sitting-and-your-back', summary='Sit less.',"
        "body='## Why\\n\\nMove often.', category=c, status='published')"
    )
    subprocess.run([*manage, "shell", "-c", create], cwd=ROOT, env=env, check=True)
    process = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "backpain.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if Browser(port).get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.2)
        yield Server(port, env)
    finally:
        process.terminate()
        process.wait(timeout=20)


class Server:
    def __init__(self, port, env):
        self.port = port
        self.env = env

    def sql(self, query, *params):
        return run_sql(self.env, query, *params)

    def reset(self):
        self.sql("DELETE FROM articles_comment")
        self.sql("DELETE FROM articles_ratelimit")

    def bodies(self):
        return [body for (body,) in self.sql("SELECT body FROM articles_comment")]


class Browser:
    """A tiny HTTP client that keeps cookies and never follows redirects."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie, _, value = value.split(";")[0].partition("=")
                self.cookies[cookie] = value
        connection.close()
        return response.status, dict(response.getheaders()), content

    def get(self, path):
        return self.request("GET", path)

    def post_comment(self, **fields):
        """Load the article, then post its comment form as a person would a minute later."""
        _, _, page = self.get(ARTICLE)
        action = re.search(r'<form method="post" action="([^"#]+)#comments" class="comment-form"', page)[1]
        fresh = re.search(r'name="started" value="([^"]+)"', page)[1]
        target = fresh.rsplit(":", 2)[0]
        with mock.patch("django.core.signing.time.time", return_value=time.time() - 60):
            started = signing.TimestampSigner(key=SERVER_KEY, salt=FORM_SIGNING_SALT).sign(target)
        form = {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1],
            "started": started,
            "name": "Sam",
            "email": "",
            "body": "Hello",
            "website": "",
            **fields,
        }
        return self.request("POST", action, form)


def post_in_parallel(server, bodies):
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(lambda body: Browser(server.port).post_comment(body=body), bodies))


def test_concurrent_posts_are_each_stored_exactly_once(server):
    server.reset()
    bodies = [f"Concurrent comment {n}" for n in range(8)]
    responses = post_in_parallel(server, bodies)
    assert [status for status, _, _ in responses] == [303] * 8
    assert sorted(server.bodies()) == sorted(bodies)


def test_a_burst_of_fifteen_from_one_visitor_stores_at_most_ten_across_workers(server):
    server.reset()
    responses = post_in_parallel(server, [f"Burst comment {n}" for n in range(15)])
    statuses = sorted(status for status, _, _ in responses)
    assert statuses == [303] * 10 + [429] * 5
    assert len(server.bodies()) == 10


def test_a_comment_is_hidden_until_approved_then_shown_inert(server):
    server.reset()
    browser = Browser(server.port)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    status, headers, _ = browser.post_comment(name="<b>Eve</b>", body=f"Hi {payload}")
    assert status == 303
    assert headers["Location"] == f"{ARTICLE}?comment=received#comments"
    assert "awaiting moderation" in browser.get(headers["Location"])[2]
    assert "onerror" not in browser.get(ARTICLE)[2]
    assert server.sql("SELECT COUNT(*), status FROM articles_comment GROUP BY status") == [(1, "pending")]
    server.sql("UPDATE articles_comment SET status = 'approved'")
    # Raw SQL skips Comment.save(); raise the content version as the admin's approve action does.
    server.sql("UPDATE articles_contentversion SET number = number + 1")
    page = browser.get(ARTICLE)[2]
    assert "Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page
    assert payload not in page and "<b>Eve</b>" not in page


def test_a_bot_that_fills_every_field_stores_nothing_and_looks_like_a_person(server):
    server.reset()
    person = Browser(server.port).post_comment(body="Nice post")
    server.reset()
    bot = Browser(server.port).post_comment(
        body="Nice post", email="bot@example.com", notify_on_reply="on", website="https://spam.example"
    )
    assert (bot[0], bot[1]["Location"], bot[2]) == (person[0], person[1]["Location"], person[2])
    assert server.bodies() == []
