#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backpain.settings")
    # A bare `manage.py` on a developer's machine (no key, no DJANGO_DEBUG) means development.
    # Production sets DJANGO_SECRET_KEY, so debug stays off; gunicorn never passes through here.
    if "DJANGO_SECRET_KEY" not in os.environ:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
