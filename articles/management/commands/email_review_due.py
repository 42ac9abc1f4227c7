"""Email the editors the articles whose next review date has passed. Sends nothing when none are overdue."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management import BaseCommand
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


class Command(BaseCommand):
    help = "Email EDITORS_EMAILS the list of articles whose review is overdue (run daily or weekly from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print the list without sending the email.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        overdue = list(Article.objects.review_overdue(today).select_related("category").order_by("next_review_due"))
        if not overdue:
            self.stdout.write("No article is overdue for review; no email sent.")
            return
        for article in overdue:
            self.stdout.write(f"  {article.title}: review was due {article.next_review_due:%d %b %Y}")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(overdue)} article(s) overdue; no email sent.")
            return
        base = settings.SITE_URL.rstrip("/")
        body = loader.render_to_string(
            "articles/email/review_due.txt",
            {
                "articles": [(a, base + reverse("admin:articles_article_change", args=[a.pk])) for a in overdue],
                "today": today,
                "reviews_url": base + reverse("admin:articles_article_reviews_due"),
            },
        )
        subject = f"[{settings.SITE_NAME}] {len(overdue)} article(s) due for review"
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, settings.EDITORS_EMAILS).send()
        self.stdout.write(
            self.style.SUCCESS(
                f"Emailed {len(settings.EDITORS_EMAILS)} editor address(es) about {len(overdue)} article(s)."
            )
        )
