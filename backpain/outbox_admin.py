"""The mail outbox in the admin: every email the site sent or will send, what became of it, and "send again".

Registered from ``BackpainConfig.ready()`` (``backpain.admin`` defines the admin site itself, so it cannot
register models). Editors see every email and may send a failed or stalled one again; nobody can write or edit
one here: only the site writes them (``backpain.mail``).
"""

import re

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from . import mail
from .models import OutgoingEmail

EMAIL_ID = re.compile(r"[0-9]{1,18}")  # a key the table can hold; Django's admin would 500 on anything else


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox: failed emails are the ones to look at (the index's shortcut filters them)."""

    list_display = ["subject", "state", "kind", "recipients", "created_at"]  # the state first: seen on a phone
    list_filter = ["status", "kind"]
    search_fields = ["subject", "body"]
    actions = ["send_again"]
    fields = [
        "kind",
        "subject",
        "recipients",
        "reply_to_addresses",
        "state",
        "last_error",
        "created_at",
        "last_attempt_at",
        "sent_at",
        "about_link",
        "body",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # only the site writes emails

    def has_change_permission(self, request, obj=None):
        return False

    def response_action(self, request, queryset):
        """Run an action only on a selection of real keys: anything else is a forged form, answered 400."""
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(EMAIL_ID.fullmatch(value) for value in selected):
            raise BadRequest("The selection does not name emails in the outbox.")
        name = request.POST.get("action", "")
        if name and name not in self.get_actions(request):  # empty: "Go" with none chosen, which Django explains
            raise BadRequest("There is no such action here.")
        return super().response_action(request, queryset)

    def has_resend_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.resend_outgoingemail")

    @admin.display(description="To")
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.display(description="Reply-To")
    def reply_to_addresses(self, email):
        return ", ".join(email.reply_to) or "–"

    @admin.display(description="Status", ordering="status")
    def state(self, email):
        """Where the email is, in words: "Sent 3 May 10:04", "Failed after 6 tries", "Waiting: try 2 of 6"."""
        allowed = mail.attempts_allowed()
        if email.status == OutgoingEmail.Status.SENT:
            return f"Sent {formats.localize(timezone.localtime(email.sent_at))}" if email.sent_at else "Sent"
        if email.status == OutgoingEmail.Status.FAILED:
            return f"Failed after {email.attempts} tries"
        if email.status == OutgoingEmail.Status.SENDING:
            return f"Being sent: try {email.attempts} of {allowed}"
        if email.attempts:
            return f"Waiting: try {email.attempts + 1} of {allowed}"
        return "Waiting to be sent"

    @admin.display(description="About")
    def about_link(self, email):
        if email.content_type_id is None:
            return "–"
        model = email.content_type
        try:
            url = reverse(f"admin:{model.app_label}_{model.model}_change", args=[email.object_id])
        except NoReverseMatch:
            return f"{model.name} {email.object_id}"
        return format_html('<a href="{}">{} {}</a>', url, model.name, email.object_id)

    @admin.action(description="Send the selected emails again", permissions=["resend"])
    def send_again(self, request, queryset):
        count = mail.send_again(queryset)
        if count:
            self.message_user(request, f"Queued {count} email(s) to be sent again.", messages.SUCCESS)
        left = queryset.count() - count
        if left:
            self.message_user(
                request,
                f"{left} selected email(s) were left alone: they are sent, or still being tried.",
                messages.WARNING,
            )
