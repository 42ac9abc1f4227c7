"""Shipped illustrations: drawings kept under ``static/`` that a page names by their path.

Stretches and self-tests store a path such as ``img/stretches/childs-pose.svg`` rather than an upload. A path
that names no file would break the page in production, where hashed static files are strict, so models check
it with ``is_static_file`` before saving.

Plumbing: imports no app.
"""

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation


def is_static_file(path):
    """True when ``path`` names a file the static files finders can serve."""
    try:
        return bool(finders.find(path))
    except SuspiciousFileOperation:  # "../" tricks
        return False
