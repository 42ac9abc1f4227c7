""" "Save changes for later" on the change form of published content (``articles.pending`` does the storing).

``PendingChangesAdmin`` goes before ``HistoryAdmin`` in a model admin's bases. On a page readers can see
(``readers_see``), the change form offers "Save changes for later" beside "Save"; once changes are waiting, it
shows them for further editing, with "Save changes for later", "Publish changes" and "Discard changes" in place of
"Save". "Preview" posts the form as it is, unsaved, to ``preview_view``, which renders the reader's page with it.

Saving for later and publishing go through the admin's own save path: the form is validated with the edit lock
(a form opened before someone else's save is refused the same way), then saving for later stores the values
instead of saving the row, and publishing saves the row (history, the page cache's signals, the search index)
and drops the waiting changes in the same transaction. A form opened before someone else saved, published or
discarded changes for later carries their old token and is refused with a message naming who and when.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache

from backpain.locking import model_fields_of

from .. import pending as changes

SAVE_FOR_LATER, PUBLISH, DISCARD = "_save_for_later", "_publish_changes", "_discard_changes"
ACTIONS = (SAVE_FOR_LATER, PUBLISH, DISCARD)
PUBLISH_AT, TOKEN = "pending_publish_at", "pending_token"


def when(moment):
    moment = timezone.localtime(moment)
    return f"{date_format(moment, 'j F Y')} at {date_format(moment, 'H:i')}"


class QuietField:
    """Never "changed": the page's own controls stay out of the change message."""

    def has_changed(self, initial, data):
        return False


class PublishAtField(QuietField, forms.DateTimeField):
    pass


class TokenField(QuietField, forms.CharField):
    pass


class PendingChangesForm:
    """Mixed into the change form: the waiting changes as its initial values, and the checks of the buttons."""

    pending = None
    pending_action = None
    pending_shown = False  # the page is being opened: the form starts from the waiting changes

    def __init__(self, *args, **kwargs):
        # Only the form the page opens with: not a bound one, nor the stored or merged versions the edit lock draws.
        show_pending = self.pending_shown and not args and kwargs.get("data") is None and kwargs.get("initial") is None
        super().__init__(*args, **kwargs)
        pending = self.pending
        self.fields[PUBLISH_AT] = PublishAtField(
            required=False,
            label="Publish them automatically at",
            help_text="Optional. Leave it empty to publish them yourself with “Publish changes”.",
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            initial=timezone.localtime(pending.publish_at) if pending and pending.publish_at else None,
        )
        token = pending.token if pending else ""
        self.fields[TOKEN] = TokenField(required=False, widget=forms.HiddenInput, initial=token)
        if pending is not None and show_pending:
            fields = changes_fields(self)
            for name, value in pending.data.items():
                if name in fields:
                    self.initial[name] = changes.from_json(fields[name], value)

    def clean(self):
        if self.pending_action in ACTIONS:
            self.check_pending_token()
        if self.pending_action == SAVE_FOR_LATER:
            moment = self.cleaned_data.get(PUBLISH_AT)
            if moment is not None and moment <= timezone.now():
                self.add_error(
                    PUBLISH_AT, "Choose a time still to come, or leave it empty to publish the changes yourself."
                )
            for name, model_field in model_fields_of(self).items():
                if not changes.storable(model_field, self.fields[name]) and name in self.changed_data:
                    self.add_error(
                        name,
                        "A new or removed file cannot wait with changes saved for later: publish it (“Save” or "
                        "“Publish changes”), or put the field back as it was to save the rest for later.",
                    )
        return super().clean()

    def check_pending_token(self):
        current = changes.pending_for(self.instance)
        expected = current.token if current else ""
        sent = self.data.get(TOKEN, "")
        if sent == expected:
            return
        self.data = self.data.copy()
        self.data[TOKEN] = expected  # saving again is then a choice made knowing of them
        if current is not None:
            message = (
                f"{current.author_name} saved changes for later on {when(current.saved_at)}, after you opened this "
                "page, so nothing was done. Your form is as you left it: saving it for later again replaces their "
                "changes with yours; reload the page to see theirs."
            )
        else:
            message = (
                "The changes saved for later were published or discarded after you opened this page, so nothing "
                "was done. Your form is as you left it; reload the page to see what readers see now."
            )
        self.add_error(None, forms.ValidationError(message, code="pending_stale"))


def changes_fields(form):
    """{name: model field} of the form's fields a change saved for later keeps."""
    excluded = set(getattr(form, "pending_excluded", ()))
    return {
        name: model_field
        for name, model_field in model_fields_of(form).items()
        if name not in excluded and changes.storable(model_field, form.fields[name])
    }


class PendingChangesAdmin:
    """See the module docstring."""

    pending_excluded_fields = ()  # kept out of changes saved for later (whether readers see the page at all)

    def readers_see(self, obj):
        """Whether ``obj`` is published, so edits to it go to readers and may be saved for later instead."""
        return True

    def offers_pending(self, request, obj):
        return obj is not None and obj.pk is not None and self.readers_see(obj) and not hasattr(request, "_restoring")

    def pending_action(self, request):
        if request.method != "POST":
            return None
        return next((action for action in ACTIONS if action in request.POST), None)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not self.offers_pending(request, obj):
            return form
        attrs = {
            "pending": changes.pending_for(obj),
            "pending_action": self.pending_action(request),
            "pending_shown": request.method == "GET",
            "pending_excluded": self.pending_excluded_fields,
        }
        return type(form)(form.__name__, (PendingChangesForm, form), attrs)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(never_cache(self.preview_view)),
            name="{}_{}_preview".format(*info),
        )
        return [preview, *super().get_urls()]

    # The buttons.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        action = self.pending_action(request)
        if object_id is not None and action is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                if not self.has_change_permission(request, obj):
                    raise PermissionDenied
                if not self.offers_pending(request, obj):
                    return self.refuse(
                        request,
                        obj,
                        f"This {self.opts.verbose_name} is not published, so there is nothing to save "
                        "changes for later against: use “Save”.",
                    )
                if action == DISCARD:
                    return self.discard(request, obj)
                request._pending_action = action
        return super().changeform_view(request, object_id, form_url, extra_context)

    def refuse(self, request, obj, message, status=409):
        context = {
            **self.admin_site.each_context(request),
            "title": "Nothing was changed",
            "opts": self.opts,
            "original": obj,
            "message": message,
            "change_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]),
        }
        return TemplateResponse(request, "admin/pending_refused.html", context, status=status)

    def discard(self, request, obj):
        with transaction.atomic(using=router.db_for_write(self.model)):
            pending = changes.pending_for(obj)
            sent = request.POST.get(TOKEN, "")
            if pending is None or sent != pending.token:
                return self.refuse(
                    request,
                    obj,
                    "The changes saved for later are not the ones this page showed (someone saved, published or "
                    "discarded them after you opened it), so nothing was discarded. Reload the page to see them.",
                )
            changes.discard(obj, pending, request.user)
            self.log_change(request, obj, f"{changes.DISCARDED}.")
        self.message_user(
            request, "Discarded the changes saved for later: the form shows what readers see.", messages.SUCCESS
        )
        return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        action = getattr(request, "_pending_action", None)
        if action == SAVE_FOR_LATER:
            request._pending_saved = changes.save_for_later(
                obj, form, changes_fields(form), user=request.user, publish_at=form.cleaned_data.get(PUBLISH_AT)
            )
            return
        if action == PUBLISH:
            obj._change_reason = changes.PUBLISHED
            waiting = changes.pending_for(obj)
            if waiting is not None:
                waiting.delete()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_pending_action", None) == SAVE_FOR_LATER:
            request._pending_inlines_dropped = any(formset.has_changed() for formset in formsets)
            return
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_pending_action", None) == SAVE_FOR_LATER:
            return ""  # nothing was saved; ``log_change`` says what happened
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        action = getattr(request, "_pending_action", None)
        if action == SAVE_FOR_LATER:
            message = f"{changes.SAVED}."
        elif action == PUBLISH:
            message = f"{changes.PUBLISHED}."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        action = getattr(request, "_pending_action", None)
        if action == SAVE_FOR_LATER:
            saved = request._pending_saved
            text = "Your changes are saved for later: readers still see the published version."
            if saved.publish_at:
                text += f" They will be published on {when(saved.publish_at)}."
            self.message_user(request, text, messages.SUCCESS)
            if getattr(request, "_pending_inlines_dropped", False):
                self.message_user(
                    request,
                    "Changes to the rows below the form (such as sources) cannot wait: they were not saved. "
                    "Make them with “Save” or after publishing.",
                    messages.WARNING,
                )
            return HttpResponseRedirect(request.path)
        if action == PUBLISH:
            self.message_user(request, "Published your changes: readers see them now.", messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if not add and self.offers_pending(request, obj):
            pending = changes.pending_for(obj)
            context.update(
                pending_offered=True,
                pending_change=pending,
                pending_preview_url=reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_preview", args=[obj.pk]
                ),
            )
            if pending is not None:
                context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # Preview.

    def preview_view(self, request, object_id):
        """The reader's page with the posted form's values, nothing saved; the form's errors when it has any."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not object_id.isdigit():
            raise Http404("No such page.")
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such page.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(request, obj, change=True, fields=flatten_fieldsets(fieldsets))
        form = form_class(request.POST, request.FILES, instance=obj)
        form.is_valid()
        errors = [
            (
                str(form.fields[name].label or name) if name in form.fields else "",
                [" ".join(error.messages) for error in found if error.code not in ("stale", "pending_stale")],
            )
            for name, found in form.errors.as_data().items()
        ]
        errors = [(label, found) for label, found in errors if found]
        if errors:
            context = {
                **self.admin_site.each_context(request),
                "title": "This form cannot be previewed yet",
                "opts": self.opts,
                "original": obj,
                "errors": errors,
            }
            response = TemplateResponse(request, "admin/pending_preview_errors.html", context, status=400)
        else:
            response = self.preview_response(request, form.instance, form)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def preview_response(self, request, obj, form):
        raise NotImplementedError
