"""The page cache over real gunicorn in production mode: a cached page carries exactly the headers of a
freshly rendered one, whatever host port or tracking parameter asks; and two instances run as one user keep
a control socket each."""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.harness.clients import SECURITY_HEADERS, fetch
from tests.harness.servers import GunicornServer, manage_shell, prepare_site, production_env

PAGES = """
import json
from articles.models import Article
print(json.dumps({"article": Article.objects.published().order_by("pk").first().get_absolute_url()}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, static_root):
    env = production_env(tmp_path_factory.mktemp("pagecache-http"), static_root)
    prepare_site(env)
    with GunicornServer(env, workers=2) as server:
        yield server, manage_shell(env, PAGES)


def get(url, **headers):
    status, answer, body = fetch(url, headers=headers)
    assert status == 200
    return answer, body


def test_a_cached_page_has_the_headers_of_a_fresh_render(site):
    server, pages = site
    url = server.url + pages["article"]
    fresh, body = get(url + "?comments_page=1")  # a parameter the page reads: rendered by the whole stack
    for _ in range(4):  # both workers have stored the page
        cached, cached_body = get(url)
    assert cached_body.count(b"<article") == body.count(b"<article")
    for name in SECURITY_HEADERS:
        assert cached.get_all(name) == fresh.get_all(name), name
    assert int(cached["Content-Length"]) == len(cached_body)


def test_the_home_page_from_the_cache_sets_no_cookie(site):
    server, _ = site
    for _ in range(4):
        answer, body = get(server.url + "/?utm_source=test")
    assert answer.get_all("Set-Cookie") is None
    assert b"csrfmiddlewaretoken" not in body
    assert answer["Content-Security-Policy"]


def test_a_port_in_the_host_header_never_reaches_the_page(site):
    server, pages = site
    for port in (1, 65000):
        _, body = get(server.url + pages["article"], Host=f"127.0.0.1:{port}")
        assert f"127.0.0.1:{port}/".encode() not in body


@pytest.fixture
def short_tmp_path():
    """A folder with a short path: a Unix socket's path must fit in 107 bytes."""
    with tempfile.TemporaryDirectory(prefix="ctl-", dir="/tmp") as folder:  # noqa: S108
        yield Path(folder)


def test_two_instances_run_as_one_user_have_a_control_socket_each(site, short_tmp_path):
    server, _ = site
    tmp_path = short_tmp_path
    env = {**server.env, "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)}
    with GunicornServer(env, workers=1) as first:
        with GunicornServer(env, workers=1) as second:
            sockets = sorted(path.name for path in Path(tmp_path).glob("*.ctl"))
            assert sockets == sorted([f"backpain-127.0.0.1-{first.port}.ctl", f"backpain-127.0.0.1-{second.port}.ctl"])
            for instance in (first, second):
                control = tmp_path / f"backpain-127.0.0.1-{instance.port}.ctl"
                gunicornc = Path(sys.executable).with_name("gunicornc")
                shown = subprocess.run(
                    [str(gunicornc), "-s", str(control), "-c", "show workers", "-j"],
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=True,
                )
                pids = {worker["pid"] for worker in json.loads(shown.stdout)["workers"]}
                assert pids == set(instance.worker_pids())
        # Stopping the second left the first one's socket in place.
        assert (tmp_path / f"backpain-127.0.0.1-{first.port}.ctl").exists()


def test_the_control_socket_follows_the_environment_when_named(site, short_tmp_path):
    server, _ = site
    tmp_path = short_tmp_path
    named = tmp_path / "named.ctl"
    env = {**server.env, "HOME": str(tmp_path), "GUNICORN_CONTROL_SOCKET": str(named)}
    with GunicornServer(env, workers=1):
        assert named.exists()
        assert not list(tmp_path.glob("backpain-*.ctl"))


def test_no_page_in_the_log_failed(site):
    server, _ = site
    assert not re.search(r"Traceback|Error handling request", server.log_tail(20000))
