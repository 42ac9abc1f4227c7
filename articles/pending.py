"""Applying changes saved for later (``PendingChange``) to the live row, by an editor or at their scheduled time.

An editor publishes them through the change form's normal save (the edit lock, history, the page cache's signals
and the search index all see an ordinary save). A scheduled publication is the same save made by the site's task
worker (``manage.py db_worker``, the one that sends mail): saving changes with a ``publish_at`` queues
``publish_due_change`` to run then. First publication needs no job at all (an article is shown once its
``published_at`` has passed), but changes must reach the live row, the feed, the sitemap and the search index,
so they are written by the queue that already runs. The task is idempotent: it does nothing unless the change
it names is still there and due, so a change rescheduled or published by hand meanwhile is left alone.

Only the fields the editor changed (against ``base``, the published value when they saved) are written, so an
edit published meanwhile to another field is kept.
"""

import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task

from backpain.history import record_unchanged
from backpain.locking import fingerprint, stored_value, typed_value

from .models import PendingChange

logger = logging.getLogger(__name__)

SAVED = "Saved changes for later"
PUBLISHED = "Published changes saved for later"
SCHEDULED = "Published changes saved for later, at their scheduled time"
DISCARDED = "Discarded changes saved for later"


def pending_for(obj):
    if obj is None or obj.pk is None:
        return None
    kind = ContentType.objects.get_for_model(type(obj))
    return PendingChange.objects.select_related("author").filter(content_type=kind, object_id=obj.pk).first()


def as_json(model_field, value):
    """A form's cleaned value as ``data`` keeps it: primary keys for relations, ISO text for dates and times."""
    value = typed_value(model_field, value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def from_json(model_field, value):
    """The stored value back as the model (and a form's initial) takes it."""
    if model_field.many_to_many:
        return list(value or [])
    if value is None:
        return None
    return model_field.to_python(value)


def storable(model_field, form_field):
    """Fields kept in a change saved for later: not files (they cannot wait in JSON), not disabled ones."""
    return not form_field.disabled and not isinstance(model_field, models.FileField)


def values_of(form, model_fields):
    return {name: as_json(mf, form.cleaned_data.get(name)) for name, mf in model_fields.items()}


def save_for_later(obj, form, model_fields, *, user, publish_at):
    """Store the form's values as ``obj``'s change saved for later (replacing any); ``obj`` is not saved."""
    stored = type(obj)._base_manager.get(pk=obj.pk)
    kind = ContentType.objects.get_for_model(type(obj))
    pending, _ = PendingChange.objects.update_or_create(
        content_type=kind,
        object_id=obj.pk,
        defaults={
            "data": values_of(form, model_fields),
            "base": {name: fingerprint(stored_value(stored, mf)) for name, mf in model_fields.items()},
            "author": user,
            "saved_at": timezone.now(),
            "publish_at": publish_at,
        },
    )
    record_unchanged(stored, user, SAVED)
    if publish_at is not None:
        transaction.on_commit(partial(_enqueue, pending.pk, publish_at))
    return pending


def _enqueue(pending_id, publish_at):
    try:
        publish_due_change.using(run_after=publish_at).enqueue(pending_id)
    except Exception:
        logger.exception("Could not queue the scheduled publication of changes %s.", pending_id)


def discard(obj, pending, user):
    pending.delete()
    record_unchanged(type(obj)._base_manager.get(pk=obj.pk), user, DISCARDED)


@task()
def publish_due_change(pending_id):
    """Publish one change saved for later if it is still there and due (see the module docstring)."""
    return publish_due(pending_id)


def publish_due(pending_id, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        pending = (
            PendingChange.objects.select_for_update(of=("self",))
            .filter(pk=pending_id, publish_at__isnull=False, publish_at__lte=now)
            .select_related("content_type", "author")
            .first()
        )
        if pending is None:
            return False
        model = pending.content_type.model_class()
        obj = model._base_manager.select_for_update().filter(pk=pending.object_id).first()
        if obj is None:
            pending.delete()
            return False
        changed, m2m = [], {}
        for name, value in pending.data.items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field removed since they were saved
                logger.warning("Changes saved for later to %s %s name no field %s.", model.__name__, obj.pk, name)
                continue
            if fingerprint(value) == pending.base.get(name):
                continue  # not changed by the editor: what is published now stays
            changed.append(model_field.name)
            if model_field.many_to_many:
                m2m[name] = from_json(model_field, value)
            else:
                setattr(obj, model_field.attname, from_json(model_field, value))
        try:
            obj.full_clean(exclude=[f.name for f in model._meta.fields if f.name not in changed], validate_unique=True)
        except ValidationError as error:
            logger.error("Changes saved for later to %s %s could not be published: %s", model.__name__, obj.pk, error)
            pending.publish_at = None  # left for an editor, whose change form shows them
            pending.save(update_fields=["publish_at"])
            return False
        obj._history_user = pending.author
        obj._change_reason = SCHEDULED
        obj.save()
        for name, pks in m2m.items():
            getattr(obj, name).set(pks)
        pending.delete()
    return True
