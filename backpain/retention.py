"""
How long the site keeps what people leave behind, and the one job that deletes it when the time is up.

Each kind of record has one period, read from one setting (``RESULT_RETENTION_DAYS``, ``SESSION_COOKIE_AGE``
and so on), and one purge function that deletes what is older. Apps register their kinds in
``AppConfig.ready()``; this module imports no app. ``manage.py purge_expired`` runs every registered purge,
and is safe to run as often as you like (the README schedules it daily).

The same periods are the figures the privacy page quotes: a site page's Markdown may say ``{{ results }}``
where it means "how long results are kept", and ``fill_figures`` writes in the period as words ("12
months") when the page is shown. Editors keep the wording; the settings keep the numbers; the two cannot
disagree.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape

UNITS = {"seconds", "minutes", "hours", "days"}
NUMBER_WORDS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# {{ name }}: a name is lower-case words joined by hyphens, e.g. {{ contact-messages }}.
PLACEHOLDER = re.compile(r"\{\{\s*([a-z]+(?:-[a-z]+)*)\s*\}\}")


@dataclass(frozen=True)
class Retention:
    """One kind of record and how long it is kept.

    ``name`` is also its placeholder in site pages (``{{ name }}``). ``setting`` holds the period as a
    number of ``unit``. ``purge(cutoff)`` deletes the records older than ``cutoff`` and returns how many it
    deleted or emptied.
    """

    name: str
    what: str
    setting: str
    unit: str
    purge: Callable[[datetime.datetime], int]

    @property
    def period(self):
        return datetime.timedelta(**{self.unit: getattr(settings, self.setting)})


_registry = {}


def register(name, *, what, setting, unit="days", purge):
    """Add a kind of record to the retention rules (from an app's ``ready()``; registering again replaces it)."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {sorted(UNITS)}, not {unit!r}")
    if not PLACEHOLDER.fullmatch(f"{{{{ {name} }}}}"):
        raise ValueError(f"{name!r} cannot be a placeholder: use lower-case words joined by hyphens")
    _registry[name] = Retention(name=name, what=what, setting=setting, unit=unit, purge=purge)


def registered():
    """Every registered kind of record, in the order registered."""
    return list(_registry.values())


def describe(period):
    """A period in words for readers: "12 months", "two weeks", "90 days", "one hour"."""
    seconds = int(period.total_seconds())
    days, rest = divmod(seconds, 86_400)
    if days and not rest:
        if days % 365 == 0:
            return _count(days // 365 * 12, "month")
        if days % 7 == 0 and days < 365:
            return _count(days // 7, "week")
        return _count(days, "day")
    if seconds % 3600 == 0:
        return _count(seconds // 3600, "hour")
    if seconds % 60 == 0:
        return _count(seconds // 60, "minute")
    return _count(seconds, "second")


def _count(number, unit):
    word = NUMBER_WORDS[number] if number < len(NUMBER_WORDS) else str(number)
    return f"{word} {unit}" if number == 1 else f"{word} {unit}s"


def figures():
    """Each placeholder name with its period in words, e.g. {"results": "12 months"}."""
    return {retention.name: describe(retention.period) for retention in registered()}


def unknown_placeholders(text):
    """The placeholder names in ``text`` that no kind of record answers to."""
    known = figures()
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in known})


def fill_figures(html):
    """``html`` with every known ``{{ name }}`` replaced by its period in words; unknown ones are left as written."""
    if "{{" not in html:
        return html
    known = figures()

    def fill(match):
        name = match.group(1)
        return escape(known[name]) if name in known else match.group(0)

    return PLACEHOLDER.sub(fill, html)
