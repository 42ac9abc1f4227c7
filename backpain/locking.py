"""Optimistic locking for every change form in the editors' admin: a stale save is refused, never lost.

A change form carries a hidden, signed *edit marker*: when it was opened and a short fingerprint of each field as
stored then (and of each inline's rows). Saving compares the marker with the row as stored now, inside the
admin's transaction with the row locked, so two saves cannot both pass. When something has changed since the
page was opened, nothing is saved and the page comes back with:

- a message naming who changed it and when (django-simple-history's records or the admin's log), or saying
  that nobody is on record (a command, a bulk action);
- the editor's input kept, merged field by field with the stored row: a field only the editor changed keeps
  their text, a field only the other person changed takes the stored value, and a field both changed keeps the
  editor's text with a line-by-line comparison against what is stored now;
- a new marker, so saving again is a deliberate choice made with both versions in view.

A missing, damaged or foreign marker (a page from before this existed, a hand-made request) is treated as
"cannot tell what you started from": refused the same way, with every difference shown.

Why not django-concurrency: it needs a version column and a migration on every model (third-party ones too),
misses changes made by ``QuerySet.update`` unless it installs database triggers, and in the admin only says
"record modified"; the fingerprints here need no schema, see every kind of write, and say what differs.

``EditLockAdmin`` is the mixin; ``backpain.admin.EditorsAdminSite`` mixes it into every registered model admin
that does not already have it, so no change form of the site, its apps' or third-party ones, is left out.
"""

import datetime
import hashlib
import json
import time
from dataclasses import dataclass, field

from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.forms.models import _get_foreign_key
from django.utils import timezone
from django.utils.formats import date_format

from .textdiff import is_long_text, line_diff

LOCK_FIELD = "_edit_marker"
SALT = "backpain.locking"
MAX_MARKER_LENGTH = 4000  # a marker is a few hundred characters; anything longer is not one of ours


def canonical(value):
    """``value`` as a fingerprint sees it: the same for what the database holds and what a form sends back."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, UploadedFile):
        return f"new file: {value.name}"
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, models.QuerySet):
        return sorted(value.values_list("pk", flat=True))
    if value is None:
        return ""
    return value


def fingerprint(value):
    data = json.dumps(canonical(value), sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def stored_value(obj, model_field):
    """What the database holds for one field of ``obj`` (the primary keys, sorted, for a many-to-many)."""
    if model_field.many_to_many:
        return sorted(getattr(obj, model_field.name).values_list("pk", flat=True))
    return getattr(obj, model_field.attname)


def typed_value(model_field, value):
    """What a form's cleaned value would store in one field (primary keys for relations)."""
    if model_field.many_to_many:
        return sorted(item.pk for item in value or [])
    if value is False and isinstance(model_field, models.FileField):
        return ""  # "clear" ticked
    return value


def row_fingerprint(obj):
    """One fingerprint of every stored field of a row, except the time it was last saved."""
    values = {
        f.attname: canonical(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if not getattr(f, "auto_now", False)
    }
    return fingerprint(values)


@dataclass
class Difference:
    """One field where the editor's form and the stored row disagree."""

    label: str
    stored: str
    typed: str
    diff: str = ""  # a line-by-line comparison, for long text
    taken: bool = False  # only the other change touched it: the form now holds the stored value


@dataclass
class Conflict:
    """What a refused save tells the editor, and the form to show them."""

    message: str
    differences: list = field(default_factory=list)
    inlines: list = field(default_factory=list)  # names of inlines whose rows changed
    merge: object = None  # makes the merged form: the stored row, with the editor's changes in it
    files_dropped: bool = False

    @property
    def both(self):
        """Fields changed on both sides: the editor's text is in the form."""
        return [d for d in self.differences if not d.taken]

    @property
    def taken(self):
        """Fields only the other change touched: the form now holds the stored value."""
        return [d for d in self.differences if d.taken]


class EditMarkerField(forms.Field):
    """The hidden marker. Never "changed" (it stays out of the change message) and never validated alone: the
    form reads it in ``clean``, so junk gets the lock's own message rather than a hidden field's error."""

    widget = forms.HiddenInput
    default_validators = []

    def __init__(self, **kwargs):
        super().__init__(required=False, label="", **kwargs)

    def to_python(self, value):
        return value if isinstance(value, str) else ""

    def has_changed(self, initial, data):
        return False


class EditLock:
    """The marker and the check for one model admin and one request."""

    def __init__(self, model_admin, request):
        self.model_admin = model_admin
        self.request = request
        self.model = model_admin.model

    # What is stored.

    def current(self, pk, *, for_update=False):
        manager = self.model._base_manager
        if for_update and connection.in_atomic_block:
            manager = manager.select_for_update()
        return manager.filter(pk=pk).first()

    def inline_rows(self, obj):
        """{inline name: (label, rows)} for the admin's inlines of ``obj``."""
        found = {}
        for inline in self.model_admin.get_inline_instances(self.request, obj):
            try:
                fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            except ValueError:
                continue
            rows = inline.model._base_manager.filter(**{fk.name: obj.pk}).order_by("pk")
            found[f"{inline.model._meta.label_lower}:{fk.name}"] = (str(inline.verbose_name_plural), list(rows))
        return found

    def state(self, obj, model_fields):
        return {
            "f": {name: fingerprint(stored_value(obj, mf)) for name, mf in model_fields.items()},
            "i": {
                key: fingerprint([row_fingerprint(r) for r in rows]) for key, (_, rows) in self.inline_rows(obj).items()
            },
        }

    # The marker.

    def salt(self, pk):
        return f"{SALT}:{self.model._meta.label_lower}:{pk}"

    def marker(self, obj, model_fields):
        """The signed marker: the state of ``obj`` now, and when it was drawn (microseconds since the epoch)."""
        return signing.dumps({**self.state(obj, model_fields), "t": time.time_ns() // 1000}, salt=self.salt(obj.pk))

    def read(self, marker, pk):
        """The state the marker records, or None when there is none or it is not one of ours."""
        if not marker or len(marker) > MAX_MARKER_LENGTH:
            return None
        try:
            opened = signing.loads(marker, salt=self.salt(pk))
        except (signing.BadSignature, ValueError, TypeError, UnicodeError):
            return None
        if (
            not isinstance(opened, dict)
            or not isinstance(opened.get("f"), dict)
            or not isinstance(opened.get("i"), dict)
        ):
            return None
        if not isinstance(opened.get("t"), int):
            return None
        return opened

    # Who changed it.

    def last_change(self, obj, since):
        """(user or None, when) of the latest recorded change to ``obj`` or its inline rows after ``since``."""
        candidates = []
        history = getattr(self.model._meta, "simple_history_manager_attribute", None)
        if history:
            record = (
                getattr(self.model, history)
                .filter(**{self.model._meta.pk.attname: obj.pk}, history_date__gt=since)
                .order_by("-history_date")
                .first()
            )
            if record is not None:
                candidates.append((record.history_date, record.history_user))
        for inline in self.model_admin.get_inline_instances(self.request, obj):
            inline_history = getattr(inline.model._meta, "simple_history_manager_attribute", None)
            if not inline_history:
                continue
            try:
                fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            except ValueError:
                continue
            record = (
                getattr(inline.model, inline_history)
                .filter(**{fk.attname: obj.pk}, history_date__gt=since)
                .order_by("-history_date")
                .first()
            )
            if record is not None:
                candidates.append((record.history_date, record.history_user))
        kinds = {ContentType.objects.get_for_model(self.model, for_concrete_model=c).pk for c in (True, False)}
        entry = (
            LogEntry.objects.filter(
                content_type__in=kinds,
                object_id=str(obj.pk),
                action_time__gt=since,
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if entry is not None:
            candidates.append((entry.action_time, entry.user))
        if not candidates:
            return None
        return max(candidates, key=lambda item: item[0])[::-1]

    def who_and_when(self, obj, opened):
        name = str(self.model._meta.verbose_name)
        if opened is None:
            return (
                f"This page did not say which version of the {name} you started from (its edit marker was missing "
                "or damaged), so nothing was saved."
            )
        since = datetime.datetime.fromtimestamp(opened["t"] / 1_000_000, tz=datetime.UTC)
        change = self.last_change(obj, since)
        if change is None:
            return (
                f"This {name} was changed after you opened it, by something that leaves no record of who (a command "
                "or a bulk action), so your changes have not been saved."
            )
        user, when = change
        moment = timezone.localtime(when)
        at = f"at {date_format(moment, 'H:i')} on {date_format(moment, 'j F Y')}"
        if user is not None and user.pk == self.request.user.pk:
            return (
                f"You saved this {name} yourself {at}, in another tab or window, so these changes have not been saved."
            )
        who = (user.get_full_name() or user.get_username()) if user is not None else "Someone"
        return f"{who} changed this {name} {at}, after you opened it, so your changes have not been saved."


def model_fields_of(form):
    """{form field name: model field} for the form's fields that store straight into the model."""
    opts = form._meta.model._meta
    found = {}
    for name in form.fields:
        if name == LOCK_FIELD:
            continue
        try:
            model_field = opts.get_field(name)
        except FieldDoesNotExist:  # a form field of the form's own, such as a choice's weights
            continue
        if (model_field.concrete or model_field.many_to_many) and not model_field.auto_created:
            found[name] = model_field
    return found


def display(form_field, value):
    """A value as an editor reads it: choice labels, object names, "Yes"/"No", "(empty)"."""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        pks = [item.pk if isinstance(item, models.Model) else item for item in value or []]
        names = [str(item) for item in form_field.queryset.filter(pk__in=pks)] if pks else []
        return ", ".join(sorted(names)) or "(none)"
    if isinstance(form_field, forms.ModelChoiceField):
        if isinstance(value, models.Model):
            return str(value)
        found = form_field.queryset.filter(pk=value).first() if value not in (None, "") else None
        return str(found) if found is not None else "(none)"
    if isinstance(form_field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(form_field, forms.ChoiceField):
        labels = {}
        for key, label in form_field.choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        return str(labels.get(str(value), value if value not in (None, "") else "(empty)"))
    if isinstance(value, (list, dict)) and not isinstance(form_field, forms.MultiValueField):
        return json.dumps(value, indent=2, ensure_ascii=False)
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y, H:i:s")
    if isinstance(value, FieldFile):
        return value.name or "(no file)"
    if isinstance(value, UploadedFile):
        return f"{value.name} (a new file you chose)"
    text = "" if value is None else str(value)
    return text.replace("\r\n", "\n") if text.strip() else "(empty)"


class EditLockForm:
    """Mixed into a change form by ``EditLockAdmin.get_form``: carries the marker and refuses a stale save."""

    edit_lock = None  # set on the class the admin makes for one request
    edit_conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[LOCK_FIELD] = EditMarkerField()
        pk = self.instance.pk
        lock = self.edit_lock
        # Worked out when the page is drawn, from the row as stored then (never from a history version shown).
        self.fields[LOCK_FIELD].initial = lambda: lock.marker(lock.current(pk), model_fields_of(self))

    @property
    def edit_marker(self):
        return self[LOCK_FIELD]

    def clean(self):
        cleaned = super().clean()
        lock = self.edit_lock
        current = lock.current(self.instance.pk, for_update=True)
        if current is None:
            return cleaned  # deleted meanwhile: the admin's own "does not exist" handling applies
        model_fields = model_fields_of(self)
        now = lock.state(current, model_fields)
        opened = lock.read(self.data.get(LOCK_FIELD, ""), self.instance.pk)
        if opened is not None and opened["f"] == now["f"] and opened["i"] == now["i"]:
            return cleaned
        self.edit_conflict = self._conflict(lock, current, model_fields, opened, now)
        # The form now carries the stored version: saving again is a choice made with both in view.
        self.data = self.data.copy()
        self.data[LOCK_FIELD] = lock.marker(current, model_fields)
        raise forms.ValidationError(self.edit_conflict.message, code="stale")

    def _conflict(self, lock, current, model_fields, opened, now):
        opened_fields = (opened or {}).get("f", {})
        stored_form = type(self)(instance=current, prefix=self.prefix)
        differences, keep_typed = [], {}
        files_dropped = False
        for name, model_field in model_fields.items():
            form_field = self.fields[name]
            if form_field.disabled:
                continue
            stored = stored_value(current, model_field)
            if name in self.errors:
                if form_field.has_changed(stored_form[name].initial, self[name].data):
                    differences.append(
                        self._difference(form_field, stored_form[name].initial, self[name].data, name, raw=True)
                    )
                continue
            typed = typed_value(model_field, self.cleaned_data.get(name))
            if fingerprint(typed) == fingerprint(stored):
                continue
            was = opened_fields.get(name)
            if isinstance(self.cleaned_data.get(name), UploadedFile):
                files_dropped = True
            if was is not None and fingerprint(typed) == was:
                # Only the other change touched it: the form takes the stored value (shown as yours → stored).
                differences.append(
                    self._difference(
                        form_field, stored_form[name].initial, self.cleaned_data.get(name), name, taken=True
                    )
                )
                continue
            if not isinstance(self.cleaned_data.get(name), UploadedFile):
                keep_typed[name] = self.cleaned_data.get(name)
            if was is not None and fingerprint(stored) == was:
                continue  # only the editor changed it: their text stays, nothing to compare
            differences.append(
                self._difference(form_field, stored_form[name].initial, self.cleaned_data.get(name), name)
            )
        inlines = [
            label
            for key, (label, _) in lock.inline_rows(current).items()
            if (opened or {}).get("i", {}).get(key) != now["i"].get(key)
        ]
        return Conflict(
            message=lock.who_and_when(current, opened),
            differences=differences,
            inlines=inlines,
            merge=lambda: type(self)(instance=current, prefix=self.prefix, initial=keep_typed),
            files_dropped=files_dropped,
        )

    def only_stale(self):
        """True when staleness is the form's only error (the model's own checks run after ``clean``)."""
        for name, errors in self.errors.as_data().items():
            if name != forms.forms.NON_FIELD_ERRORS or any(error.code != "stale" for error in errors):
                return False
        return True

    def _difference(self, form_field, stored, typed, name, taken=False, raw=False):
        label = str(form_field.label or name).rstrip(":")
        if raw:
            stored_text, typed_text = display(form_field, stored), str(typed if typed is not None else "")
        else:
            stored_text, typed_text = display(form_field, stored), display(form_field, typed)
        diff = ""
        if is_long_text(stored_text, typed_text):
            # Both changed: − saved now, + yours. Only theirs: − as you opened it, + saved now.
            diff = line_diff(typed_text, stored_text) if taken else line_diff(stored_text, typed_text)
        return Difference(label=label, stored=stored_text, typed=typed_text, diff=diff, taken=taken)


class EditLockAdmin:
    """Optimistic locking for a model admin's change form (and a history version's restore form); see the module
    docstring. Put it before ``ModelAdmin`` (or ``SimpleHistoryAdmin``) in the bases."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.pk is None or issubclass(form, EditLockForm):
            return form
        return type(form)(form.__name__, (EditLockForm, form), {"edit_lock": EditLock(self, request)})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        self.show_edit_conflict(request, context, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def show_edit_conflict(self, request, context, obj):
        """Put a refused save's conflict in the page, with the merged form in place of the refused one."""
        adminform = context.get("adminform")
        conflict = getattr(getattr(adminform, "form", None), "edit_conflict", None)
        if conflict is None:
            return
        context["edit_conflict"] = conflict
        if not adminform.form.only_stale():
            # Input that is not valid yet cannot be merged: the form keeps all of it, so nothing is taken.
            for difference in conflict.differences:
                difference.taken = False
            return
        merged = conflict.merge()
        context["adminform"] = helpers.AdminForm(
            merged,
            list(self.get_fieldsets(request, obj)),
            self.get_prepopulated_fields(request, obj) if context.get("has_change_permission", True) else {},
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
        context["errors"] = helpers.AdminErrorList(merged, formsets)
