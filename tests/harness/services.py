"""Throwaway PostgreSQL and Redis servers on 127.0.0.1, for tests and for `make test-postgres`.

Each server lives in its own temporary folder and listens on a free port, so runs never meet
each other or a system server. PostgreSQL refuses to run as root; as root we run it as the
``postgres`` user that Debian's package creates.

From the command line, start both, migrate one template database, run a command with DATABASE_URL,
DATABASE_TEMPLATE and REDIS_URL set, stop both:

    python -m tests.harness.services run -- pytest -m "not browser"

Every database the command creates (pytest's test databases, each test site's own) is a copy of that
template, so the migrations run once per run instead of once per database.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class ServiceMissing(RuntimeError):
    """The server's program is not installed on this machine."""


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on (the one helper for every server the tests start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")


def postgres_bin_dir():
    """Debian keeps the server programs out of PATH, under /usr/lib/postgresql/<version>/bin."""
    if os.environ.get("PG_BIN"):
        if not (Path(os.environ["PG_BIN"]) / "initdb").exists():
            raise ServiceMissing(f"PG_BIN={os.environ['PG_BIN']} has no initdb")
        return Path(os.environ["PG_BIN"])
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise ServiceMissing("PostgreSQL is not installed (Debian: apt-get install postgresql)")


class Postgres:
    """A private PostgreSQL cluster: fast (no fsync), trusting local connections, gone when stopped."""

    def __init__(self):
        self.bin = postgres_bin_dir()
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="backpain-pg-"))
        self.data = self.base / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, *args, check=True):
        command = [str(a) for a in args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            output = (done.stderr or done.stdout).strip()[-1000:]
            raise RuntimeError(f"{Path(command[-len(args)]).name} failed: {output}")
        return done

    def start(self):
        try:
            if self.as_root:
                shutil.chown(self.base, user="postgres", group="postgres")
            self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
            self.resume()
        except Exception:
            shutil.rmtree(self.base, ignore_errors=True)
            raise
        return self

    def resume(self):
        """Start the server on its existing data (after ``pause``), same port, same options."""
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.base / "server.log", "-w", "start")

    def pause(self):
        """Stop the server as an outage would, keeping its data for ``resume``."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql, database="postgres"):
        return self._run(self.bin / "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "-d", database,
                         "-v", "ON_ERROR_STOP=1", "-Atc", sql).stdout  # fmt: skip

    def create_database(self, name, template=None):
        """A new database, empty or a copy of ``template``; its URL."""
        copy = f' TEMPLATE "{template}"' if template else ""
        self.psql(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def stop(self):
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)


class Redis:
    """A private Redis server with persistence off."""

    def __init__(self):
        self.program = shutil.which("redis-server")
        if not self.program:
            raise ServiceMissing("Redis is not installed (Debian: apt-get install redis-server)")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


def start_or_skip(server_class, *args, **kwargs):
    """Start a throwaway server for a test; skip, saying why, where it is not installed (fail under CI)."""
    import pytest

    try:
        return server_class(*args, **kwargs).start()
    except ServiceMissing as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(f"{exc}; tests that need it are skipped.")


TEMPLATE = "backpain_template"


def migrate_template(postgres, name=TEMPLATE):
    """Create database ``name`` and migrate it, for every later database to be copied from."""
    url = postgres.create_database(name)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.pop("DATABASE_TEMPLATE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"migrating the template database failed: {done.stderr.strip()[-2000:]}")
    return name


def run(command):
    """Start PostgreSQL and Redis, migrate the template database, run ``command`` with their URLs in the
    environment, stop them."""
    postgres = Postgres().start()
    redis = Redis().start()
    try:
        template = migrate_template(postgres)
        postgres.create_database("backpain")
        env = {**os.environ, "DATABASE_URL": postgres.url("backpain"), "REDIS_URL": redis.url}
        env["DATABASE_TEMPLATE"] = template
        print(f"PostgreSQL on port {postgres.port} (template {template}), Redis on port {redis.port}", flush=True)
        return subprocess.run(command, env=env).returncode
    finally:
        redis.stop()
        postgres.stop()


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1:3] != ["run", "--"]:
        sys.exit("usage: python -m tests.harness.services run -- command [args...]")
    try:
        sys.exit(run(sys.argv[3:]))
    except ServiceMissing as exc:
        sys.exit(f"Cannot run on PostgreSQL: {exc}.")
