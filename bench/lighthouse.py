"""
Lighthouse (mobile) on the benchmark's site: home, an article, a muscle page, a question step and a result.

The site is set up and served exactly as ``bench/run.py`` does it. The question step needs a self-check
in progress, and a result shows only to the browser that saved it, so the script takes the self-check over
HTTP and hands Lighthouse the session cookie, as the reader's browser would send it. A last row audits the
same result link without that cookie: the one-click step that search engines and everyone else get, which
says ``noindex`` on purpose, so its SEO score is not 100.

Usage: ``LIGHTHOUSE=/path/to/node_modules/.bin/lighthouse CHROME_PATH=/usr/bin/chromium python -m bench.lighthouse``
(``npm install lighthouse@12`` in a folder outside the repository, or a gitignored one).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import selfcheck_reader, site_env  # noqa: E402
from tests.harness.servers import gunicorn  # noqa: E402

CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
    "SI": "speed-index",
}
TRIES = 3


def lighthouse(url, folder, cookie=None):
    report = Path(folder) / "report.json"
    command = [
        os.environ.get("LIGHTHOUSE", "lighthouse"),
        url,
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for _ in range(TRIES):
        done = subprocess.run(command, capture_output=True, text=True)
        # Lighthouse sometimes loses the trace of a load (NO_NAVSTART, "please run Lighthouse again").
        if done.returncode == 0 or "run Lighthouse again" not in done.stderr:
            break
    if done.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    result = json.loads(report.read_text())
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = [
        audit["id"]
        for audit in result["audits"].values()
        if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") == "binary"
    ]
    metrics = {
        name: result["audits"][audit]["displayValue"]
        for name, audit in METRICS.items()
        if result["audits"].get(audit, {}).get("displayValue")
    }
    return scores, failing, metrics


def main():
    with tempfile.TemporaryDirectory(prefix="backpain-lighthouse-") as folder:
        env, pages = site_env(Path(folder))
        with gunicorn(env, workers=2) as base:
            result, reader_cookie = selfcheck_reader(base)
            # The start page and the warning-sign screen sent: the reader is on question 1.
            question = selfcheck_reader(base, steps=2)
            targets = {
                "home": (pages["home"], None),
                "article": (pages["article (50 comments)"], None),
                "muscle": (pages["muscle"], None),
                "question step": question,
                "result": (result, reader_cookie),
                "result, other browser": (result, None),
            }
            print(f"{'page':<24}" + "".join(f"{name:>16}" for name in CATEGORIES) + "  failing audits")
            for name, (path, cookie) in targets.items():
                scores, failing, metrics = lighthouse(base + path, folder, cookie)
                print(f"{name:<24}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES) + "  " + ", ".join(failing))
                print(" " * 24 + "  ".join(f"{metric} {value}" for metric, value in metrics.items()))


if __name__ == "__main__":
    main()
