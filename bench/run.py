"""
The benchmark behind ``make bench``: the site's pages against the framework's own speed, in one run.

1. A fresh site in a temporary folder: production settings over plain HTTP on loopback (``DJANGO_HTTPS=0``),
   a new SQLite file with ``load_site_content``, ``collectstatic``; then 50 approved comments on one
   article (``bench/fixtures.py``).
2. gunicorn with the project's ``gunicorn.conf.py`` and 2 sync workers, settings ``bench.settings``:
   the production settings plus ``/bench/reference/?bytes=n`` (``bench/urls.py``).
3. One reader takes the whole self-check over HTTP; their result is measured with their session cookie,
   as they see it (a browser that did not save it gets a one-click step instead).
4. For each page: ``wrk -t2 -c16 -d10s --latency`` on the page, then on the reference view returning the
   same number of bytes, in turn, three rounds; the medians of requests per second, p50, p99 and of the
   per-round ratios page / reference.
5. Uncached renders (a query string skips the page cache) of the article list and the article: the demo
   site against a copy of it grown by ``generate_large_dataset`` (10,000 articles, 100,000 comments),
   each served by its own gunicorn and measured in turn.
6. The weight of the article page with its CSS and JavaScript, compressed as served (brotli for static
   files from WhiteNoise; gzip level 6 for the HTML, as a proxy in front would send it).

Usage: ``python -m bench.run [--duration 10s] [--rounds 3] [--skip-large]``. Needs ``wrk`` (``apt-get install wrk``).
"""

import argparse
import gzip
import json
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.harness.clients import Tally, Visitor, take_selfcheck  # noqa: E402
from tests.harness.clients import fetch as request  # noqa: E402
from tests.harness.servers import gunicorn, manage, prepare_site, production_env  # noqa: E402

TARGET_RATIO = 0.5
TARGET_GROWTH = 1.5
MUST_REACH_TARGET = {"home", "article (50 comments)", "muscle"}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"')


def wrk(url, duration, cookie=None):
    """Run wrk on one URL (with a ``Cookie`` header when given); return requests per second, p50 and p99 in ms."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    result = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", "--latency", *headers, url], capture_output=True, text=True, check=True
    )
    output = result.stdout
    if "Non-2xx or 3xx responses" in output or re.search(r"Socket errors:.*(?:connect|read|write) [1-9]", output):
        raise RuntimeError(f"wrk saw errors on {url}:\n{output}")
    # A timeout (over 2 s) is a slow answer, not an error; it shows in p99.

    def latency(percentile):
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE).groups()
        return float(value) * UNITS[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rps, latency(50), latency(99)


def fetch(url, encoding=None, cookie=None):
    """The body and headers of a page that must answer 200."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    if cookie:
        headers["Cookie"] = cookie
    status, headers, body = request(url, headers=headers)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return body, headers


def page_weight(base, path):
    """Bytes on the wire for a page's HTML (gzip) and its CSS and JavaScript (as served, brotli)."""
    html, _ = fetch(base + path)
    parts = {"HTML (gzip)": len(gzip.compress(html, compresslevel=6))}
    for asset in sorted(set(ASSET.findall(html.decode()))):
        body, headers = fetch(base + asset, encoding="br, gzip")
        parts[f"{asset} ({headers.get('Content-Encoding', 'identity')})"] = len(body)
    return parts


def site_env(folder):
    env = production_env(
        folder, folder / "static", DJANGO_SETTINGS_MODULE="bench.settings", SQLITE_PATH=str(folder / "site.sqlite3")
    )
    prepare_site(env)
    pages = subprocess.run(
        [sys.executable, "-m", "bench.fixtures"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return env, json.loads(pages.stdout)


def selfcheck_reader(base, steps=None):
    """Take the self-check over HTTP as one reader; return their result's path and their cookie.

    The second answer to every question ends in a tie of two imbalances: the longest kind of result, two plans.
    With ``steps``, the reader stops after that many pages instead, and the path is the page they reached.
    """
    reader = Visitor(base, Tally(), "bench")
    path = take_selfcheck(reader, steps=steps, answer=1)
    return path, "; ".join(f"{name}={value}" for name, value in reader.cookies.items())


def median(values):
    return statistics.median(values)


def interleaved(first_url, second_url, duration, rounds, cookie=None):
    """wrk on two URLs in turn, ``rounds`` times; the median of each figure and of the per-round ratios.

    The machine is shared and its speed drifts from minute to minute; measuring the two back to back,
    several times, and taking the median of first / second keeps that drift out of the ratio.
    """
    firsts, seconds = [], []
    for _ in range(rounds):
        firsts.append(wrk(first_url, duration, cookie))
        seconds.append(wrk(second_url, duration))
    ratio = median([a[0] / b[0] for a, b in zip(firsts, seconds, strict=True)])
    summary = [tuple(median(run[i] for run in runs) for i in range(3)) for runs in (firsts, seconds)]
    return summary[0], summary[1], ratio


def measure(base, pages, duration, rounds, cookies=None):
    """Each page against the reference of its size; ``cookies`` maps a page's name to the cookie it is read with."""
    rows = []
    cookies = cookies or {}
    for name, path in pages.items():
        cookie = cookies.get(name)
        body, _ = fetch(base + path, cookie=cookie)
        size = len(body)
        # Warm up: the first visit renders and caches the page in each worker's path.
        for _ in range(4):
            fetch(base + path, cookie=cookie)
        reference = f"{base}/bench/reference/?bytes={size}"
        page, reference, ratio = interleaved(base + path, reference, duration, rounds, cookie)
        rows.append((name, size, page, reference, ratio))
    return rows


def uncached(demo_base, large_base, article, duration, rounds):
    """Full renders of the list and an article (a query string skips the cache), demo site against large site."""
    results = {}
    for name, path in (("article list", "/articles/?page=1"), ("article", f"{article}?comments_page=1")):
        demo, large, ratio = interleaved(demo_base + path, large_base + path, duration, rounds)
        results[name] = (demo[0], large[0], ratio)
    return results


def report_growth(results):
    print(f"\nUncached renders, demo content vs 10,000 articles and 100,000 comments (target within {TARGET_GROWTH}x):")
    slow = []
    for name, (demo, large, ratio) in results.items():
        print(f"  {name:<14}{demo:>8.0f} req/s -> {large:>6.0f} req/s   {ratio:.2f}x slower (median of rounds)")
        if ratio > TARGET_GROWTH:
            slow.append(name)
    return not slow


def report(rows, weight):
    print(f"{'page':<24}{'bytes':>8}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'ref req/s':>11}{'ref p99':>9}{'ratio':>7}")
    failed = []
    for name, size, (rps, p50, p99), (ref_rps, _, ref_p99), ratio in rows:
        print(f"{name:<24}{size:>8}{rps:>9.0f}{p50:>8.2f}{p99:>8.2f}{ref_rps:>11.0f}{ref_p99:>9.2f}{ratio:>7.2f}")
        if name in MUST_REACH_TARGET and ratio < TARGET_RATIO:
            failed.append(name)
    print()
    print("Article page weight, compressed:")
    for part, size in weight.items():
        print(f"  {size:>7}  {part}")
    print(f"  {sum(weight.values()):>7}  total")
    if failed:
        print(f"\nBelow the target ratio of {TARGET_RATIO}: {', '.join(failed)}")
    return not failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", default="10s", help="how long wrk runs per URL (default 10s)")
    parser.add_argument("--rounds", type=int, default=3, help="page and reference measured in turn, N times")
    parser.add_argument("--skip-large", action="store_true", help="skip the 10,000-article comparison")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="backpain-bench-") as folder:
        env, pages = site_env(Path(folder))
        article = pages["article (50 comments)"]
        with gunicorn(env, workers=2) as base:
            pages["self-check result"], cookie = selfcheck_reader(base)
            rows = measure(base, pages, args.duration, args.rounds, cookies={"self-check result": cookie})
            weight = page_weight(base, article)
        if not args.skip_large:
            # A copy of the demo site, grown to 10,000 articles and 100,000 comments, served beside it.
            large_env = {**env, "SQLITE_PATH": str(Path(folder) / "large.sqlite3")}
            with sqlite3.connect(env["SQLITE_PATH"]) as source, sqlite3.connect(large_env["SQLITE_PATH"]) as copy:
                source.backup(copy)
            manage(large_env, "generate_large_dataset", "--yes-i-mean-it")
            with gunicorn(env, workers=2) as demo_base, gunicorn(large_env, workers=2) as large_base:
                growth = uncached(demo_base, large_base, article, args.duration, args.rounds)
    ok = report(rows, weight)
    if not args.skip_large:
        ok = report_growth(growth) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
