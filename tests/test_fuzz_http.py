"""Every URL pattern and parameter, fed hostile values over raw HTTP to real gunicorn in production mode:
no answer is a server error (gunicorn's own 400 for a malformed request is fine), and afterwards every table
of content holds exactly the rows it held before: nothing was stored, whole or half.

Deterministic and bounded: a fixed list of requests, then a sample drawn with a fixed seed.
"""

import random
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from tests.harness.clients import raw_request, request_bytes, status_of
from tests.harness.servers import gunicorn, manage_shell, prepare_site, production_env

SEED = 20260801
SAMPLE_SIZE = 150
METHODS = [b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS", b"TRACE", b"BREW"]

# Path segments: long (gunicorn's request line limit is 4094 bytes), NUL raw and escaped, broken UTF-8,
# surrogates in UTF-8 form, traversal, numbers out of every integer range, header injection.
SEGMENTS = [
    b"x" * 100_000,
    b"x" * 4000,
    b"x" * 5000,
    b"y" * 256,
    b"%00",
    b"a%00b",
    b"%ff%fe",
    b"%c0%af",
    b"%ed%a0%80",
    b"%e2%80%ae",
    b"%f0%9f%98%80",
    b"..",
    b"..%2f..%2fetc%2fpasswd",
    b"%2e%2e%2f%2e%2e%2f",
    b"-1",
    b"0",
    b"99999999999999999999999999",
    b"9223372036854775808",
    b"%20",
    b"%0d%0aSet-Cookie:%20x=1",
    b"%25",
    b"%",
    b"a;b=c",
]
# Query values, for every parameter the views read and a few they do not.
VALUES = SEGMENTS + [b"", b"1", b"2", b"-9", b"1e9", b"NaN", b"%u0000", b"21:30", b"yes"]
PARAMETERS = [b"page", b"q", b"comments_page", b"comment", b"previous", b"change", b"time", b"p", b"next"]
PARAMETERS += [b"o", b"e", b"_changelist_filters", b"%00", b"\xff"]

CONTENT_APPS = {"articles", "assessment", "auth", "otp_totp", "otp_static"}
COUNT_SCRIPT = """
import json
from django.apps import apps
from articles.models import Article, Comment, Muscle, Stretch
article = Article.objects.published().first()
if not Comment.objects.approved().exists():
    Comment.objects.create(article=article, name="Sam", body="Thanks.", status="approved", visitor_hash="0" * 64)
print(json.dumps({
    "counts": {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label in %r},
    "article": [article.pk, article.slug],
    "muscle": Muscle.objects.first().slug,
    "stretch": [Stretch.objects.first().pk, Stretch.objects.first().muscle.slug, Stretch.objects.first().slug],
    "comment": Comment.objects.approved().first().pk,
}))
""" % sorted(CONTENT_APPS)  # noqa: UP031 - a script's text, not a message


def site_state(env):
    """Row counts of every content table, and the ids and slugs of real pages (adding one approved comment)."""
    return manage_shell(env, COUNT_SCRIPT)


@pytest.fixture(scope="module")
def site(tmp_path_factory, static_root):
    """A production site on real gunicorn with the shipped content: its base port, env, state and log."""
    tmp_path = tmp_path_factory.mktemp("fuzz-http")
    env = production_env(tmp_path, static_root)
    prepare_site(env)
    state = site_state(env)
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log, gunicorn(env, log=log) as url:
        yield {"port": int(url.rsplit(":", 1)[1]), "env": env, "state": state, "log": log_path}


def send(port, method, target, headers=(), body=b""):
    """Send one request exactly as given, bytes and all; return the status code, or None if the server
    closed the connection without answering (acceptable only for a request it had to cut off)."""
    return status_of(raw_request(port, request_bytes(method, target, headers, body), whole=False))


def fill(route, value):
    """``route`` with every path parameter replaced by ``value`` (bytes), for path() and re_path() patterns."""
    if isinstance(route, RoutePattern):
        return re.sub(rb"<(?:\w+:)?\w+>", lambda _: value, str(route).encode())
    regex = route.regex.pattern.encode()
    path = re.sub(rb"\(\?P<\w+>[^)]*\)", lambda _: value, regex).strip(b"^$").replace(b"\\Z", b"")
    return None if re.search(rb"[\\()*+?\[\]|]", path) else path


def url_routes(resolver=None, prefix=()):
    """Every URL pattern of the site as the chain of patterns leading to it."""
    resolver = resolver or get_resolver("backpain.urls")
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_routes(pattern, (*prefix, pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (*prefix, pattern.pattern)


def path_for(chain, value):
    pieces = [fill(part, value) for part in chain]
    return None if None in pieces else b"/" + b"".join(pieces)


def paths_for(value):
    """Every pattern's path with ``value`` in each parameter; patterns that cannot be written out are skipped."""
    return sorted({path for chain in url_routes() if (path := path_for(chain, value))})


def hostile_paths():
    """Each pattern with hostile parameters: every segment for the site's own patterns, three for each admin
    pattern (they all share the admin's few views), and each pattern without parameters once."""
    paths = set()
    for number, chain in enumerate(url_routes()):
        segments = SEGMENTS
        if str(chain[0]).startswith("admin"):
            segments = [SEGMENTS[(number + step) % len(SEGMENTS)] for step in (0, 7, 13)]
        paths.update(path for segment in segments if (path := path_for(chain, segment)))
    return sorted(paths)


def real_paths(state):
    """The site's own pages with real ids, tokens and slugs, as readers reach them."""
    article_pk, article_slug = state["article"]
    stretch_pk, muscle_slug, stretch_slug = state["stretch"]
    return [
        b"/",
        f"/articles/{article_slug}/".encode(),
        f"/stretches/{state['muscle']}/".encode(),
        f"/stretches/{muscle_slug}/{stretch_slug}/".encode(),
        b"/search/",
        b"/contact/",
        b"/feed/",
        b"/feed/atom/",
        b"/sitemap.xml",
        b"/robots.txt",
        b"/healthz",
        b"/admin/login/",
        b"/assessment/",
        b"/assessment/warning-signs/",
        b"/assessment/question/1/",
        b"/assessment/check-your-answers/",
        b"/assessment/result/" + b"A" * 43 + b"/",
        b"/assessment/result/" + b"A" * 43 + b"/reminder.ics",
        f"/comments/article/{article_slug}/".encode(),
        f"/comments/muscle/{state['muscle']}/".encode(),
        f"/comments/{state['comment']}/report/".encode(),
        f"/helpful/article/{article_pk}/".encode(),
        f"/helpful/stretch/{stretch_pk}/".encode(),
    ]


def csrf_pair(port):
    """A CSRF cookie and matching token, read from the contact page as a browser would get them."""
    page = raw_request(port, request_bytes(b"GET", b"/contact/"))
    cookie = re.search(rb"Set-Cookie: csrftoken=([^;]+)", page).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return cookie, token


def hostile_bodies(token):
    """POST bodies a form never sends: (content type, body), with and without a valid CSRF token."""
    field = b"csrfmiddlewaretoken=" + token
    return [
        (b"application/x-www-form-urlencoded", b""),
        (b"application/x-www-form-urlencoded", field + b"&name=%00&body=%00&helpful=%00&message=%ff%fe"),
        (b"application/x-www-form-urlencoded", field + b"&body=" + b"x" * 100_000),
        (b"application/x-www-form-urlencoded", field + b"&" + b"&".join(b"f%d=1" % n for n in range(1500))),
        (b"application/x-www-form-urlencoded", field + b"&answer=1&answer=2&signs=%00&none=on&none=%ff"),
        (b"application/x-www-form-urlencoded", field + b"&q=" + b"%" * 3000),
        (b"application/x-www-form-urlencoded", b"x" * 3_000_000),
        (b"application/json", b'{"csrfmiddlewaretoken": "' + token + b'", "body": "\\u0000"}'),
        (b"application/json", b"[" * 10_000),
        (b"multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data; name=\x00\r\n\r\nx"),
        (b"multipart/form-data", b"no boundary at all"),
        (b"multipart/form-data; boundary=" + b"b" * 200, b"--" + b"b" * 200 + b"--\r\n"),
        (b"text/plain; charset=utf-32", b"\xff\xfe\x00\x00"),
        (b"application/x-www-form-urlencoded; charset=nonsense", field + b"&body=hello"),
    ]


def fixed_requests(state, token, cookie):
    """The fixed part: every pattern with every hostile segment, real pages with every parameter and method,
    and every POST endpoint with every hostile body, with and without the CSRF cookie."""
    requests = [(b"GET", path, [], b"") for path in hostile_paths()]
    # Bytes no client should put in a request line: gunicorn refuses them itself.
    requests += [(b"GET", target, [], b"") for target in (b"/\x00", b"/search/?q=\x00", b"/\xff\xfe", b"//\t/")]
    pages = real_paths(state)
    for path in pages:
        for name in PARAMETERS:
            query = b"&".join(name + b"=" + value for value in (b"%00", b"%ff%fe", b"x" * 3000, b"-1"))
            requests.append((b"GET", path + b"?" + query, [], b""))
        requests.append((b"GET", path + b"?page=1&page=2&page=%00&q=a&q=%ff", [], b""))
        requests += [(method, path, [], b"") for method in METHODS if method != b"POST"]
    with_csrf = [(b"Cookie", b"csrftoken=" + cookie), (b"X-CSRFToken", token)]
    posted = [path for path in pages if path.startswith((b"/comments/", b"/helpful/", b"/contact/", b"/assessment/"))]
    for path in [*posted, b"/admin/login/"]:
        for content_type, body in hostile_bodies(token):
            for headers in ([], with_csrf):
                if b"/report/" in path and headers:
                    continue  # a report needs no fields, so a valid token would rightly store one
                requests.append((b"POST", path, [(b"Content-Type", content_type), *headers], body))
    return requests


def sampled_requests(state, token, cookie, rng):
    """The seeded part: random methods, patterns, segments, parameters and bodies, mixed."""
    patterns = [path for path in paths_for(b"1") + real_paths(state) if b"/report/" not in path]
    requests = []
    for _ in range(SAMPLE_SIZE):
        path = rng.choice(patterns).replace(b"/1/", b"/" + rng.choice(SEGMENTS[3:]) + b"/")
        pairs = [rng.choice(PARAMETERS) + b"=" + rng.choice(VALUES) for _ in range(rng.randint(0, 4))]
        target = path + (b"?" + b"&".join(pairs) if pairs else b"")
        method = rng.choice(METHODS)
        headers, body = [], b""
        if method in {b"POST", b"PUT", b"PATCH"}:
            content_type, body = rng.choice(hostile_bodies(token))
            headers = [(b"Content-Type", content_type)]
            if rng.random() < 0.5:
                headers += [(b"Cookie", b"csrftoken=" + cookie), (b"X-CSRFToken", token)]
        requests.append((method, target, headers, body))
    return requests


def test_no_url_or_parameter_gives_a_server_error_or_stores_anything(site):
    """Hundreds of hostile requests to every URL: each answered below 500, and no content row added or lost."""
    port, state = site["port"], site["state"]
    cookie, token = csrf_pair(port)
    requests = fixed_requests(state, token, cookie) + sampled_requests(state, token, cookie, random.Random(SEED))
    assert len(requests) > 500
    failures, unanswered, seen = [], [], set()
    for method, target, headers, body in requests:
        status = send(port, method, target, headers, body)
        seen.add(status)
        if status is None:
            unanswered.append((method, target[:120], len(body)))
        elif status >= 500:
            failures.append((status, method, target[:120], headers, body[:120]))
    assert failures == []
    # Only a body far over the upload limit may be cut off without an answer.
    assert all(size > 2_500_000 for _, _, size in unanswered), unanswered
    # The requests reached the views, not only gunicorn's and Django's gates.
    assert {200, 302, 400, 403, 404, 405} <= seen
    assert site_state(site["env"])["counts"] == state["counts"]
    # Django logs refused oversized bodies with a traceback (400); a 500 or a crashed worker would say so.
    log = site["log"].read_text()
    assert "Internal Server Error" not in log and "Error handling request" not in log


def test_every_url_pattern_is_in_the_fuzz():
    """The fuzz walks the resolver, so a new URL is fuzzed without anyone listing it; check the walk sees them."""
    paths = paths_for(b"1")
    for expected in [b"/articles/1/", b"/comments/1/report/", b"/assessment/result/1/reminder.ics", b"/healthz"]:
        assert expected in paths
    assert b"/admin/login/" in paths and b"/sitemap.xml" in paths and b"/feed/atom/" in paths
