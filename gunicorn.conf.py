"""gunicorn settings, overridable from the environment (see the README)."""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

from backpain.logs import RedactResultTokens, redact_access_atoms

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the site is server-rendered and short requests; 2 per core is a sound start.
workers = int(os.environ.get("WEB_CONCURRENCY", str(max(2, multiprocessing.cpu_count() * 2))))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never build up.
max_requests = 2000
max_requests_jitter = 200
# Trust X-Forwarded-* only from the proxy in front (one hop).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# gunicorn's control socket (gunicornc) is one path per user by default, so a second instance run as the same
# user takes it over, and stopping either removes it. Each instance gets its own, named after the address it
# listens on (``on_starting`` below), unless GUNICORN_CONTROL_SOCKET names one.
CONTROL_SOCKET = os.environ.get("GUNICORN_CONTROL_SOCKET", "")


def control_socket_for(binds, runtime_dir):
    """The control socket of the instance listening on ``binds``: one file per address, in ``runtime_dir``."""
    name = re.sub(r"[^A-Za-z0-9.]+", "-", "_".join(binds)).strip("-")
    return os.path.join(runtime_dir, f"backpain-{name}.ctl")


def on_starting(server):
    # Here rather than at the top of the file: the address may come from the command line (--bind).
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(os.path.expanduser("~"), ".gunicorn")
    server.cfg.set("control_socket", CONTROL_SOCKET or control_socket_for(server.cfg.bind, runtime_dir))


class TokenHidingLogger(Logger):
    """gunicorn's logger, with self-check result tokens hidden in the access log and in its own error messages
    ("Error handling request /assessment/result/..."): see backpain/logs.py."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(existing, RedactResultTokens) for existing in self.error_log.filters):
            self.error_log.addFilter(RedactResultTokens())

    def atoms(self, resp, req, environ, request_time):
        return redact_access_atoms(super().atoms(resp, req, environ, request_time))


logger_class = TokenHidingLogger
errorlog = "-"
wsgi_app = "backpain.wsgi:application"
