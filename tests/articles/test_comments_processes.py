"""Comments against the real thing: two gunicorn worker processes sharing one database, driven over HTTP.

The server (the harness's gunicorn, ``tests/harness/servers.py``) runs with DEBUG off and a real key
(``tests.settings``: production settings except plain static files and a cache in each worker's memory).
Each post fetches the page for a fresh CSRF cookie and form token like a browser, then re-signs the token
with the server's key as if the page had been open for a minute, so the production minimum fill time
stays on.
"""

import concurrent.futures
import json
import re
import time

import pytest
from django.core import signing

from articles.forms import CommentForm
from tests.harness.clients import Tally, Visitor
from tests.harness.servers import GunicornServer, manage, production_env, run_sql

SERVER_KEY = "process-test-secret-key-" + "k" * 48
ARTICLE = "/articles/sitting-and-your-back/"
CREATE_ARTICLE = (
    "from articles.models import Article, Category;"
    "c = Category.objects.create(name='Everyday life', slug='everyday-life');"
    "Article.objects.create(title='Sitting and your back', slug='sitting-and-your-back', summary='Sit less.',"
    "body='## Why\\n\\nMove often.', category=c, status='published')"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory, static_root):
    """Migrate a fresh database (the suite's engine), add one article, and serve it with 2 gunicorn workers."""
    env = production_env(
        tmp_path_factory.mktemp("gunicorn"),
        static_root,
        DJANGO_SETTINGS_MODULE="tests.settings",
        DJANGO_SECRET_KEY=SERVER_KEY,
    )
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "shell", "-c", CREATE_ARTICLE)
    with GunicornServer(env, workers=2) as gunicorn:
        yield Server(gunicorn.url, env)


class Server:
    def __init__(self, url, env):
        self.url = url
        self.env = env

    def sql(self, query, *params):
        return run_sql(self.env, query, *params)

    def reset(self):
        self.sql("DELETE FROM articles_comment")
        self.sql("DELETE FROM articles_ratelimit")

    def bodies(self):
        return [body for (body,) in self.sql("SELECT body FROM articles_comment")]


class Browser:
    """A reader with their own cookies (the harness's visitor) who never follows redirects."""

    def __init__(self, url):
        self.visitor = Visitor(url, Tally(), "comment", timeout=60)

    def request(self, method, path, form=None):
        answer = self.visitor.request(method, path, form, expect=range(100, 600))
        return answer.status, answer.headers, answer.text

    def get(self, path):
        return self.request("GET", path)

    def post_comment(self, **fields):
        """Load the article, then post its comment form as a person would a minute later."""
        _, _, page = self.get(ARTICLE)
        action = re.search(r'<form method="post" action="([^"#]+)" class="comment-form"', page)[1]
        fresh = re.search(r'name="started" value="([^"]+)"', page)[1]
        target = json.loads(signing.b64_decode(fresh.split(":", 1)[0].encode()))["s"]  # the page it is bound to
        started = CommentForm.make_token(target, now=time.time() - 60, key=SERVER_KEY)
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
        return list(pool.map(lambda body: Browser(server.url).post_comment(body=body), bodies))


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
    browser = Browser(server.url)
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
    person = Browser(server.url).post_comment(body="Nice post")
    server.reset()
    bot = Browser(server.url).post_comment(
        body="Nice post", email="bot@example.com", notify_on_reply="on", website="https://spam.example"
    )
    assert (bot[0], bot[1]["Location"], bot[2]) == (person[0], person[1]["Location"], person[2])
    assert server.bodies() == []
