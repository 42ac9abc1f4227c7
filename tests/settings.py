"""Test settings: production settings with a test key, a fast hasher, plain static files and in-memory services."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-that-is-long-enough-to-pass-the-production-check")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.pop("DJANGO_DEBUG", None)

from backpain.settings import *  # noqa: E402, F403
from backpain.settings import STORAGES  # noqa: E402

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Most tests sign editors in with force_login; tests/backpain/test_security.py turns two-factor sign-in on.
ADMIN_REQUIRE_2FA = False
# Serve static files straight from the apps and static/ (no collectstatic), for the live server too.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# On PostgreSQL, `python -m tests.harness.services run` migrates one template database; the test databases
# are copies of it, so their migrations find nothing left to do.
if os.environ.get("DATABASE_TEMPLATE") and DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"TEMPLATE": os.environ["DATABASE_TEMPLATE"]}  # noqa: F405
# Queued mail is sent as soon as its transaction commits, in the test's own process, into the locmem outbox.
# The database queue and its worker run for real in tests/backpain/test_mail_queue.py and test_mail_http.py.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
