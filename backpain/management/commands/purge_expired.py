"""Delete everything the site keeps for a limited time once that time is up, as the privacy page promises."""

from django.core.management import BaseCommand
from django.db import transaction
from django.utils import timezone

from backpain import retention


class Command(BaseCommand):
    help = (
        "Delete what the site keeps for a limited time once its time is up: self-check results, expired "
        "sessions, sign-in records, contact messages, unpublished comments, comments' address hashes and "
        "rate-limit records (periods in settings, see backpain/retention.py). Safe to run again at any "
        "time; run it at least daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        # One transaction per kind: each is all or nothing, and a long one never holds up the rest.
        for item in retention.registered():
            with transaction.atomic():
                count = item.purge(now - item.period)
            self.stdout.write(f"Removed {count} {item.what} (kept for {retention.describe(item.period)}).")
