"""The repository's nginx configuration, for real: nginx (backpain/deploy/nginx.conf, filled in by
``manage.py nginx_config``) in front of gunicorn in production mode over HTTPS, as the README deploys it.

Slow clients no longer take the site down: with 60 sockets trickling headers and 50 trickling POST bodies,
from 110 addresses, a reader still gets six pages at once (gunicorn alone serves that reader nothing:
``python -m bench.slowclients``). Then what the configuration promises besides: the client's address
reaches the site's rate limits and a forged one does not, body limits as the site's own, static files
cached for a year, uploads served as the security rules say, a crowd from one address held back, result
tokens kept out of nginx's log.

Skips where nginx is not installed (Debian: nginx), saying so; fails instead under CI=true. nginx does the
same on every database engine, so the site runs on a SQLite file of its own and `make test-postgres`
leaves this module out.
"""

import re
import socket
import time
from pathlib import Path

import pytest
from django.utils.crypto import salted_hmac

from backpain.visitors import VISITOR_HASH_SALT
from tests.harness.clients import Tally, Visitor, fetch, post_comment, raw_request, request_bytes, status_of
from tests.harness.drills import site_pages
from tests.harness.servers import SECRET, GunicornServer, NginxServer, prepare_site, production_env, run_sql
from tests.harness.services import start_or_skip
from tests.harness.slowclients import BODY, HEADERS, SlowClients, read_pages

pytestmark = pytest.mark.own_database  # the site's own SQLite file, whatever the suite runs on

HEADER_TIMEOUT = 10  # client_header_timeout in backpain/deploy/nginx.conf
CONNECTIONS_PER_ADDRESS = 32  # limit_conn in backpain/deploy/nginx.conf


@pytest.fixture(scope="module")
def site(tmp_path_factory, static_root):
    """gunicorn (production settings, HTTPS on, two workers) with the repository's nginx in front."""
    folder = tmp_path_factory.mktemp("nginx")
    env = production_env(
        folder, static_root, SQLITE_PATH=str(folder / "site.sqlite3"), DJANGO_HTTPS="1", COMMENT_MIN_FILL_SECONDS="0"
    )
    gunicorn = GunicornServer(env, workers=2)  # its port chosen, not yet started
    # First, so a machine without nginx skips before the site is set up.
    nginx = start_or_skip(NginxServer, env, f"127.0.0.1:{gunicorn.port}", folder / "nginx")
    try:
        prepare_site(env)
        # A browser's Origin names nginx's port; on a real deployment it is the site's own https:// address.
        env["DJANGO_CSRF_TRUSTED_ORIGINS"] = nginx.url
        with gunicorn:
            yield {"env": env, "nginx": nginx, "gunicorn": gunicorn, "pages": site_pages(env)}
    finally:
        nginx.stop()


def reader_pages(site):
    """Six pages a reader opens: home, an article, the article list, the muscle directory, a muscle, about."""
    return ["/", site["pages"]["articles"][0], "/articles/", "/stretches/", site["pages"]["muscles"][0], "/about/"]


def test_readers_are_served_while_slow_headers_and_slow_bodies_hold_110_connections(site):
    nginx = site["nginx"]
    pages = reader_pages(site)
    started = time.monotonic()
    with (
        SlowClients(nginx.https_port, 60, HEADERS, network=1, tls=nginx.tls) as slow_headers,
        SlowClients(nginx.https_port, 50, BODY, network=2, tls=nginx.tls) as slow_bodies,
    ):
        time.sleep(2)  # every slow socket has sent its start and keeps trickling
        reading = read_pages(nginx.url, pages, timeout=5, tls=nginx.tls)
        assert reading.statuses == [200] * 6, reading
        assert sum(reading.seconds) < 10, reading
        assert len(slow_headers.sockets) == 60 and len(slow_bodies.sockets) == 50
        # Past client_header_timeout nginx has closed every slow-header socket at least once (with a 408);
        # the slow bodies, each byte in time, are still held by nginx, never by a gunicorn worker.
        time.sleep(max(0, started + HEADER_TIMEOUT + 3 - time.monotonic()))
        assert slow_headers.closed_by_server >= 60
        assert slow_bodies.closed_by_server == 0
        again = read_pages(nginx.url, pages, timeout=5, tls=nginx.tls)
        assert again.statuses == [200] * 6, again


def test_the_same_slow_headers_sent_straight_to_gunicorn_leave_a_reader_nothing(site):
    """The attack above is a real one: without nginx, the reader's page does not come within 3 s."""
    gunicorn = site["gunicorn"]
    with SlowClients(gunicorn.port, 60, HEADERS, network=5):
        time.sleep(1)
        reading = read_pages(gunicorn.url, ["/about/"], timeout=3)
    assert reading.statuses == [None], reading
    # The slow sockets closed, gunicorn's workers are free again.
    assert fetch(gunicorn.url + "/healthz", timeout=10)[0] == 200


def test_plain_http_is_sent_to_https(site):
    answer = raw_request(site["nginx"].http_port, request_bytes("GET", "/articles/?page=2"))
    assert status_of(answer) == 301
    assert b"\r\nLocation: https://127.0.0.1/articles/?page=2\r\n" in answer


def test_the_site_sees_the_address_nginx_saw_and_not_a_forged_one(site):
    """A comment's stored visitor hash (what every rate limit counts by) is that of the socket's address."""
    nginx = site["nginx"]
    visitor = Visitor(
        nginx.url,
        Tally(),
        "commenter",
        tls=nginx.tls,
        source="127.0.3.9",
        forwarded_for="203.0.113.7",  # written by the client: nginx appends the real address after it
        headers={"Origin": nginx.url},
    )
    body = "Heat helped me more than rest did, through nginx."
    assert post_comment(visitor, site["pages"]["articles"][0], body)
    [(stored,)] = run_sql(site["env"], "SELECT visitor_hash FROM articles_comment WHERE body = ?", body)

    def hash_of(address):
        return salted_hmac(VISITOR_HASH_SALT, address, secret=SECRET, algorithm="sha256").hexdigest()

    assert stored == hash_of("127.0.3.9")
    assert stored not in {hash_of("203.0.113.7"), hash_of("127.0.0.1")}


def test_a_client_cannot_make_the_scheme_headers_disagree(site):
    """nginx sets X-Forwarded-Proto and drops the other two scheme headers gunicorn reads, so no 400."""
    nginx = site["nginx"]
    status, _, _ = fetch(nginx.url + "/about/", headers={"X-Forwarded-Ssl": "off"}, tls=nginx.tls)
    assert status == 200


def post_of(length, path):
    return request_bytes("POST", path, [("Content-Type", "application/x-www-form-urlencoded")]).replace(
        b"Content-Length: 0", b"Content-Length: " + str(length).encode()
    )


def test_body_limits_are_the_sites_own(site):
    nginx = site["nginx"]
    over_anonymous = 512 * 1024 + 1
    # Public forms and the admin's sign-in page: refused by nginx from the headers alone.
    for path in ("/contact/", "/admin/login/"):
        # Only the status line: nginx then lingers a few seconds for the body it will never read.
        answer = raw_request(nginx.https_port, post_of(over_anonymous, path), tls=nginx.tls, whole=False)
        assert status_of(answer) == 413, path
    # The admin proper takes more; the site holds anyone not signed in as staff to the small limit itself.
    request = request_bytes("POST", "/admin/articles/article/add/", body=b"a" * (1024 * 1024))
    answer = raw_request(nginx.https_port, request, tls=nginx.tls, timeout=20)
    assert status_of(answer) == 413
    assert b"That was too much to send" in answer


def test_static_files_with_hashed_names_are_cached_for_a_year(site):
    nginx = site["nginx"]
    status, _, home = fetch(nginx.url + "/", tls=nginx.tls)
    assert status == 200
    hashed = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home)[1].decode()
    status, headers, _ = fetch(nginx.url + hashed, headers={"Accept-Encoding": "gzip"}, tls=nginx.tls)
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"] == "text/css"
    assert headers["Content-Encoding"] == "gzip"  # the copy collectstatic compressed
    assert headers["X-Content-Type-Options"] == "nosniff"
    # The same file under its plain name may change with the next release: a minute only.
    plain = re.sub(r"\.[0-9a-f]{12}\.css$", ".css", hashed)
    status, headers, _ = fetch(nginx.url + plain, tls=nginx.tls)
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=60"


def test_uploads_are_served_never_sniffed_and_only_pictures_and_videos_inline(site):
    nginx = site["nginx"]
    folder = Path(site["env"]["DJANGO_MEDIA_ROOT"]) / "nginx-test"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stretch.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "stretch.vtt").write_text("WEBVTT\n")
    (folder / "page.html").write_text("<script>alert(1)</script>")
    expected = {
        "stretch.png": ("image/png", None),
        "stretch.vtt": ("text/vtt", "attachment"),
        "page.html": ("application/octet-stream", "attachment"),
    }
    for name, (content_type, disposition) in expected.items():
        status, headers, _ = fetch(f"{nginx.url}/media/nginx-test/{name}", tls=nginx.tls)
        assert status == 200, name
        assert headers["Content-Type"] == content_type, name
        assert headers["Content-Disposition"] == disposition, name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Content-Security-Policy"] == "sandbox; default-src 'none'", name
    status, _, _ = fetch(f"{nginx.url}/media/nginx-test/", tls=nginx.tls)
    assert status == 403  # no listing of the folder


def test_one_address_gets_at_most_32_connections_at_once(site):
    """Slow bodies from a single address: those past the limit are answered 429 at once, the rest wait."""
    nginx = site["nginx"]
    sockets = []
    try:
        for _ in range(CONNECTIONS_PER_ADDRESS + 8):
            address = ("127.0.0.1", nginx.https_port)
            sock = socket.create_connection(address, timeout=10, source_address=("127.0.4.2", 0))
            sock = nginx.tls.wrap_socket(sock, server_hostname="127.0.0.1")
            sock.sendall(post_of(1000, "/contact/"))
            sockets.append(sock)
        time.sleep(1)
        statuses = []
        for sock in sockets:
            sock.settimeout(0.05)
            try:
                statuses.append(status_of(sock.recv(4096)))
            except TimeoutError:
                statuses.append("waiting")
        assert statuses.count(429) == 8, statuses
        assert statuses.count("waiting") == CONNECTIONS_PER_ADDRESS, statuses
    finally:
        for sock in sockets:
            sock.close()


def test_the_access_log_never_holds_a_result_token(site):
    nginx = site["nginx"]
    fetch(nginx.url + "/assessment/result/sEcReTtOkEn123/?previous=oLdToKeN456", tls=nginx.tls)
    # nginx writes the line once the response is on its way, which can be just after the client has it.
    deadline = time.monotonic() + 10
    while "/assessment/result/[hidden]/" not in (log := nginx.access_log()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "/assessment/result/[hidden]/?previous=[hidden]" in log
    assert "sEcReTtOkEn123" not in log and "oLdToKeN456" not in log
