"""gunicorn settings, overridable from the environment (see the README)."""

import multiprocessing
import os

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
