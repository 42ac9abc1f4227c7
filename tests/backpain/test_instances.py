"""Two instances of the site, as behind a load balancer: two gunicorns on two ports, one PostgreSQL, one Redis.

Whatever one instance does, the other must see at once: an editor's change, a visitor's comment count,
a reader's half-finished self-check. Driven over HTTP with the visitor of ``bench/load.py``.
"""

import uuid

import pytest

from tests.harness.clients import RESULT_PREFIX, Tally, Visitor, post_comment, post_form, take_selfcheck
from tests.harness.drills import Outcome, stored
from tests.harness.servers import GunicornServer, manage, manage_shell, prepare_site, production_env

pytestmark = pytest.mark.own_database  # the instances share a private PostgreSQL server

EDITOR_PASSWORD = "a long editor password for two instances"
RATE_LIMIT = 3
FIRST_ARTICLE = """
import json
from articles.models import Article
article = Article.objects.published().order_by("pk").first()
print(json.dumps({"pk": article.pk, "url": article.get_absolute_url()}))
"""


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory, static_root, postgres_server):
    """One migrated PostgreSQL database with the shipped content and an editor, for every instance."""
    env = production_env(
        tmp_path_factory.mktemp("instances"),
        static_root,
        DATABASE_URL=postgres_server.create_database(f"instances_{uuid.uuid4().hex[:8]}"),
        DJANGO_ADMIN_2FA="0",
        COMMENT_RATE_LIMIT=str(RATE_LIMIT),
        COMMENT_MIN_FILL_SECONDS="0",
        DJANGO_SUPERUSER_PASSWORD=EDITOR_PASSWORD,
    )
    prepare_site(env)
    manage(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.com")
    return env


@pytest.fixture
def instances(shared_env, redis_server, tmp_path):
    """Instances A and B: same database, same Redis, same secret key; their base URLs."""
    env = {**shared_env, "REDIS_URL": redis_server.url, "HOME": str(tmp_path)}
    with GunicornServer(env, workers=2) as a, GunicornServer(env, workers=2) as b:
        yield a.url, b.url


def sign_in_to_admin(editor):
    login = "/admin/login/"
    form = post_form(editor.get(login).text, login)
    editor.post(login, form.with_values(username="editor", password=EDITOR_PASSWORD, next="/admin/"), expect=(302,))


def test_an_edit_through_one_instance_shows_at_once_on_the_other(instances, shared_env):
    """An editor retitles an article in A's admin; B, which had the page cached, shows the new title next."""
    a, b = instances
    article = manage_shell(shared_env, FIRST_ARTICLE)
    reader = Visitor(b, Tally(), "reader")
    new_words = f"revised {uuid.uuid4().hex[:6]}"
    for _ in range(2):  # the first visit renders and caches the page, the second is served from the cache
        assert new_words not in reader.get(article["url"]).text

    editor = Visitor(a, Tally(), "editor")
    sign_in_to_admin(editor)
    change = f"/admin/articles/article/{article['pk']}/change/"
    form = post_form(editor.get(change).text, change)
    title = f"{form.value('title')} ({new_words})"
    saved = editor.post(change, form.with_values(title=title, _save="Save"), expect=(302,))
    assert saved.location == "/admin/articles/article/"

    assert new_words in reader.get(article["url"]).text
    reader.base = a
    assert new_words in reader.get(article["url"]).text


def test_the_comment_rate_limit_holds_across_instances(instances, shared_env):
    """Posting from one address alternately to A and B: three comments are taken, the fourth is refused (429)."""
    a, b = instances
    page = manage_shell(shared_env, FIRST_ARTICLE)["url"]
    outcome = Outcome()
    visitor = Visitor(a, outcome.tally, "comment", forwarded_for="10.200.0.7")
    for number in range(RATE_LIMIT):
        visitor.base = (a, b)[number % 2]
        assert post_comment(visitor, page, outcome.comment_body(number))
        outcome.comments.append(outcome.comment_body(number))

    visitor.base = (a, b)[RATE_LIMIT % 2]
    form = post_form(visitor.get(page).text, page, action_contains="/comments/")
    refused = visitor.post(
        form.action, form.with_values(name="Load test", body=outcome.comment_body(99)), expect=(429,)
    )
    assert f"You have posted {RATE_LIMIT} comments in the last hour" in refused.text
    assert sorted(stored(shared_env, outcome)["bodies"]) == sorted(outcome.comments)


def test_a_self_check_in_progress_carries_on_on_the_other_instance(instances, shared_env):
    """Started and half answered on A, finished on B with the same cookies: the result is saved and shown."""
    a, b = instances
    reader = Visitor(a, Tally(), "selfcheck")
    next_page = take_selfcheck(reader, steps=4)  # start, warning signs, questions 1 and 2
    assert next_page == "/assessment/question/3/"

    reader.base = b
    result = take_selfcheck(reader, next_page)
    assert result.startswith(RESULT_PREFIX)
    assert "Your self-check result" in reader.get(result).text
    token = result[len(RESULT_PREFIX) :].strip("/")
    assert stored(shared_env, Outcome(tokens=[token]))["tokens"] == [token]
