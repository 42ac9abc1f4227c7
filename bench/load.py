"""
Load drills: many people at once against the real site on this machine, then a count of what was stored.

Usage: ``python -m bench.load --database sqlite|postgres --users 500 --workers 4 --scenario selfcheck|comment|mixed``
(``--duration 20`` sets the length of a mixed run).

1. A fresh site in a temporary folder, set up as a deployment would be (``tests/servers.py``): production
   settings over plain HTTP on loopback, ``migrate``, ``load_site_content``, ``collectstatic``. With
   ``--database sqlite`` a new SQLite file; with ``postgres`` a throwaway PostgreSQL and Redis
   (``tests/services.py``). gunicorn runs the project's ``gunicorn.conf.py`` with ``--workers`` sync workers
   and ``--backlog 2048``, so a queue of hundreds of people waits instead of being refused. The minimum time
   to fill in the comment form is off (``COMMENT_MIN_FILL_SECONDS=0``); the hourly limit per visitor stays.
2. Every virtual user is a thread with its own cookies, and all of them wait at one barrier before their
   first request, so they really arrive together.

   - ``selfcheck``: each user takes the whole self-check (start, warning signs "none of these", every
     question, check your answers, submit) and opens the result.
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

The drill only ever talks to 127.0.0.1 or localhost: ``Visitor`` refuses any other address.
"""

import argparse
import contextlib
import http.client
import http.cookies
import json
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import GunicornServer, manage_shell, prepare_site, production_env  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost"}
CLIENT_TIMEOUT = 120  # seconds: on 2 cores, 500 people queue for a long time; slow is not failed
BACKLOG = 2048  # connections the kernel holds for gunicorn before refusing any
# The one address a reader types or clicks to begin; every later step follows the site's own redirects.
SELFCHECK_START = "/assessment/"
RESULT_PREFIX = "/assessment/result/"
FORM_BLOCK = re.compile(r"<form\b.*?</form>", re.DOTALL | re.IGNORECASE)
# By visit: a self-check is some 35 requests, so 1 in 100 visits still makes about a quarter of all requests.
MIXED_SHARES = (("read", 0.95), ("comment", 0.04), ("selfcheck", 0.01))


class Failed(Exception):
    """A request failed: no connection, no answer, or not the answer a person would need to carry on."""


def check_target(url):
    """Refuse any address but this machine's: the drill must never load someone else's server."""
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"Refusing to send load to {url!r}: only 127.0.0.1 or localhost.")
    return url


class Tally:
    """Every request's status (None for a connection error) and time, by kind of work, from every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.seconds = {}
        self.accepted = Counter()

    def record(self, kind, status, seconds):
        with self.lock:
            self.statuses.setdefault(kind, Counter())[status] += 1
            self.seconds.setdefault(kind, []).append(seconds)

    def accept(self, kind):
        with self.lock:
            self.accepted[kind] += 1

    def summary(self, kind=None):
        """Counts, error rate and latency percentiles for one kind of work, or for all of it (``None``)."""
        kinds = [kind] if kind is not None else list(self.statuses)
        statuses = sum((self.statuses.get(k, Counter()) for k in kinds), Counter())
        times = sorted(t for k in kinds for t in self.seconds.get(k, []))
        requests = sum(statuses.values())
        client = sum(n for s, n in statuses.items() if s is not None and 400 <= s < 500)
        server = sum(n for s, n in statuses.items() if s is not None and s >= 500)
        errors = statuses.get(None, 0)
        return {
            "requests": requests,
            "accepted": sum(self.accepted[k] for k in kinds),
            "4xx": client,
            "5xx": server,
            "connection errors": errors,
            "error rate": (client + server + errors) / requests if requests else 0.0,
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
        }


def percentile(sorted_values, percent):
    """Nearest-rank percentile of already sorted values, in milliseconds; 0 when there are none."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * percent // 100))
    return sorted_values[int(rank) - 1] * 1000


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self):
        """The redirect's target as a path (the site redirects within itself)."""
        parts = urlsplit(self.headers.get("Location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")


class Visitor:
    """One person with their own cookies (and, optionally, their own address behind the trusted proxy).

    Each request opens a new connection: gunicorn's sync workers close it after every answer anyway.
    ``base`` may change between requests, to move the same person to another instance.
    """

    def __init__(self, base, tally, kind, forwarded_for=None, timeout=CLIENT_TIMEOUT):
        self.base = base
        self.tally = tally
        self.kind = kind
        self.forwarded_for = forwarded_for
        self.timeout = timeout
        self.cookies = {}

    @property
    def base(self):
        return self._base

    @base.setter
    def base(self, url):
        self._base = check_target(url.rstrip("/"))
        parts = urlsplit(self._base)
        self.host, self.port = parts.hostname, parts.port or 80

    def get(self, path, expect=(200,)):
        return self.request("GET", path, expect=expect)

    def post(self, path, fields, expect=(302, 303)):
        return self.request("POST", path, fields, expect=expect)

    def request(self, method, path, fields=None, expect=(200,)):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            self.tally.record(self.kind, None, time.monotonic() - started)
            raise Failed(f"{method} {path}: {exc!r}") from exc
        finally:
            connection.close()
        self.tally.record(self.kind, answer.status, time.monotonic() - started)
        self.keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        response = Response(answer.status, answer.headers, content.decode("utf-8", errors="replace"))
        if answer.status not in expect:
            raise Failed(f"{method} {path}: {answer.status}, expected {expect}")
        return response

    def keep_cookies(self, headers):
        for header in headers:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":  # Django deletes a cookie with Max-Age=0
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


class Form:
    """One form as a browser would send it untouched, plus each choice field's possible values."""

    def __init__(self, attrs):
        self.method = (attrs.get("method") or "get").lower()
        self.action = urlsplit(attrs.get("action") or "").path
        self.fields = []
        self.options = {}

    def value(self, name):
        return next((value for key, value in self.fields if key == name), None)

    def with_values(self, **changes):
        """The fields with some values replaced (or added), each name once."""
        fields = [(key, changes.get(key, value)) for key, value in self.fields]
        fields += [(key, value) for key, value in changes.items() if self.value(key) is None]
        return fields


class FormReader(HTMLParser):
    """Read the forms of a page: inputs, checked boxes and radios, text areas, selected options."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.text_name = None  # the textarea or option being read
        self.text = []
        self.select = None
        self.select_default = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(attrs))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            value = attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")
            if kind in {"checkbox", "radio"}:
                form.options.setdefault(name, []).append(value)
                if "checked" not in attrs:
                    return
            form.fields.append((name, value))
        elif tag == "textarea" and name:
            self.text_name, self.text = ("textarea", name), []
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "chosen": False}
            self.select_default = None
        elif tag == "option" and self.select is not None:
            self.text_name, self.text = ("option", attrs.get("value"), "selected" in attrs), []

    def handle_data(self, data):
        if self.text_name is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "textarea" and self.text_name and self.text_name[0] == "textarea":
            text = "".join(self.text)
            # As in a browser: the line break right after <textarea> is not part of the value.
            form.fields.append((self.text_name[1], text[1:] if text.startswith("\n") else text))
            self.text_name = None
        elif tag == "option" and self.text_name and self.text_name[0] == "option":
            _, value, selected = self.text_name
            value = "".join(self.text).strip() if value is None else value
            form.options.setdefault(self.select["name"], []).append(value)
            if self.select_default is None:
                self.select_default = value
            if selected and (self.select["multiple"] or not self.select["chosen"]):
                form.fields.append((self.select["name"], value))
                self.select["chosen"] = True
            self.text_name = None
        elif tag == "select" and self.select is not None:
            if not self.select["chosen"] and not self.select["multiple"] and self.select_default is not None:
                form.fields.append((self.select["name"], self.select_default))
            self.select = None


def read_forms(html):
    """The page's forms. Only the form elements are parsed: a page is large and the drill must stay cheap."""
    reader = FormReader()
    for block in FORM_BLOCK.findall(html):
        reader.feed(block)
    reader.close()
    return reader.forms


def post_form(html, path, action_contains=None):
    """The page's form that posts to ``path`` itself (or to an address containing ``action_contains``)."""
    for form in read_forms(html):
        if form.method != "post":
            continue
        if (action_contains and action_contains in form.action) or (not action_contains and form.action in ("", path)):
            return form
    raise Failed(f"no form on {path}")


def take_selfcheck(visitor, path=SELFCHECK_START, steps=None, answer=0):
    """Answer the self-check as a person would, from ``path``; return the address the site sends them to next.

    On each page: the warning-sign screen gets "I have none of these", a question its answer number ``answer``
    (the first by default; -1 for the last), the start and check pages are sent as they are. Stops at the
    result, or after ``steps`` pages when given, so the same person can carry on elsewhere (another instance)
    with ``take_selfcheck(visitor, path)``.
    """
    taken = 0
    while not path.startswith(RESULT_PREFIX):
        if steps is not None and taken == steps:
            return path
        if taken > 50:
            raise Failed(f"the self-check never ended (last page {path})")
        form = post_form(visitor.get(path).text, path)
        changes = {}
        if "none" in form.options:
            changes["none"] = "on"
        if "answer" in form.options:
            changes["answer"] = form.options["answer"][answer]
        path = visitor.post(form.action or path, form.with_values(**changes)).location
        taken += 1
    return path


def complete_selfcheck(visitor):
    """Take the whole self-check and open the result; return the result's token once it is accepted."""
    result = take_selfcheck(visitor)
    visitor.tally.accept(visitor.kind)
    token = result[len(RESULT_PREFIX) :].strip("/")
    visitor.get(result)
    return token


def post_comment(visitor, page, body, fill_seconds=0):
    """Open ``page``, write ``body`` in its comment form and post it; True when the site took it for moderation."""
    form = post_form(visitor.get(page).text, page, action_contains="/comments/")
    if fill_seconds:
        time.sleep(fill_seconds + 1)  # the form's time stamp counts whole seconds
    answer = visitor.post(form.action, form.with_values(name="Load test", body=body), expect=(303,))
    if "comment=received" not in answer.location:
        raise Failed(f"comment on {page} not taken: sent to {answer.location}")
    visitor.tally.accept(visitor.kind)
    return True


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


def run_selfchecks(base, users, outcome=None):
    """``users`` people take the whole self-check at the same moment, each with their own cookies."""
    outcome = outcome or Outcome()

    def person(number):
        token = complete_selfcheck(Visitor(base, outcome.tally, "selfcheck"))
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
    from tests.services import Postgres, Redis

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
    parser.add_argument("--scenario", choices=["selfcheck", "comment", "mixed"], default="mixed")
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
            expected = args.users * (35 if args.scenario == "selfcheck" else 2)
            delay, ready = 0, lambda: outcome.tally.summary()["requests"] >= expected // 2
        with BackupDuringLoad(env, Path(folder) / "backups", delay, ready) as backup:
            if args.scenario == "selfcheck":
                run_selfchecks(server.url, args.users, outcome)
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
