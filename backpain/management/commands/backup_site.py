"""Copy the database while the site runs, check the copy, and print where it is.

SQLite is copied with SQLite's online backup API, a consistent snapshot even while gunicorn writes, and
the copy must pass ``PRAGMA integrity_check``. PostgreSQL is dumped with ``pg_dump --format=custom``
(one consistent snapshot by design) and the dump must list its contents with ``pg_restore --list``.

The copy is written under a hidden temporary name and only linked to its final name once checked, so a
``backpain-*`` file is always complete, and an existing file is never overwritten. The last line of
standard output is the backup's absolute path and nothing else, for scripts. The README's "Backup and
restore" section says how to restore and schedule it.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient

SQLITE_BUSY_SECONDS = 20  # as long as the site itself waits for a lock


class Command(BaseCommand):
    help = "Back up the database to a new, checked file while the site runs; print the file's absolute path."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="Folder for the backup, created if missing (default: BACKUP_DIR, else backups/ in the project).",
        )

    def handle(self, *args, output_dir=None, **options):
        database = connections["default"]
        if database.vendor == "sqlite":
            suffix, back_up = ".sqlite3", back_up_sqlite
        elif database.vendor == "postgresql":
            suffix, back_up = ".dump", back_up_postgres
        else:
            raise CommandError(f"backup_site knows SQLite and PostgreSQL, not {database.vendor}.")
        folder = Path(output_dir or settings.BACKUP_DIR).expanduser().resolve()
        started = datetime.datetime.now(datetime.timezone.utc)
        partial = _start_file(folder)
        try:
            back_up(database.settings_dict, partial)
            target = _publish(partial, folder, f"backpain-{started:%Y%m%d-%H%M%S}", suffix)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(str(target))


def _start_file(folder):
    """Create the folder if needed and an empty private temporary file in it; fail clearly if we cannot."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".backpain-", suffix=".partial", dir=folder)
    except OSError as exc:
        raise CommandError(
            f"Cannot write a backup in {folder}: {exc.strerror or exc}. "
            "Choose a writable folder with --output-dir or BACKUP_DIR."
        ) from exc
    os.close(handle)
    return Path(name)


def _publish(partial, folder, stem, suffix):
    """Give the checked copy its final name; a hard link never replaces an existing file, unlike a rename."""
    for attempt in range(1, 1000):
        target = folder / (f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}")
        try:
            os.link(partial, target)
        except FileExistsError:
            continue
        except OSError as exc:
            raise CommandError(f"Cannot name the backup {target}: {exc.strerror or exc}.") from exc
        return target
    raise CommandError(f"Too many backups named {stem}* in {folder}.")


def back_up_sqlite(settings_dict, partial):
    """Copy the live SQLite file page by page in one read transaction, then check the copy."""
    source_path = Path(str(settings_dict["NAME"]))
    if str(source_path) == ":memory:" or "mode=memory" in str(source_path):
        raise CommandError("The database is in memory; there is no file to back up.")
    if not source_path.is_file():
        raise CommandError(f"There is no SQLite database at {source_path}.")
    # mode=rw: never create an empty database where the real one should be.
    source_uri = source_path.resolve().as_uri() + "?mode=rw"
    try:
        with (
            closing(sqlite3.connect(source_uri, uri=True, timeout=SQLITE_BUSY_SECONDS)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
            # A self-contained file: the copy would otherwise keep the live database's WAL mode.
            copy.execute("PRAGMA journal_mode=DELETE")
        with closing(sqlite3.connect(partial.as_uri() + "?mode=ro", uri=True)) as copy:
            verdict = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    except sqlite3.Error as exc:
        raise CommandError(f"The SQLite backup failed: {exc}") from exc
    if verdict != ["ok"]:
        raise CommandError("The copy failed SQLite's integrity check: " + "; ".join(verdict[:5]))


def back_up_postgres(settings_dict, partial):
    """Dump with pg_dump's custom format, then make sure pg_restore can read the dump back."""
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if not pg_dump or not pg_restore:
        raise CommandError(
            "pg_dump and pg_restore were not found on PATH. Install the PostgreSQL client programs, "
            "at least as new as the server (Debian: apt-get install postgresql-client)."
        )
    # Django's own psql arguments suit pg_dump too; the password travels in PGPASSWORD, never in the arguments.
    args, env = PostgresClient.settings_to_cmd_args_env(
        settings_dict, ["--format=custom", "--no-password", f"--file={partial}"]
    )
    dump = _run([pg_dump, *args[1:]], env)
    if dump.returncode != 0:
        raise CommandError("pg_dump failed: " + _last_lines(dump.stderr))
    listing = _run([pg_restore, "--list", str(partial)], env)
    if listing.returncode != 0 or " TABLE DATA " not in listing.stdout:
        raise CommandError("The dump could not be read back with pg_restore --list: " + _last_lines(listing.stderr))


def _run(command, env):
    # The command is built from our own settings and absolute program paths, never from a shell.
    return subprocess.run(command, env={**os.environ, **(env or {})}, capture_output=True, text=True)  # noqa: S603


def _last_lines(text, count=5):
    return " ".join(text.strip().splitlines()[-count:]) or "no message"
