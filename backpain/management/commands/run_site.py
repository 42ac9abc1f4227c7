"""Serve the site for development with its mail worker beside it, as one command: what `make run` runs.

Starts ``runserver`` and ``db_worker`` (which sends the queued mail, ``backpain.mail``) as two child processes,
each in a process group of its own, and stops both together: on Ctrl-C or SIGTERM, or as soon as either one
ends by itself. Each group is asked to stop (SIGINT, which both handle cleanly, reloaders included) and killed
if it has not within a few seconds, so nothing is left running.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

GRACE_SECONDS = 15  # a worker finishing a try against a slow mail server (EMAIL_TIMEOUT, 10 s) needs this long


class Command(BaseCommand):
    help = "Development: run runserver and the mail worker (db_worker) together; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Where runserver listens.")
        parser.add_argument(
            "--noreload", action="store_true", help="Restart neither the server nor the worker on code changes."
        )

    def handle(self, *args, addrport, noreload, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        worker = [*manage, "db_worker", "--no-reload" if noreload else "--reload"]
        server = [*manage, "runserver", addrport, *(["--noreload"] if noreload else [])]
        children = []
        # Ctrl-C and SIGTERM both stop everything, even where this process was started with SIGINT ignored (by a
        # tool that runs it in the background, as pytest-xdist's workers have it): the children, which inherit a
        # caught signal as its default, can then be stopped cleanly too.
        previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
        for signum in previous:
            signal.signal(signum, _raise_interrupt)
        ended = None
        try:
            # Each in a session of its own, so the terminal's Ctrl-C reaches them only through us, and all at once.
            children.append(subprocess.Popen(worker, start_new_session=True))  # noqa: S603 (our own manage.py)
            children.append(subprocess.Popen(server, start_new_session=True))  # noqa: S603
            self.stdout.write(f"Serving at http://{addrport}/ with the mail worker beside it; Ctrl-C stops both.")
            while all(child.poll() is None for child in children):
                time.sleep(0.2)
            ended = next(child for child in children if child.poll() is not None)
        except KeyboardInterrupt:
            pass
        finally:
            _stop_all(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if ended is not None:
            name = "mail worker" if ended is children[0] else "server"
            raise CommandError(
                f"The {name} stopped by itself (exit code {ended.returncode}), so the other was stopped."
            )


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop_all(children):
    """Ask every child's process group to stop, then kill what is still there after ``GRACE_SECONDS``."""
    for child in children:
        _signal_group(child, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        _signal_group(child, signal.SIGKILL)  # the group: a reloader's own child too, if it lingers
        child.wait()


def _signal_group(child, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)
