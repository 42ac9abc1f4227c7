"""Delete comments the site has no reason to keep, as the privacy page promises."""

import datetime

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Comment, RateLimit


class Command(BaseCommand):
    help = (
        "Delete rejected comments, and pending comments no editor decided on, older than --days "
        "(default: COMMENT_RETENTION_DAYS, 90), with their reports; and rate-limit records over a day old. "
        "Safe to run again at any time, e.g. daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.COMMENT_RETENTION_DAYS,
            help="Keep comments younger than this many days (default %(default)s).",
        )

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        stale = Comment.objects.filter(
            status__in=[Comment.Status.REJECTED, Comment.Status.PENDING], created_at__lt=cutoff
        )
        with transaction.atomic():
            rejected = stale.filter(status=Comment.Status.REJECTED).count()
            pending = stale.filter(status=Comment.Status.PENDING).count()
            stale.delete()
            windows, _ = RateLimit.objects.expired(datetime.timedelta(days=1)).delete()
        self.stdout.write(
            f"Deleted {rejected} rejected and {pending} pending comment(s) older than {days} days, "
            f"and {windows} old rate-limit record(s)."
        )
