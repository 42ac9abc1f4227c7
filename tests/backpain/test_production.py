"""The site as deployed: gunicorn, production settings, collected and compressed static files."""

import re
import urllib.error
import urllib.request

import pytest

from tests.harness.servers import gunicorn, prepare_site, production_env


@pytest.fixture(scope="module")
def production_site(tmp_path_factory, static_root):
    env = production_env(tmp_path_factory.mktemp("production"), static_root)
    prepare_site(env)
    with gunicorn(env) as url:
        yield url


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_home_page_is_served_with_hashed_compressed_static_files(production_site):
    status, _, body = fetch(production_site + "/")
    html = body.decode()
    assert status == 200 and "Ease lower back pain" in html
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert css, "stylesheet is not content-hashed"
    status, headers, _ = fetch(production_site + css.group(1), **{"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") in {"br", "gzip"}
    assert "max-age=315360000" in headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/articles/", 200), ("/articles/nope/", 404), ("/articles/?page=abc", 200), ("/healthz", 200)],
)
def test_pages_answer_as_expected(production_site, path, expected):
    assert fetch(production_site + path)[0] == expected


def test_unknown_host_is_refused(production_site):
    assert fetch(production_site + "/", Host="evil.example")[0] == 400


def test_a_result_link_over_http_shows_only_its_reader_the_result(production_site):
    """Production gunicorn: the reader's cookie opens the result; without it, the step (noindex, no answers);
    the step's button opens it for a second browser; robots.txt lets crawlers read that noindex."""
    from tests.harness.clients import Tally, Visitor, post_form, take_selfcheck

    reader = Visitor(production_site, Tally(), "reader")
    result = take_selfcheck(reader, answer=1)
    own = reader.get(result)
    assert "Points from your home checks" in own.text and own.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in own.headers["Cache-Control"]

    status, headers, body = fetch(production_site + result, **{"User-Agent": "Slackbot-LinkExpanding 1.0"})
    assert status == 200 and headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "Open a saved self-check result" in body.decode() and "Points from your home checks" not in body.decode()

    friend = Visitor(production_site, Tally(), "friend")
    step = friend.get(result)
    shown = friend.post(result, post_form(step.text, result).with_values())
    assert shown.location == result
    assert "Points from your home checks" in friend.get(result).text
    assert "/assessment/" not in fetch(production_site + "/robots.txt")[2].decode()
