"""Faults under load, on real gunicorn: a worker killed mid-run, Redis gone mid-run. The site stays up."""

import os
import signal
import threading
import time

import pytest
import redis

from tests.harness.clients import Tally, Visitor, complete_selfcheck
from tests.harness.drills import Outcome, run_mixed, site_pages
from tests.harness.servers import GunicornServer, prepare_site, production_env

pytestmark = pytest.mark.own_database  # each site on a SQLite file of its own

WORKERS = 2
READERS = 8
READS_ONLY = (("read", 1),)


def public_pages(env):
    pages = site_pages(env)
    return ["/", "/articles/", "/stretches/", *pages["articles"][:5], *pages["muscles"][:5]]


def reads_in_background(url, pages, seconds):
    """Start READERS people reading pages for ``seconds``; return the outcome and the thread to join."""
    outcome = Outcome()
    options = {"outcome": outcome, "shares": READS_ONLY}
    thread = threading.Thread(target=run_mixed, args=(url, READERS, seconds, pages, []), kwargs=options, daemon=True)
    thread.start()
    return outcome, thread


def reads_done(outcome):
    return len(outcome.tally.seconds.get("read", []))


def wait_for(condition, timeout=15):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_killed_worker_is_replaced_and_readers_barely_notice(tmp_path, static_root):
    """SIGKILL one of two workers mid-load: the master starts a new one; no 5xx; at most the one request
    the killed worker was answering fails (a sync worker holds one connection at a time)."""
    env = production_env(tmp_path, static_root, DATABASE_URL="", REDIS_URL="")
    prepare_site(env)
    with GunicornServer(env, workers=WORKERS) as server:
        pages = public_pages(env)
        outcome, load = reads_in_background(server.url, pages, seconds=8)
        assert wait_for(lambda: reads_done(outcome) >= 20), "the load never started"
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        replaced = wait_for(lambda: victim not in server.worker_pids() and len(server.worker_pids()) == WORKERS)
        load.join(timeout=60)
        workers_after = server.worker_pids()

    summary = outcome.tally.summary("read")
    assert replaced, f"workers after the kill: {workers_after}"
    assert len(workers_after) == WORKERS and victim not in workers_after
    assert summary["requests"] > 50, "the load never really ran"
    assert summary["5xx"] == 0
    assert summary["4xx"] == 0
    assert summary["connection errors"] <= 1


def test_the_site_keeps_serving_when_redis_stops(tmp_path, static_root, redis_server):
    """Redis (the page cache) stopped mid-load: every page still answers 200, and a self-check still completes."""
    env = production_env(tmp_path, static_root, DATABASE_URL="", REDIS_URL=redis_server.url)
    prepare_site(env)
    with GunicornServer(env, workers=WORKERS) as server:
        pages = public_pages(env)
        outcome, load = reads_in_background(server.url, pages, seconds=8)
        assert wait_for(lambda: reads_done(outcome) >= 20), "the load never started"
        cached_pages = redis.Redis.from_url(redis_server.url).dbsize()
        redis_server.stop()
        stopped_at = reads_done(outcome)
        load.join(timeout=60)

        reader = Visitor(server.url, Tally(), "reader")
        for page in pages:
            reader.get(page)
        token = complete_selfcheck(Visitor(server.url, Tally(), "selfcheck"))

    summary = outcome.tally.summary("read")
    assert cached_pages > 0, "the pages were never cached in Redis, so stopping it proves nothing"
    assert summary["requests"] - stopped_at > 20, "too few reads after Redis stopped"
    assert summary["5xx"] == 0
    assert summary["4xx"] == 0
    assert summary["connection errors"] == 0
    assert token
