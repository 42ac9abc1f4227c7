"""What the scheduled-publication tests share: the site's task queue in the database, and its worker."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue, as in production, instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """Run every task that is due, then stop, as ``db_worker --batch`` does."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "0", stdout=io.StringIO())
