"""`make run`'s command, ``manage.py run_site``: the development server and the mail worker as one command.

It serves pages, its worker sends what is queued, and Ctrl-C (SIGINT) or either process ending stops
everything it started, reloaders included.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.harness.clients import fetch
from tests.harness.servers import ROOT, child_pids, manage, manage_shell, production_env
from tests.harness.services import free_port, wait_for_port
from tests.harness.smtp import SMTPServer

pytestmark = [pytest.mark.own_database, pytest.mark.sqlite_only]

QUEUE_ONE = (
    "import json; from backpain.mail import send_later; "
    "print(json.dumps(send_later(kind='Test', subject='From make run', body='Hello', to=['ed@example.com']).pk))"
)


def descendants(pid):
    """Every process below ``pid``: its children, theirs, and so on."""
    found, waiting = [], [pid]
    while waiting:
        children = child_pids(waiting.pop())
        found += children
        waiting += children
    return found


def alive(pid):
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.2)


@pytest.fixture
def development(tmp_path, static_root):
    smtp = SMTPServer(mode="accept").start()
    env = production_env(tmp_path, static_root, SQLITE_PATH=str(tmp_path / "dev.sqlite3"), **smtp.env())
    env["DJANGO_DEBUG"] = "1"
    env.pop("DJANGO_SECRET_KEY")  # as `make run` has it: the development key
    manage(env, "migrate", "--no-input")
    yield env, smtp
    smtp.stop()


def start(env, port):
    log = open(Path(env["HOME"]) / "run_site.log", "wb")  # noqa: SIM115 (closed by the caller's process end)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_site", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    wait_for_port(port, timeout=60, process=process)
    return process


def test_one_command_serves_sends_mail_and_stops_everything_on_ctrl_c(development):
    env, smtp = development
    port = free_port()
    process = start(env, port)
    try:
        status, _, _ = fetch(f"http://127.0.0.1:{port}/healthz", timeout=20)
        assert status == 200
        manage_shell(env, QUEUE_ONE)
        (received,) = smtp.wait_for(1)
        assert received.message["Subject"] == "From make run" and received.recipients == ["ed@example.com"]
        started = descendants(process.pid)
        assert len(started) >= 4  # the worker and the server, each a reloader with its child
        os.kill(process.pid, signal.SIGINT)
        assert process.wait(timeout=30) == 0
        wait_until(lambda: not any(alive(pid) for pid in started), timeout=30, what="every child's end")
    finally:
        if process.poll() is None:
            process.kill()


def test_when_the_worker_dies_the_server_is_stopped_too_and_the_command_fails(development):
    env, _ = development
    port = free_port()
    process = start(env, port)
    try:
        wait_until(lambda: len(child_pids(process.pid)) == 2, what="both children starting")
        (worker,) = [
            pid for pid in child_pids(process.pid) if b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        started = descendants(process.pid)
        os.killpg(worker, signal.SIGKILL)
        assert process.wait(timeout=30) == 1
        wait_until(lambda: not any(alive(pid) for pid in started), timeout=30, what="every child's end")
    finally:
        if process.poll() is None:
            process.kill()
