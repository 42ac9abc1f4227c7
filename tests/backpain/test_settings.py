import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.own_database  # each check runs manage.py in a clean environment, on no database of the suite's

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "a-real-production-secret-key-that-is-long-and-random-0123456789"


def run_check(**env):
    """Run `manage.py check` with only the given environment variables (plus PATH)."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "backpain.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "key",
    ["", "short", "django-insecure-backpain-development-key-never-use-in-production", "django-insecure-" + "x" * 60],
)
def test_production_refuses_a_missing_or_development_secret_key(key):
    """With debug off, a missing, short or development key stops the site from starting."""
    result = run_check(DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_gunicorn_refuses_to_start_without_a_key():
    """The WSGI application (what gunicorn loads) never falls back to development settings."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "backpain.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import backpain.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


def test_manage_py_alone_is_development():
    """A newcomer's bare `python manage.py ...` runs in development mode rather than failing."""
    env = {"PATH": os.environ["PATH"]}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_production_starts_with_a_real_key():
    assert run_check(DJANGO_SECRET_KEY=GOOD_KEY).returncode == 0


def test_plain_http_is_only_allowed_on_loopback():
    """DJANGO_HTTPS=0 is for load tests on 127.0.0.1, never for a public host name."""
    loopback = run_check(DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_HTTPS="0")
    public = run_check(DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_HTTPS="0", DJANGO_ALLOWED_HOSTS="backpain.example")
    assert loopback.returncode == 0
    assert public.returncode != 0 and "only allowed" in public.stderr


def test_development_runs_without_a_key():
    assert run_check(DJANGO_DEBUG="1").returncode == 0


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    # The test database lives in memory, where SQLite reports "memory"; files use WAL.
    assert mode in {"wal", "memory"}


def test_database_and_cache_switch_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']); print(s.CACHES['default']['BACKEND']);"
        "print(s.CACHES['default']['KEY_PREFIX'])"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "backpain.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/backpain",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_CACHE_KEY_PREFIX": "second-site",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.split() == [
        "django.db.backends.postgresql",
        "django_redis.cache.RedisCache",
        "second-site",
    ], out.stderr
