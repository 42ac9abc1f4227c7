"""
Load drills: many people at once against the real site on this machine, then a count of what was stored.

Usage: ``python -m bench.load --database sqlite|postgres --users 500 --workers 4 --scenario selfcheck|comment|mixed``
(``--duration 20`` sets the length of a mixed run).

1. A fresh site in a temporary folder, set up as a deployment would be (``tests/harness/servers.py``): production
   settings over plain HTTP on loopback, ``migrate``, ``load_site_content``, ``collectstatic``. With
   ``--database sqlite`` a new SQLite file; with ``postgres`` a throwaway PostgreSQL and Redis
   (``tests/harness/services.py``). gunicorn runs the project's ``gunicorn.conf.py`` with ``--workers`` sync workers
   and ``--backlog 2048``, so a queue of hundreds of people waits instead of being refused. The minimum time
   to fill in the comment form is off (``COMMENT_MIN_FILL_SECONDS=0``); the hourly limit per visitor stays.
2. Every virtual user is a thread with its own cookies, and all of them wait at one barrier before their
   first request, so they really arrive together.

   - ``selfcheck``: each user takes the whole self-check (start, warning signs "none of these", every
     question, check your answers, submit) and opens the result.
   - ``selfcheck-lockstep``: the same, but everyone also waits for the others on "check your answers" and
     all submit at the same moment: the step that writes the result, hit by the whole crowd at once.
   - ``comment``: each user opens an article and posts a comment with a body nobody else posts, from an
     address of its own (``X-Forwarded-For``, trusted from 127.0.0.1), so the per-visitor limit stays out
     of the way.
   - ``mixed``: for ``--duration`` seconds each user mostly reads pages (home, article list, articles,
     stretch guides, a saved result) and now and then posts a comment or takes the self-check.

3. Half-way through the load (or ``--backup-after`` seconds in), ``manage.py backup_site`` copies the database
   while the load goes on; on SQLite the copy is opened and must pass ``PRAGMA integrity_check``.
4. Then the database is asked what it holds: every accepted comment must be stored exactly once, every
   accepted self-check must have its result row, and nothing else may have been written.

The report gives, per kind of work, accepted submissions, 4xx, 5xx, connection errors, the error rate and
p50/p95/p99 latency (queueing included). The exit status is non-zero on any 5xx or any mismatch between
accepted and stored. A refused or reset connection counts as an error, never as a success.

The drill only ever talks to 127.0.0.1 or localhost: ``Visitor`` refuses any other address. The visitors and
the drills are the test harness's (``tests/harness/clients.py``, ``tests/harness/drills.py``); this file is
their command line and report.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.harness.clients import RESULT_PREFIX, Tally, Visitor, complete_selfcheck  # noqa: E402
from tests.harness.drills import (  # noqa: E402
    BackupDuringLoad,
    Outcome,
    local_site,
    mismatches,
    run_comments,
    run_mixed,
    run_selfchecks,
    site_pages,
    stored,
)


def report(title, outcome, problems):
    print(title)
    print(f"  {outcome.seconds:.1f} s")
    header = ("work", "requests", "accepted", "4xx", "5xx", "conn err", "err rate", "p50 ms", "p95 ms", "p99 ms")
    print("  " + "".join(f"{name:>10}" for name in header))
    kinds = sorted(outcome.tally.statuses)
    for kind in kinds + (["all"] if len(kinds) > 1 else []):
        row = outcome.tally.summary(None if kind == "all" else kind)
        cells = [kind, row["requests"], row["accepted"], row["4xx"], row["5xx"], row["connection errors"]]
        cells += [f"{row['error rate']:.2%}", f"{row['p50']:.0f}", f"{row['p95']:.0f}", f"{row['p99']:.0f}"]
        print("  " + "".join(f"{cell:>10}" for cell in cells))
    print(f"  comments: {len(outcome.comments)} accepted; self-checks: {len(outcome.tokens)} accepted")
    if problems:
        print("  stored vs accepted: MISMATCH: " + "; ".join(problems))
    else:
        print("  stored vs accepted: every accepted submission stored exactly once")


def server_errors(outcome):
    return outcome.tally.summary()["5xx"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=100, help="virtual users, all started at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--scenario", choices=["selfcheck", "selfcheck-lockstep", "comment", "mixed"], default="mixed")
    parser.add_argument("--duration", type=float, default=20, help="seconds of a mixed run")
    parser.add_argument(
        "--backup-after", type=float, help="seconds into the load to run backup_site (default: half-way)"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="backpain-load-") as folder,
        local_site(args.database, args.workers, Path(folder)) as (env, server),
    ):
        pages = site_pages(env)
        reads = ["/", "/articles/", "/stretches/", *pages["articles"], *pages["muscles"]]
        if args.scenario == "mixed":
            # One saved result link to open, taken before the count of results starts (other visitors get its
            # one-click step, as anyone does who opens a result link in another browser).
            token = complete_selfcheck(Visitor(server.url, Tally(), "setup"))
            reads.append(f"{RESULT_PREFIX}{token}/")
        before = stored(env, Outcome())["assessments"]
        outcome = Outcome()
        if args.backup_after is not None:
            delay, ready = args.backup_after, None
        elif args.scenario == "mixed":
            delay, ready = args.duration / 2, None
        else:  # when half the requests are done (a self-check is some 35 requests, a comment 2)
            expected = args.users * (35 if args.scenario.startswith("selfcheck") else 2)
            delay, ready = 0, lambda: outcome.tally.summary()["requests"] >= expected // 2
        with BackupDuringLoad(env, Path(folder) / "backups", delay, ready) as backup:
            if args.scenario.startswith("selfcheck"):
                run_selfchecks(server.url, args.users, outcome, lockstep=args.scenario == "selfcheck-lockstep")
            elif args.scenario == "comment":
                run_comments(server.url, args.users, pages["articles"], outcome=outcome)
            else:
                run_mixed(server.url, args.users, args.duration, reads, pages["articles"], outcome=outcome)
        problems = mismatches(outcome, stored(env, outcome), before) + backup.problems()
    title = f"{args.scenario}: {args.users} users, {args.workers} workers, {args.database}"
    report(title, outcome, problems)
    print("  " + backup.describe())
    if server_errors(outcome) or problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
