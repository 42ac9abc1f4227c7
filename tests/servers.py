"""Start the site under real gunicorn in production mode, on 127.0.0.1, for tests that need real processes."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "gunicorn-tests-secret-key-long-enough-for-the-production-check-0123456789"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp_path, static_root, **extra):
    """Environment for production settings over plain HTTP on loopback, with a private SQLite file.

    ``static_root`` comes from the session fixture of the same name, so static files are collected once.
    """
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "backpain.settings",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_HTTPS": "0",
        "SQLITE_PATH": str(tmp_path / "site.sqlite3"),
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_ACCESS_LOG": "",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    env.update(extra)
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )


def prepare_site(env):
    """Migrate, load the shipped content and collect static files (once per session), as a deployment would."""
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo_content")
    if not (Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").exists():
        manage(env, "collectstatic", "--no-input")


@contextmanager
def gunicorn(env, workers=2, log=None):
    """Run gunicorn with the project's gunicorn.conf.py; yield its base URL.

    ``log``, an open file, takes gunicorn's and Django's log: for tests that make many requests, whose
    log lines would otherwise fill the unread pipe and stall the server.
    """
    port = free_port()
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn_bin), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log or subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stderr.read().decode() if log is None else "see " + log.name
                    raise RuntimeError("gunicorn did not start: " + output[-2000:]) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
