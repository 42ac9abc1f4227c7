"""backup_site and the README's restore steps, for real: a production-mode site under gunicorn is backed up,
changed, restored by running the README's own restore commands, and must then serve what was backed up."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from tests.harness.servers import ROOT, gunicorn, manage, prepare_site, production_env

pytestmark = pytest.mark.own_database  # a SQLite file or a private PostgreSQL server, named in each test

ARTICLE = "/articles/why-stretch-at-bedtime/"
TITLE = "Why stretch at bedtime?"
CHANGE_AFTER_BACKUP = (
    "from articles.models import Article;"
    "article = Article.objects.get(slug='why-stretch-at-bedtime');"
    "article.title = 'Changed after the backup'; article.save();"
    "Article.objects.create(title='Written after the backup', slug='written-after-the-backup', summary='New.',"
    " body='New.', category=article.category, status='published')"
)
LATER_ARTICLE = "/articles/written-after-the-backup/"
SQLITE_NAME = re.compile(r"backpain-\d{8}-\d{6}\.sqlite3")


def readme_block(first_line):
    """The README's shell block that starts with the comment ``first_line``, without that line."""
    readme = (ROOT / "README.md").read_text()
    for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL):
        heading, _, commands = block.partition("\n")
        if heading == f"# {first_line}":
            return commands
    raise AssertionError(f"README.md has no block starting '# {first_line}'")


def run_documented(commands, **variables):
    """Run documented commands as an operator would: in sh, stopping at the first failure."""
    env = {"PATH": os.environ["PATH"], **{name: str(value) for name, value in variables.items()}}
    return subprocess.run(["sh", "-e", "-c", commands], env=env, check=True, capture_output=True, text=True)


def backup_site(env, *args):
    command = [sys.executable, "manage.py", "backup_site", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def written_backup(result):
    """The path backup_site printed as its last line, after checking it succeeded and the file is there."""
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.is_absolute() and path.is_file()
    assert path.stat().st_mode & 0o077 == 0, "backups hold readers' comments: owner only"
    return path


def get(url):
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def assert_serves_the_backed_up_content(url):
    status, page = get(url + ARTICLE)
    assert status == 200 and f"<h1>{TITLE}</h1>" in page and "Changed after the backup" not in page
    assert get(url + LATER_ARTICLE)[0] == 404


def sqlite_rows(path, query):
    with closing(sqlite3.connect(path)) as database:
        return database.execute(query).fetchall()


@pytest.fixture(scope="module")
def demo_sqlite(tmp_path_factory, static_root):
    """A SQLite file migrated and loaded with the site's content once; each test takes a copy."""
    folder = tmp_path_factory.mktemp("demo-site")
    prepare_site(production_env(folder, static_root, DATABASE_URL=""))
    return folder / "site.sqlite3"


@pytest.fixture
def sqlite_env(tmp_path, static_root, demo_sqlite):
    env = production_env(tmp_path, static_root, DATABASE_URL="", BACKUP_DIR=str(tmp_path / "backups"))
    for suffix in ("", "-wal"):
        if Path(f"{demo_sqlite}{suffix}").exists():
            shutil.copy(f"{demo_sqlite}{suffix}", f"{env['SQLITE_PATH']}{suffix}")
    return env


def test_a_sqlite_backup_restored_as_documented_serves_the_backed_up_content(sqlite_env, tmp_path):
    with gunicorn(sqlite_env, workers=1) as url:
        backup = written_backup(backup_site(sqlite_env))
        manage(sqlite_env, "shell", "-c", CHANGE_AFTER_BACKUP)
        assert "Changed after the backup" in get(url + ARTICLE)[1]
    assert backup.parent == tmp_path / "backups" and SQLITE_NAME.fullmatch(backup.name)

    run_documented(readme_block("restore SQLite (gunicorn and the worker stopped)"), BACKUP=backup, **sqlite_env)

    with gunicorn(sqlite_env, workers=1) as url:
        assert_serves_the_backed_up_content(url)


def test_the_documented_sqlite_dot_restore_brings_back_the_backup(sqlite_env):
    backup = written_backup(backup_site(sqlite_env))
    manage(sqlite_env, "shell", "-c", CHANGE_AFTER_BACKUP)
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"`(sqlite3 \"\$SQLITE_PATH\" \".restore '\$BACKUP'\")`", readme)[1]

    run_documented(command, BACKUP=backup, **sqlite_env)

    database = sqlite_env["SQLITE_PATH"]
    assert sqlite_rows(database, "SELECT title FROM articles_article WHERE slug = 'why-stretch-at-bedtime'") == [
        (TITLE,)
    ]
    assert sqlite_rows(database, "SELECT count(*) FROM articles_article WHERE slug LIKE 'written-after%'") == [(0,)]


def test_a_postgres_backup_restored_as_documented_serves_the_backed_up_content(postgres_server, tmp_path, static_root):
    name = f"backup_{os.getpid()}_{time.monotonic_ns()}"
    env = production_env(tmp_path, static_root, DATABASE_URL=postgres_server.create_database(name))
    prepare_site(env)
    # pg_dump reads one snapshot whoever else is connected, so this backup is taken with gunicorn stopped.
    backup = written_backup(backup_site(env, "--output-dir", tmp_path / "dumps"))
    manage(env, "shell", "-c", CHANGE_AFTER_BACKUP)
    title = postgres_server.psql("SELECT title FROM articles_article WHERE slug = 'why-stretch-at-bedtime'", name)
    assert title.strip() == "Changed after the backup"
    assert re.fullmatch(r"backpain-\d{8}-\d{6}\.dump", backup.name)

    server = {"PGHOST": "127.0.0.1", "PGPORT": postgres_server.port, "PGUSER": "postgres", "PGDATABASE": name}
    run_documented(readme_block("restore PostgreSQL (gunicorn and the worker stopped)"), BACKUP=backup, **server)

    with gunicorn(env, workers=1) as url:
        assert_serves_the_backed_up_content(url)


BATCH = 5  # comments per transaction: a consistent copy holds whole batches only

WRITE_COMMENTS = f"""
import os
from pathlib import Path
from django.db import transaction
from articles.models import Article, Comment
article = Article.objects.get(slug='why-stretch-at-bedtime')
stop = Path(os.environ['STOP_FILE'])
while not stop.exists():
    with transaction.atomic():
        for n in range({BATCH}):
            Comment.objects.create(article=article, name='Writer', body=f'Written during the backup {{n}}')
"""


def count_comments(path):
    return sqlite_rows(path, "SELECT count(*) FROM articles_comment")[0][0]


def wait_for_comments(path, more_than, timeout=20):
    deadline = time.monotonic() + timeout
    while count_comments(path) <= more_than:
        assert time.monotonic() < deadline, "the writer stopped writing"
        time.sleep(0.05)


def test_a_backup_taken_while_comments_are_written_is_whole_and_consistent(sqlite_env, tmp_path):
    database = sqlite_env["SQLITE_PATH"]
    before = count_comments(database)
    stop = tmp_path / "stop-writing"
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", WRITE_COMMENTS],
        cwd=ROOT,
        env={**sqlite_env, "STOP_FILE": str(stop)},
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_comments(database, before)
        backup = written_backup(backup_site(sqlite_env))
        copied = count_comments(backup)
        wait_for_comments(database, copied)
    finally:
        stop.touch()
        try:
            writer.wait(timeout=30)
        except subprocess.TimeoutExpired:
            writer.kill()
            raise
    assert writer.returncode == 0, writer.stderr.read().decode()[-2000:]
    assert sqlite_rows(backup, "PRAGMA integrity_check") == [("ok",)]
    assert before < copied < count_comments(database), "the backup was not taken while comments were being written"
    assert (copied - before) % BATCH == 0, "the backup holds part of a transaction"


@pytest.mark.parametrize(
    "make_unwritable",
    [
        pytest.param(lambda path: path.write_text("a file, not a folder"), id="a-file-in-the-way"),
        pytest.param(
            lambda path: path.mkdir(mode=0o555),
            id="a-read-only-folder",
            marks=pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder"),
        ),
    ],
)
def test_an_unwritable_folder_fails_with_a_clear_message(sqlite_env, tmp_path, make_unwritable):
    folder = tmp_path / "backups"
    make_unwritable(folder)
    result = backup_site(sqlite_env, "--output-dir", folder / "nightly")
    assert result.returncode != 0 and result.stdout == ""
    assert f"Cannot write a backup in {folder / 'nightly'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_sqlite_file_fails_and_is_not_created(sqlite_env, tmp_path):
    missing = tmp_path / "no-such.sqlite3"
    result = backup_site({**sqlite_env, "SQLITE_PATH": str(missing)})
    assert result.returncode != 0 and f"There is no SQLite database at {missing}" in result.stderr
    assert not missing.exists()
    assert list((tmp_path / "backups").iterdir()) == [], "a failed backup leaves nothing behind"


def test_an_existing_backup_is_never_overwritten(sqlite_env, tmp_path):
    """Two backups in the same second get different names."""
    folder = tmp_path / "backups"
    folder.mkdir()
    now = time.time()
    taken = {folder / time.strftime("backpain-%Y%m%d-%H%M%S.sqlite3", time.gmtime(now + s)) for s in range(-1, 30)}
    for path in taken:
        path.write_text("an older backup")
    backup = written_backup(backup_site(sqlite_env))
    assert backup not in taken and re.fullmatch(r"backpain-\d{8}-\d{6}-2\.sqlite3", backup.name)
    assert all(path.read_text() == "an older backup" for path in taken)


POSTGRES_URL = "postgres://backpain:s3cret-pass@127.0.0.1:1/backpain"


def test_without_pg_dump_a_postgres_backup_fails_with_a_clear_message(tmp_path, static_root):
    env = production_env(tmp_path, static_root, DATABASE_URL=POSTGRES_URL, PATH=str(tmp_path / "empty-bin"))
    result = backup_site(env, "--output-dir", tmp_path / "dumps")
    assert result.returncode != 0 and "pg_dump and pg_restore were not found on PATH" in result.stderr
    assert list((tmp_path / "dumps").iterdir()) == []


FAKE_PG_DUMP = """#!/bin/sh
printf '%s\\n' "$@" > "$(dirname "$0")/arguments"
printf '%s' "$PGPASSWORD" > "$(dirname "$0")/password"
for argument; do case "$argument" in --file=*) printf 'dump' > "${argument#--file=}";; esac; done
"""
FAKE_PG_RESTORE = """#!/bin/sh
echo '3; 0 0 TABLE DATA public articles_article postgres'
"""


def test_pg_dump_gets_the_password_in_its_environment_never_its_arguments(tmp_path, static_root):
    """The arguments of a running program are visible to every user of the machine; its environment is not."""
    programs = tmp_path / "bin"
    programs.mkdir()
    for name, script in (("pg_dump", FAKE_PG_DUMP), ("pg_restore", FAKE_PG_RESTORE)):
        (programs / name).write_text(script)
        (programs / name).chmod(0o755)
    env = production_env(tmp_path, static_root, DATABASE_URL=POSTGRES_URL, PATH=f"{programs}:/usr/bin:/bin")
    backup = written_backup(backup_site(env, "--output-dir", tmp_path / "dumps"))
    arguments = (programs / "arguments").read_text().splitlines()
    assert arguments[:6] == ["-U", "backpain", "-h", "127.0.0.1", "-p", "1"] and arguments[-1] == "backpain"
    assert "--format=custom" in arguments
    assert "s3cret-pass" not in " ".join(arguments)
    assert (programs / "password").read_text() == "s3cret-pass"
    assert backup.read_text() == "dump"


def test_a_failing_pg_dump_fails_the_backup_and_leaves_nothing(tmp_path, static_root):
    env = production_env(tmp_path, static_root, DATABASE_URL=POSTGRES_URL)
    result = backup_site(env, "--output-dir", tmp_path / "dumps")
    assert result.returncode != 0 and "pg_dump failed:" in result.stderr
    assert "s3cret-pass" not in result.stderr
    assert list((tmp_path / "dumps").iterdir()) == []
