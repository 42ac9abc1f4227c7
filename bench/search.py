"""How much the costliest searches cost beside a full, uncached page render, measured in the same run.

    python -m bench.search                       # a fresh SQLite site in a temporary folder
    DATABASE_URL=postgres://... python -m bench.search   # an empty PostgreSQL database of your own

Sets up a site (``migrate``, ``load_site_content``) with the test settings (production settings, plain
static files), then asks each page through Django's test client, in turn, round after round: the longest
shipped article and the article list with a query string (so the page cache is skipped and the view,
templates and queries run in full), and the search page with each costly query. The figure is the median
time per request over the rounds, and the ratio of each page to the article page and to the article list.
The per-visitor rate limit is raised for the run (``SEARCH_RATE_LIMIT``), so every search is answered in full
and still pays for counting itself.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = {
    "ten one-letter words": "a b c d e f g h i j",
    "eight two-letter prefixes": "st th re in an co pa ba",
    "eight common words": "the and your back pain stretch muscle hold",
    "one 200-letter word": "s" * 200,
    "FTS operators and quotes": 'st* OR "th NEAR(re an) AND -pa ^co title:ba',
    "forty words, most dropped": " ".join(["st", "th", "re", "in", "an", "co", "pa", "ba"] * 5),
    # Nothing found, so each word is checked for a typing slip, and the corrected query searched again.
    "eight misspelt words": "qaudratus hamstirng strech musle lumbra addcutor erectr psaos",
    "eight made-up words": "qwxzvb plmoknij zxcvbnm wertyuio asdfghjk lkjhgfds poiuytre mnbvcxz",
    # Each phrase is a shipped search term: eight groups of three to five choices each.
    "eight readers' phrases": "sciatica lumbago piriformis slipped disc trapped nerve psoas glutes",
}


def setup(database_url, sqlite_path):
    """Django set up on the given PostgreSQL database, or else on a new SQLite file configured as the site's own
    (WAL, ``synchronous=NORMAL``, IMMEDIATE transactions: ``backpain.settings`` without ``DATABASE_URL``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = sqlite_path
    os.environ["SEARCH_RATE_LIMIT"] = "1000000"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_site_content", stdout=open(os.devnull, "w"))  # noqa: SIM115


def timed(client, url, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=10)
    parser.add_argument(
        "--large", action="store_true", help="add 10,000 made-up articles first (generate_large_dataset, no comments)"
    )
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-search-")
    setup(os.environ.get("DATABASE_URL"), f"{folder}/bench.sqlite3")
    if args.large:
        from django.core.management import call_command

        call_command("generate_large_dataset", "--yes-i-mean-it", "--comments", "0", stdout=open(os.devnull, "w"))  # noqa: SIM115

    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client

    from articles.models import Article

    longest = max(Article.objects.published(), key=lambda article: len(article.body))
    pages = {
        f"article page ({longest.slug})": longest.get_absolute_url() + "?comments_page=1",
        "article list": "/articles/?page=1",
    }
    for name, query in QUERIES.items():
        pages[f"search: {name}"] = "/search/?" + urlencode({"q": query})
    client = Client()
    for url in pages.values():
        timed(client, url, 3)  # warm up: templates compiled, connections open
    samples = {name: [] for name in pages}
    for _ in range(args.rounds):
        for name, url in pages.items():
            samples[name].append(statistics.median(timed(client, url, args.per_round)))
    article, article_list = (statistics.median(values) for values in list(samples.values())[:2])
    articles = Article.objects.published().count()
    print(f"database: {connection.vendor}, {articles} published articles")
    print(f"median of {args.rounds} rounds of {args.per_round} requests each")
    print(f"{'page':50} {'ms':>8} {'x article':>10} {'x list':>8}")
    for name, values in samples.items():
        ms = statistics.median(values)
        print(f"{name:50} {ms * 1000:8.2f} {ms / article:10.2f} {ms / article_list:8.2f}")


if __name__ == "__main__":
    main()
