"""
Load shipped content without ever overwriting an editor's work.

``seed`` creates an object the first time, updates it when the shipped text
changes and nobody has edited it since, and otherwise leaves it alone.
``seed_fields`` does the same for fields added to a shipped object later.

Shipped review dates (``shipped_review``) are the editors' from the moment they are loaded: set on creation,
or on an untouched object that has none yet, and never part of the checksum, so a review an editor records
never makes the loader think the text was edited, and a new shipped text never resets a review.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import models

from .models import DemoContent


@dataclass
class SeedResult:
    obj: models.Model | None
    action: str  # "created", "updated", "unchanged", "kept" (edited by an editor) or "deleted" (by an editor)


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    return str(value) if value is not None else None


def checksum(values):
    """Fingerprint a dict of field values."""
    payload = json.dumps({name: _comparable(value) for name, value in sorted(values.items())}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


# The day the shipped text was written, for content that gives no date of its own.
SHIPPED_CONTENT_WRITTEN = datetime.date(2026, 12, 2)


def shipped_review(written_on=None):
    """The review fields of shipped content: checked by its editors on the day it was written, due again a year
    later, and no reviewer named, since no clinician has reviewed it."""
    written_on = written_on or SHIPPED_CONTENT_WRITTEN
    try:
        due = written_on.replace(year=written_on.year + 1)
    except ValueError:  # 29 February
        due = written_on + datetime.timedelta(days=365)
    return {"reviewed_on": written_on, "next_review_due": due, "reviewer_name": "", "reviewer_role": ""}


def seed(model, key, lookup, values, review=None):
    """Create or refresh one shipped object identified by ``lookup`` (a dict), with ``values`` (a dict).

    ``review`` (from ``shipped_review``) is set when the object is created, or later if it still has no review
    date and nobody has edited it.
    """
    result = _seed(model, key, lookup, values, review or {})
    obj = result.obj
    if review and obj is not None and result.action != "kept" and obj.reviewed_on is None:
        for name, value in review.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(review))
    return result


def adopt_older_fingerprint(model, key, lookup, names, older):
    """Carry an object an older release loaded over to today's fingerprint, if nobody has edited it since.

    That release fingerprinted more fields than ``names``: ``older`` gives each extra field the value it
    shipped. If the object, with those values, still matches its record, it is untouched: record it over
    ``names`` alone, so ``seed`` goes on updating it. An edited object keeps its old record (and is kept).
    """
    record = DemoContent.objects.filter(key=key).first()
    obj = model.objects.filter(**lookup).first()
    if record is None or obj is None:
        return
    current = {name: getattr(obj, name) for name in names}
    if checksum({**current, **older}) == record.checksum:
        record.checksum = checksum(current)
        record.save(update_fields=["checksum"])


def _seed(model, key, lookup, values, review):
    record = DemoContent.objects.filter(key=key).first()
    shipped = checksum(values)
    obj = model.objects.filter(**lookup).first()
    if record is None:
        if obj is not None:
            return SeedResult(obj, "kept")  # made by an editor before we shipped it
        obj = model(**lookup, **values, **review)
        obj.save()
        DemoContent.objects.create(key=key, checksum=shipped)
        return SeedResult(obj, "created")
    if obj is None:
        return SeedResult(None, "deleted")
    current = checksum({name: getattr(obj, name) for name in values})
    if current != record.checksum:
        return SeedResult(obj, "kept")
    if shipped == record.checksum:
        return SeedResult(obj, "unchanged")
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    record.checksum = shipped
    record.save(update_fields=["checksum", "loaded_at"])
    return SeedResult(obj, "updated")


def seed_fields(obj, key, values):
    """Fill or refresh fields shipped after ``obj`` was first loaded, fingerprinted on their own under ``key``.

    Kept apart from the object's own record so that an object loaded before these fields existed still takes
    text updates, and an editor's change to its text does not hold back these fields. The first time, the
    fields are filled only while all of them are still empty (else an editor filled them first); after that,
    as ``seed``: refreshed when the shipped values change and nobody has changed the fields since.
    """
    if obj is None:
        return SeedResult(None, "deleted")
    record = DemoContent.objects.filter(key=key).first()
    shipped = checksum(values)
    if record is None:
        fields = [obj._meta.get_field(name) for name in values]
        if any(getattr(obj, field.attname) != field.get_default() for field in fields):
            return SeedResult(obj, "kept")
        record = DemoContent(key=key)
    elif checksum({name: getattr(obj, name) for name in values}) != record.checksum:
        return SeedResult(obj, "kept")
    elif shipped == record.checksum:
        return SeedResult(obj, "unchanged")
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(values))
    record.checksum = shipped
    record.save()
    return SeedResult(obj, "updated")


def read_front_matter(path):
    """Split a Markdown file with YAML front matter into (metadata dict, body text)."""
    text = Path(path).read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}, text
    _, header, body = text.split("---", 2)
    return yaml.safe_load(header) or {}, body.strip() + "\n"


def read_yaml(path):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
