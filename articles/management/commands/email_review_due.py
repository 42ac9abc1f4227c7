"""Email the editors every page whose next review date has passed, of every kind (articles, muscles, stretches,
self-tests, the self-check, site pages). Sends nothing when none are overdue. The email goes through the mail
outbox like every other (``backpain.mail``): the worker sends it, and tries again if the mail server is down."""

from django.conf import settings
from django.core.management import BaseCommand
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from backpain.mail import send_later
from backpain.reviews import overdue_reviews


class Command(BaseCommand):
    help = "Email EDITORS_EMAILS the list of pages whose review is overdue (run daily or weekly from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print the list without sending the email.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        overdue = overdue_reviews(today)
        if not overdue:
            self.stdout.write("No page is overdue for review; no email sent.")
            return
        for item in overdue:
            self.stdout.write(f"  {item.kind}: {item.title}: review was due {item.next_review_due:%d %b %Y}")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(overdue)} page(s) overdue; no email sent.")
            return
        base = settings.SITE_URL.rstrip("/")
        body = loader.render_to_string(
            "articles/email/review_due.txt",
            {
                "overdue": [(item, base + item.admin_url if item.admin_url else "") for item in overdue],
                "today": today,
                "reviews_url": base + reverse("admin:articles_article_reviews_due"),
            },
        )
        subject = f"[{settings.SITE_NAME}] {len(overdue)} page(s) due for review"
        send_later(kind="Reviews due", subject=subject, body=body, to=settings.EDITORS_EMAILS)
        self.stdout.write(
            self.style.SUCCESS(
                f"Queued an email to {len(settings.EDITORS_EMAILS)} editor address(es) about {len(overdue)} page(s);"
                " the mail worker (manage.py db_worker) sends it."
            )
        )
