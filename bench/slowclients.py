"""
Slow clients against gunicorn alone, then against the repository's nginx in front of it: what a reader gets.

Usage: ``python -m bench.slowclients [--headers 60] [--bodies 50] [--workers 2] [--timeout 5]``

1. A fresh site in a temporary folder (``tests/harness/servers.py``): production settings, a new SQLite file,
   ``migrate``, ``load_site_content``, ``collectstatic``; gunicorn with the project's ``gunicorn.conf.py``.
2. **gunicorn alone** (plain HTTP on loopback): a reader opens six pages (home, an article, the article
   list, the muscle directory, a muscle, about) with nothing else going on; then ``--headers`` sockets
   trickle request headers (one line a second, never ending them) and ``--bodies`` sockets trickle POST
   bodies to the contact form (one byte a second), each from an address of its own on 127.x.y.z, and the
   reader opens the six pages again, each page given ``--timeout`` seconds.
3. **nginx in front** (``backpain/deploy/nginx.conf`` filled in by ``manage.py nginx_config``, HTTPS with a
   throwaway certificate, a new gunicorn with HTTPS on): the same two readings under the same attack.

The report gives, for each, pages served with 200 out of six and the reader's seconds. The exit status is
non-zero when nginx leaves the reader anything short of six pages. ``tests/test_nginx_http.py`` checks the
nginx half on every run of the suite; this script adds the gunicorn-alone baseline, which takes a while
because every page the attack blocks costs the reader its whole timeout. Everything talks to 127.0.0.1 only.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.harness.drills import site_pages  # noqa: E402
from tests.harness.servers import GunicornServer, NginxServer, prepare_site, production_env  # noqa: E402
from tests.harness.slowclients import BODY, HEADERS, SlowClients, read_pages  # noqa: E402


def line(title, reading):
    statuses = " ".join(str(status) if status else "-" for status in reading.statuses)
    return f"{title:<34} {reading.served}/6 served in {sum(reading.seconds):5.1f} s   [{statuses}]"


def measure(title, base, port, pages, options, tls=None):
    """The reader before and during the attack; returns the reading under attack."""
    quiet = read_pages(base, pages, timeout=options.timeout, tls=tls)
    print(line(f"{title}, no attack", quiet), flush=True)
    with (
        SlowClients(port, options.headers, HEADERS, network=1, tls=tls),
        SlowClients(port, options.bodies, BODY, network=2, tls=tls),
    ):
        time.sleep(2)
        attacked = read_pages(base, pages, timeout=options.timeout, tls=tls)
    print(line(f"{title}, under attack", attacked), flush=True)
    return attacked


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--headers", type=int, default=60, help="sockets trickling headers (slowloris)")
    parser.add_argument("--bodies", type=int, default=50, help="sockets trickling POST bodies")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--timeout", type=float, default=5, help="seconds the reader gives each page")
    options = parser.parse_args()
    print(
        f"{options.headers} slow-header and {options.bodies} slow-body sockets, {options.workers} gunicorn workers, "
        f"{options.timeout:g} s per page",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="backpain-slowclients-") as name:
        folder = Path(name)
        env = production_env(folder, folder / "static", SQLITE_PATH=str(folder / "site.sqlite3"))
        prepare_site(env)
        pages = site_pages(env)
        pages = ["/", pages["articles"][0], "/articles/", "/stretches/", pages["muscles"][0], "/about/"]
        with GunicornServer(env, workers=options.workers) as alone:
            measure("gunicorn alone", alone.url, alone.port, pages, options)
        behind = dict(env, DJANGO_HTTPS="1")
        gunicorn = GunicornServer(behind, workers=options.workers)
        with NginxServer(behind, f"127.0.0.1:{gunicorn.port}", folder / "nginx") as nginx:
            behind["DJANGO_CSRF_TRUSTED_ORIGINS"] = nginx.url
            with gunicorn:
                attacked = measure("nginx in front", nginx.url, nginx.https_port, pages, options, tls=nginx.tls)
    return 0 if attacked.served == len(pages) else 1


if __name__ == "__main__":
    sys.exit(main())
