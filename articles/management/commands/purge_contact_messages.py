"""Delete contact messages older than the privacy policy allows (12 months)."""

import datetime

from django.core.management import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import ContactMessage

KEEP_DAYS = 365


class Command(BaseCommand):
    help = "Delete contact messages older than 12 months, as the privacy policy promises. Run daily from cron."

    @transaction.atomic
    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=KEEP_DAYS)
        deleted, _ = ContactMessage.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} contact message(s) older than {KEEP_DAYS} days.")
