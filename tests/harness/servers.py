"""Start the site under real gunicorn in production mode, on 127.0.0.1, for tests that need real processes."""

import getpass
import json
import os
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.harness.services import ServiceMissing, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "gunicorn-tests-secret-key-long-enough-for-the-production-check-0123456789"


def is_postgres(url):
    return url.startswith(("postgres://", "postgresql://"))


def private_database(tmp_path):
    """Settings for a database of the site's own, on the engine the suite runs on.

    When the suite runs on PostgreSQL (DATABASE_URL set), a new database on that server, so
    parallel test servers never share rows (a copy of the migrated template, when DATABASE_TEMPLATE names
    one); otherwise a new SQLite file in ``tmp_path``.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(url):
        return {"SQLITE_PATH": str(tmp_path / "site.sqlite3")}
    import psycopg

    name = f"site_{uuid.uuid4().hex[:16]}"
    template = os.environ.get("DATABASE_TEMPLATE")
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    return {"DATABASE_URL": urlunsplit(urlsplit(url)._replace(path="/" + name))}


def run_sql(env, query, *params):
    """Run one statement on the site's database (SQLite or PostgreSQL; ``?`` placeholders); return its rows."""
    url = env.get("DATABASE_URL", "")
    if is_postgres(url):
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            cursor = connection.execute(query.replace("?", "%s"), params)
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
    import sqlite3

    with sqlite3.connect(env["SQLITE_PATH"], timeout=20) as connection:
        return connection.execute(query, params).fetchall()


def production_env(tmp_path, static_root, **extra):
    """Environment for production settings over plain HTTP on loopback, with a private database.

    ``static_root`` comes from the session fixture of the same name, so static files are collected once.
    The database follows the suite's (see ``private_database``); pass ``DATABASE_URL`` or ``SQLITE_PATH``
    in ``extra`` to choose one. With REDIS_URL set, each site gets its own cache key prefix.
    """
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "backpain.settings",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_HTTPS": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_ACCESS_LOG": "",
    }
    if "DATABASE_URL" in extra or "SQLITE_PATH" in extra:
        env["SQLITE_PATH"] = str(tmp_path / "site.sqlite3")
    else:
        env.update(private_database(tmp_path))
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        env["DJANGO_CACHE_KEY_PREFIX"] = f"site-{uuid.uuid4().hex[:12]}"
    env.update({name: value for name, value in extra.items() if value is not None})
    if not env.get("DATABASE_URL"):
        env.pop("DATABASE_URL", None)
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )


def manage_shell(env, code, stdin=""):
    """Run Python in ``manage.py shell`` with the site's environment; return its last line of output as JSON."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# One prepared database per test process and engine: the first site is migrated and loaded as a deployment
# would be, and every later site starts as a copy of it (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on
# PostgreSQL), which gives the same rows in a fraction of the time.
_prepared = {}


def prepare_site(env):
    """Migrate, load the shipped content and collect static files (once per session), as a deployment would.

    The first call in a test process runs ``migrate`` and ``load_site_content`` for real; later calls copy
    what that call produced, so every site still starts exactly as a fresh deployment does.
    """
    url = env.get("DATABASE_URL", "")
    kind = urlsplit(url).netloc if is_postgres(url) else "sqlite"  # a copy is kept per PostgreSQL server
    if not (kind in _prepared and _copy_prepared(kind, env)):
        manage(env, "migrate", "--no-input")
        manage(env, "load_site_content")
        _keep_prepared(kind, env)
    if not (Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").exists():
        manage(env, "collectstatic", "--no-input")


def _sqlite_copy(source_path, target_path):
    import sqlite3

    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _postgres_copy(url, source, target, replace=False):
    """Create database ``target`` as a copy of ``source`` on the server of ``url``; False if ``source`` is gone.

    With ``replace``, an existing ``target`` is dropped first.
    """
    import psycopg

    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [source]).fetchone():
            return False
        if replace:
            connection.execute(f'DROP DATABASE IF EXISTS "{target}"')
        connection.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return True


def _keep_prepared(kind, env):
    import tempfile

    if kind == "sqlite":
        copy = Path(tempfile.mkdtemp(prefix="prepared-site-")) / "site.sqlite3"
        _sqlite_copy(env["SQLITE_PATH"], copy)
        _prepared[kind] = copy
    else:
        name = f"prepared_{uuid.uuid4().hex[:16]}"
        _postgres_copy(env["DATABASE_URL"], urlsplit(env["DATABASE_URL"]).path.lstrip("/"), name)
        _prepared[kind] = name


def _copy_prepared(kind, env):
    """Start the site's database as a copy of the prepared one; False if that copy is gone (its server stopped)."""
    if kind == "sqlite":
        target = Path(env["SQLITE_PATH"])
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(_prepared[kind], target)
        return True
    url = env["DATABASE_URL"]
    if _postgres_copy(url, _prepared[kind], urlsplit(url).path.lstrip("/"), replace=True):
        return True
    del _prepared[kind]  # a new server on the port of a stopped one
    return False


@contextmanager
def gunicorn(env, workers=2, log=None):
    """Run gunicorn with the project's gunicorn.conf.py; yield its base URL.

    gunicorn's and Django's log go to a file (``log``, an open file, or one beside the site), never to a
    pipe that nobody reads, which a test making many requests could fill and so stall the server.
    """
    with GunicornServer(env, workers=workers, log_path=log.name if log else None) as server:
        yield server.url


def child_pids(pid):
    """The pids of a process's children, read from /proc (a gunicorn master's workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name is in parentheses and may hold spaces; the parent pid is the second field after it.
        if int(text.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(stat.parent.name))
    return sorted(children)


class _ServerProcess:
    """A server run as a child process: ``start()`` (each kind's own), ``stop()``, and ``with`` for both."""

    process = None
    stop_timeout = 30

    def stop(self):
        """Ask the server to shut down (SIGTERM); kill it if it has not gone within ``stop_timeout`` seconds."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class GunicornServer(_ServerProcess):
    """gunicorn with the project's gunicorn.conf.py on a free loopback port, with its process at hand.

    For tests and load runs that need more than ``gunicorn()`` gives: extra options (``--backlog``), the
    master's pid and its workers, and a log file instead of a pipe, which a chatty run could fill and stall.
    """

    def __init__(self, env, workers=2, options=(), log_path=None):
        self.env = env
        self.workers = workers
        self.options = list(options)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path or Path(env["HOME"]) / f"gunicorn-{self.port}.log")
        self.process = None

    def start(self):
        gunicorn_bin = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn_bin), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(self.workers), *self.options]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("gunicorn did not start: " + self.log_tail()) from None
                time.sleep(0.2)
        # Workers boot one after another; callers count on all of them.
        while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        return self

    @property
    def pid(self):
        return self.process.pid

    def worker_pids(self):
        return child_pids(self.process.pid)

    def log_tail(self, characters=2000):
        return self.log_path.read_text(errors="replace")[-characters:] if self.log_path.exists() else ""


class MailWorker(_ServerProcess):
    """The site's mail worker, ``manage.py db_worker``, as the README deploys it beside gunicorn.

    It checks the queue every ``interval`` seconds and writes its log to a file beside the site.
    """

    def __init__(self, env, interval=0.2):
        self.env = env
        self.interval = interval
        self.log_path = Path(env["HOME"]) / f"worker-{uuid.uuid4().hex[:8]}.log"
        self.process = None

    def start(self):
        command = [sys.executable, "manage.py", "db_worker", "--interval", str(self.interval)]
        command += ["--no-startup-delay", "--no-reload"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def log_tail(self, characters=3000):
        return self.log_path.read_text(errors="replace")[-characters:] if self.log_path.exists() else ""


def nginx_program():
    """nginx's program (Debian keeps it in /usr/sbin, which a user's PATH may lack)."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).exists():
            return candidate
    raise ServiceMissing("nginx is not installed (Debian: apt-get install nginx)")


class NginxServer(_ServerProcess):
    """The repository's nginx configuration in front of a running gunicorn, as the README deploys it.

    The configuration is backpain/deploy/nginx.conf filled in by ``manage.py nginx_config`` with the site's
    own environment (its static and media folders, admin address and body limits), on free loopback ports,
    with a fresh self-signed certificate for 127.0.0.1 and everything nginx writes in ``folder``. nginx runs
    in the foreground (``daemon off``) as this process's child. ``tls`` is an SSL context that trusts the
    certificate, for clients; ``url`` the HTTPS address, ``http_url`` the plain one (a redirect).
    """

    stop_timeout = 20  # SIGTERM is nginx's fast shutdown

    def __init__(self, env, upstream, folder):
        self.program = nginx_program()
        self.openssl = shutil.which("openssl")
        if not self.openssl:
            raise ServiceMissing("openssl is not installed (Debian: apt-get install openssl)")
        self.env = env
        self.upstream = upstream  # gunicorn's host:port
        self.folder = Path(folder)
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.config = self.folder / "nginx.conf"
        self.log_dir = self.folder / "logs"
        self.process = None
        self.tls = None

    def certificate(self):
        cert, key = self.folder / "cert.pem", self.folder / "key.pem"
        subprocess.run(
            [self.openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return cert, key

    def render(self, cert, key):
        done = subprocess.run(
            [sys.executable, "manage.py", "nginx_config", "--server-name", "127.0.0.1 localhost",
             "--certificate", str(cert), "--certificate-key", str(key), "--upstream", self.upstream,
             "--https-listen", f"127.0.0.1:{self.https_port}", "--http-listen", f"127.0.0.1:{self.http_port}",
             "--user", getpass.getuser(), "--pid-file", str(self.folder / "nginx.pid"),
             "--log-dir", str(self.log_dir), "--temp-dir", str(self.folder / "temp"),
             "--acme-root", str(self.folder / "acme")],
            cwd=ROOT, env=self.env, check=True, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        self.config.write_text(done.stdout)

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "temp").mkdir(exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        cert, key = self.certificate()
        self.render(cert, key)
        self.tls = ssl.create_default_context(cafile=str(cert))
        command = [self.program, "-p", str(self.folder), "-c", str(self.config), "-g", "daemon off;"]
        with open(self.log_dir / "stderr.log", "ab") as log:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_for_port(self.https_port, timeout=20, process=self.process)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"nginx did not start: {exc}: {self.error_log()}") from None
        return self

    def error_log(self, characters=2000):
        texts = [path.read_text(errors="replace") for path in self.log_dir.glob("*.log")]
        return "\n".join(texts)[-characters:]

    def access_log(self):
        path = self.log_dir / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""
