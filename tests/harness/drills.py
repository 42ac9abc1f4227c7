"""Load drills: many visitors at once against a running site, then a count of what it stored.

The pieces of ``python -m bench.load`` (its command line and its report live there), for tests that put
the site under load too.
"""

import contextlib
import json
import random
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.harness.clients import Failed, Tally, Visitor, complete_selfcheck, post_comment
from tests.harness.servers import ROOT, GunicornServer, manage_shell, prepare_site, production_env
from tests.harness.services import Postgres, Redis

BACKLOG = 2048  # connections the kernel holds for gunicorn before refusing any
# By visit: a self-check is some 35 requests, so 1 in 100 visits still makes about a quarter of all requests.
MIXED_SHARES = (("read", 0.95), ("comment", 0.04), ("selfcheck", 0.01))


def address(number):
    """A distinct private address per visitor, as a proxy in front of the site would forward it."""
    return f"10.{number // 62500 % 256}.{number // 250 % 250}.{number % 250 + 1}"


def together(users, action):
    """Run ``action(n)`` in ``users`` threads released at once by one barrier; return their results (None: failed)."""
    barrier = threading.Barrier(users)
    results = [None] * users

    def person(number):
        barrier.wait()
        try:
            results[number] = action(number)
        except Failed:
            results[number] = None

    threading.stack_size(512 * 1024)  # hundreds of threads: small stacks are plenty for this code
    threads = [threading.Thread(target=person, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@dataclass
class Outcome:
    """What a scenario did: its requests, and the submissions the site accepted, to compare with the database."""

    tally: Tally = field(default_factory=Tally)
    marker: str = field(default_factory=lambda: f"load-{uuid.uuid4().hex[:12]}")
    comments: list = field(default_factory=list)
    tokens: list = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def comment_body(self, number):
        return f"{self.marker} visitor {number}: stretching the hip flexors every evening has helped my back."

    def kept(self, bucket, value):
        with self.lock:
            bucket.append(value)


def run_selfchecks(base, users, outcome=None, lockstep=False):
    """``users`` people take the whole self-check at the same moment, each with their own cookies.

    ``lockstep``: they also wait for each other on the "check your answers" page and all send their answers
    at the same moment, the shape of a crowd that arrived together from one shared link (the final step is
    the one that writes the result). Someone whose run failed earlier still takes their place at that
    barrier, so the others are never left waiting.
    """
    outcome = outcome or Outcome()
    final = threading.Barrier(users) if lockstep else None

    def person(number):
        waited = False

        def wait_for_everyone():
            nonlocal waited
            waited = True
            final.wait()

        try:
            token = complete_selfcheck(
                Visitor(base, outcome.tally, "selfcheck"), before_submitting=wait_for_everyone if final else None
            )
        finally:
            if final and not waited:
                final.wait()
        outcome.kept(outcome.tokens, token)

    started = time.monotonic()
    together(users, person)
    outcome.seconds = time.monotonic() - started
    return outcome


def run_comments(base, users, pages, fill_seconds=0, outcome=None):
    """``users`` people, each from their own address, post one comment each at the same moment."""
    outcome = outcome or Outcome()

    def person(number):
        body = outcome.comment_body(number)
        visitor = Visitor(base, outcome.tally, "comment", forwarded_for=address(number))
        post_comment(visitor, pages[number % len(pages)], body, fill_seconds)
        outcome.kept(outcome.comments, body)

    started = time.monotonic()
    together(users, person)
    outcome.seconds = time.monotonic() - started
    return outcome


def run_mixed(base, users, duration, reads, comment_pages, outcome=None, shares=MIXED_SHARES):
    """For ``duration`` seconds, ``users`` people mostly read pages and sometimes comment or take the self-check.

    ``shares`` weighs the kinds of visit; ``(("read", 1),)`` makes a run of reads only.
    """
    outcome = outcome or Outcome()
    counter = iter(range(10**9))
    counter_lock = threading.Lock()
    deadline = time.monotonic() + duration

    def person(number):
        chooser = random.Random(number)
        kinds, weights = zip(*shares, strict=True)
        while time.monotonic() < deadline:
            kind = chooser.choices(kinds, weights)[0]
            try:
                if kind == "read":
                    Visitor(base, outcome.tally, "read").get(chooser.choice(reads))
                elif kind == "comment":
                    with counter_lock:
                        serial = next(counter)
                    # A new address per comment: a busy reader must not run into the hourly limit.
                    visitor = Visitor(base, outcome.tally, "comment", forwarded_for=address(serial))
                    body = outcome.comment_body(serial)
                    post_comment(visitor, chooser.choice(comment_pages), body)
                    outcome.kept(outcome.comments, body)
                else:
                    outcome.kept(outcome.tokens, complete_selfcheck(Visitor(base, outcome.tally, "selfcheck")))
            except Failed:
                continue

    started = time.monotonic()
    together(users, person)
    outcome.seconds = time.monotonic() - started
    return outcome


PAGES_CODE = """
import json
from articles.models import Article, Muscle
print(json.dumps({
    "articles": [a.get_absolute_url() for a in Article.objects.published()],
    "muscles": [m.get_absolute_url() for m in Muscle.objects.all()],
}))
"""

STORED_CODE = """
import json, sys
from articles.models import Comment
from assessment.models import Assessment
asked = json.load(sys.stdin)
print(json.dumps({
    "bodies": list(Comment.objects.filter(body__startswith=asked["marker"]).values_list("body", flat=True)),
    "tokens": list(Assessment.objects.filter(token__in=asked["tokens"]).values_list("token", flat=True)),
    "assessments": Assessment.objects.count(),
}))
"""


class BackupDuringLoad:
    """``manage.py backup_site`` run once in the middle of the load, as a nightly backup might be.

    It runs ``delay`` seconds in, and then once ``ready()`` (if given) is true, e.g. half the people done.

    ``result`` holds the backup's path, whether it finished while the load was still running, and for SQLite
    ``PRAGMA integrity_check`` of the copy and the results it holds (``backup_site`` itself refuses to keep
    a copy that fails the check, or a PostgreSQL dump that ``pg_restore --list`` cannot read).
    """

    def __init__(self, env, folder, delay, ready=None):
        self.env = env
        self.folder = Path(folder)
        self.delay = delay
        self.ready = ready
        self.result = {}
        self.load_running = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.load_running.set()
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.load_running.clear()
        self.thread.join(timeout=300)

    def _run(self):
        time.sleep(self.delay)
        while self.ready is not None and not self.ready() and self.load_running.is_set():
            time.sleep(0.1)
        command = [sys.executable, "manage.py", "backup_site", "--output-dir", str(self.folder)]
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300)
        self.result = {"returncode": done.returncode, "during_load": self.load_running.is_set()}
        if done.returncode != 0:
            self.result["error"] = done.stderr.strip()[-500:]
            return
        self.result["path"] = done.stdout.strip().splitlines()[-1]
        if not self.env.get("DATABASE_URL"):
            path = Path(self.result["path"]).as_uri() + "?mode=ro"
            with contextlib.closing(sqlite3.connect(path, uri=True)) as copy:
                self.result["integrity"] = copy.execute("PRAGMA integrity_check").fetchone()[0]
                self.result["assessments"] = copy.execute("SELECT COUNT(*) FROM assessment_assessment").fetchone()[0]

    def problems(self):
        if self.result.get("returncode") != 0:
            return [f"the backup during the load failed: {self.result.get('error', 'it did not finish')}"]
        if self.result.get("integrity", "ok") != "ok":
            return [f"the backup during the load fails PRAGMA integrity_check: {self.result['integrity']}"]
        return []

    def describe(self):
        if self.result.get("returncode") != 0:
            return "backup during the load: FAILED"
        when = "while the load ran" if self.result["during_load"] else "after the load had ended"
        line = f"backup during the load: {self.result['path']} (finished {when})"
        if "integrity" in self.result:
            line += f"; PRAGMA integrity_check: {self.result['integrity']}; results in it: {self.result['assessments']}"
        else:
            line += "; pg_restore --list read it back"
        return line


def site_pages(env):
    """The published articles' and the muscle guides' addresses."""
    return manage_shell(env, PAGES_CODE)


def stored(env, outcome):
    """What the database holds for the outcome: comment bodies with its marker, its result tokens, all results."""
    asked = {"marker": outcome.marker, "tokens": outcome.tokens}
    return manage_shell(env, STORED_CODE, json.dumps(asked))


def mismatches(outcome, rows, assessments_before):
    """Every way the database differs from what the site accepted; empty when each was stored exactly once."""
    problems = []
    bodies = Counter(rows["bodies"])
    accepted = set(outcome.comments)
    twice = [body for body, count in bodies.items() if count > 1]
    missing = accepted - set(bodies)
    extra = set(bodies) - accepted
    if twice:
        problems.append(f"{len(twice)} accepted comments stored more than once")
    if missing:
        problems.append(f"{len(missing)} accepted comments not stored")
    if extra:
        problems.append(f"{len(extra)} comments stored that were never accepted")
    lost = set(outcome.tokens) - set(rows["tokens"])
    if lost:
        problems.append(f"{len(lost)} accepted self-checks have no stored result")
    new_results = rows["assessments"] - assessments_before
    if new_results != len(outcome.tokens):
        problems.append(f"{new_results} results stored for {len(outcome.tokens)} accepted self-checks")
    return problems


@contextlib.contextmanager
def local_site(database, workers, folder):
    """A fresh site in ``folder`` under gunicorn, on SQLite or on a throwaway PostgreSQL with Redis."""
    services = []
    try:
        urls = {"DATABASE_URL": "", "REDIS_URL": ""}
        if database == "postgres":
            postgres = Postgres().start()
            services.append(postgres)
            redis = Redis().start()
            services.append(redis)
            urls = {"DATABASE_URL": postgres.create_database("backpain"), "REDIS_URL": redis.url}
        env = production_env(folder, folder / "static", COMMENT_MIN_FILL_SECONDS="0", **urls)
        prepare_site(env)
        with GunicornServer(env, workers=workers, options=["--backlog", str(BACKLOG)]) as server:
            yield env, server
    finally:
        for service in reversed(services):
            service.stop()
