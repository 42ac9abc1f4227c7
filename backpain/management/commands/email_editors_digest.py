"""Email each editor who chose a daily digest the new comments, reports and contact messages since their last one.

Run it once a day (see the README's "Jobs to schedule"). Each editor's digest covers the time since the end of
their last one (the last day, the first time), lists only what they may see in the admin, and is queued in the
mail outbox like every other email; nothing new, no email. Safe to repeat: a second run the same day lists only
what came after the first.
"""

import datetime

from django.conf import settings
from django.core.management import BaseCommand
from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from backpain.mail import digest_sections, send_later
from backpain.models import EditorMailSettings

FIRST_PERIOD = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = "Email the editors who chose a daily digest what arrived since their last one (run daily)."

    def handle(self, *args, **options):
        until = timezone.now()
        chosen = EditorMailSettings.objects.filter(
            frequency=EditorMailSettings.Frequency.DAILY, user__is_active=True, user__is_staff=True
        ).select_related("user")
        sent = 0
        for choice in chosen:
            with transaction.atomic():
                sent += self.send_digest(choice, until)
        self.stdout.write(f"Queued {sent} daily digest(s) for {len(chosen)} editor(s) who chose one.")

    def send_digest(self, choice, until):
        """Queue one editor's digest, if they have an address and anything is new; move their period on either way."""
        user, since = choice.user, choice.last_digest_at or until - FIRST_PERIOD
        base = settings.SITE_URL.rstrip("/")
        sections = [
            (section.title, [(line, base + path) for line, path in section.items(since, until)])
            for section in digest_sections()
            if user.has_perm(section.permission)
        ]
        sections = [(title, items) for title, items in sections if items]
        queued = 0
        if sections and user.email:
            count = sum(len(items) for _, items in sections)
            body = loader.render_to_string(
                "backpain/email/editors_digest.txt",
                {
                    "name": user.get_short_name() or user.get_username(),
                    "site_name": settings.SITE_NAME,
                    "since": timezone.localtime(since),
                    "until": timezone.localtime(until),
                    "sections": sections,
                    "settings_url": base + reverse("admin:email_settings"),
                },
            )
            subject = f"[{settings.SITE_NAME}] Daily digest: {count} new for editors"
            send_later(kind="Daily digest", subject=subject, body=body, to=[user.email])
            queued = 1
        choice.last_digest_at = until
        choice.save(update_fields=["last_digest_at"])
        return queued
