"""Many people at once against real gunicorn workers: nobody gets an error page and every result is stored,
and a backup taken in the middle of it is sound.

The load comes from ``bench/load.py`` (the same code as ``python -m bench.load``), at a size that fits a test.
"""

import uuid
from pathlib import Path

import pytest

from tests.harness.drills import BACKLOG, BackupDuringLoad, Outcome, mismatches, run_selfchecks, stored
from tests.harness.servers import GunicornServer, prepare_site, production_env

pytestmark = pytest.mark.own_database  # one site on a SQLite file, one on a private PostgreSQL server

PEOPLE = 60
WORKERS = 4
REQUESTS = PEOPLE * 35  # a self-check from start to result is about 35 requests


def sixty_selfchecks_at_once(env, backup_folder):
    """60 self-checks at once, ``backup_site`` run when a third of their requests are done (every step writes
    the reader's session, so the database is busy with writes); the outcome, problems and backup."""
    prepare_site(env)
    before = stored(env, Outcome())["assessments"]
    outcome = Outcome()

    def a_third_done():
        return outcome.tally.summary()["requests"] >= REQUESTS // 3

    with (
        GunicornServer(env, workers=WORKERS, options=["--backlog", str(BACKLOG)]) as server,
        BackupDuringLoad(env, backup_folder, delay=0, ready=a_third_done) as backup,
    ):
        run_selfchecks(server.url, PEOPLE, outcome)
    return outcome, mismatches(outcome, stored(env, outcome), before), backup.result


def assert_all_served_and_stored(outcome, problems, backup):
    summary = outcome.tally.summary("selfcheck")
    assert summary["5xx"] == 0
    assert summary["connection errors"] == 0
    assert summary["4xx"] == 0
    assert len(outcome.tokens) == PEOPLE, "not everyone reached their result"
    assert problems == []
    # The backup was taken while people were still submitting, and it is a sound copy.
    assert backup["returncode"] == 0
    assert backup["during_load"]
    assert Path(backup["path"]).stat().st_size > 0


def test_sixty_people_take_the_self_check_at_once_on_sqlite(tmp_path, static_root):
    """60 simultaneous self-checks over 4 workers on one SQLite file: no 5xx, 60 results stored."""
    env = production_env(tmp_path, static_root, DATABASE_URL="", REDIS_URL="")
    outcome, problems, backup = sixty_selfchecks_at_once(env, tmp_path / "backups")
    assert_all_served_and_stored(outcome, problems, backup)
    assert backup["integrity"] == "ok"


def test_sixty_people_take_the_self_check_at_once_on_postgres(tmp_path, static_root, postgres_server):
    """The same on PostgreSQL: no 5xx, 60 results stored."""
    database = postgres_server.create_database(f"load_{uuid.uuid4().hex[:8]}")
    env = production_env(tmp_path, static_root, DATABASE_URL=database, REDIS_URL="")
    assert_all_served_and_stored(*sixty_selfchecks_at_once(env, tmp_path / "backups"))
