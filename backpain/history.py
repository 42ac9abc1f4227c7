"""History that reads: every edit's changes in full (long text as a line-by-line comparison, never
"Sitti[453 chars]"), and a restore recorded as "Restored the version of <date>", in the history and the admin's log.

``HistoryAdmin`` is django-simple-history's admin with these; content apps use it for their models with history.
Restoring an old version goes through the same optimistic lock as any change form (``backpain.locking``), in
one transaction.
"""

import json

from django.db import router, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .locking import EditLockAdmin
from .textdiff import is_long_text, line_diff


def restore_reason(record):
    """The change reason of a restore: "Restored the version of 3 May 2026, 14:32"."""
    moment = timezone.localtime(record.history_date)
    return f"Restored the version of {date_format(moment, 'j F Y, H:i')}"


def as_text(value):
    """A history value as an editor reads it: each step of a list on its own line, names for related objects."""
    if value is None or value == "":
        return ""
    if isinstance(value, (list, tuple)):
        if all(isinstance(item, str) for item in value):
            return "\n".join(value)
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    if isinstance(value, dict):
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return str(value)


class ReadableChanges(HistoricalRecordContextHelper):
    """Each change of one history entry in full: long or multi-line text as a line diff, short values as
    "old → new"."""

    def context_for_delta_changes(self, delta):
        rows = []
        for change in delta.changes:
            model_field = self.model._meta.get_field(change.field)
            old = self.prepare_delta_change_value(change, change.old)
            new = self.prepare_delta_change_value(change, change.new)
            if model_field.many_to_many:
                old, new = ", ".join(map(str, old)), ", ".join(map(str, new))
            old, new = as_text(old), as_text(new)
            row = {"field": capfirst(model_field.verbose_name)}
            if is_long_text(old, new):
                row["diff"] = line_diff(old, new)
            else:
                row.update(old=old or "(empty)", new=new or "(empty)")
            rows.append(row)
        return rows


class HistoryAdmin(EditLockAdmin, SimpleHistoryAdmin):
    """django-simple-history's admin with full diffs and restores that say what they were."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/list.html"
    object_history_form_template = "admin/history/form.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A version's page, whose "Revert" restores it: in one transaction, through the lock, and recorded."""
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404("No such version.")
        record = history.filter(**{self.model._meta.pk.attname: object_id, "history_id": version_id}).first()
        if record is None:
            raise Http404("No such version.")
        request._restoring = record
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        self.show_edit_conflict(request, context, context.get("original"))
        return super().render_history_view(request, template, context, **kwargs)

    def save_model(self, request, obj, form, change):
        record = getattr(request, "_restoring", None)
        if record is not None:
            obj._change_reason = restore_reason(record)
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        record = getattr(request, "_restoring", None)
        if record is not None:
            message = f"{restore_reason(record)}."
        return super().log_change(request, obj, message)


def record_unchanged(obj, user, reason):
    """Add a history entry for ``obj`` as stored, saying what happened to it without changing it ("Saved changes
    for later"): the history then tells the whole story of the page, not only its saves."""
    attribute = getattr(obj._meta, "simple_history_manager_attribute", None)
    history = getattr(type(obj), attribute, None) if attribute else None
    if history is None:
        return None
    record_model = history.model
    values = {field.attname: getattr(obj, field.attname) for field in record_model.tracked_fields}
    return record_model.objects.create(
        history_date=timezone.now(),
        history_type="~",
        history_user=user,
        history_change_reason=reason,
        **values,
    )
