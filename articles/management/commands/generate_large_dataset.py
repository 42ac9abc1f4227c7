"""Fill the database with made-up articles and comments, to measure the site at a size it may grow to."""

import datetime

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Category, Comment
from backpain.markdown import render_markdown

SLUG_PREFIX = "generated-article-"
BATCH = 2000
BODY = (
    "## Why this matters\n\nA made-up article for load measurements. Stretch gently, breathe out as you "
    "settle into the stretch, and stop if anything hurts.\n\n## What to do\n\n- Lie on your back.\n"
    "- Bring one knee towards your chest.\n- Hold for thirty seconds, then swap sides.\n"
)


class Command(BaseCommand):
    help = (
        "Add made-up articles (default 10,000) and approved comments (default 100,000) for benchmarks. "
        "Refuses to run unless DJANGO_DEBUG is on or --yes-i-mean-it is given. Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument(
            "--yes-i-mean-it", action="store_true", help="Run with debug off, e.g. on a benchmark's database."
        )

    def handle(self, *args, articles, comments, yes_i_mean_it, **options):
        if not (settings.DEBUG or yes_i_mean_it):
            raise CommandError("This fills the database with made-up content. Pass --yes-i-mean-it if you mean it.")
        if Article.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            self.stdout.write("Generated content is already there; nothing added.")
            return
        with transaction.atomic():
            made = self.make_articles(articles)
            self.make_comments(made, comments)
        self.stdout.write(self.style.SUCCESS(f"Added {len(made)} articles and {comments} comments."))

    def make_articles(self, count):
        category, _ = Category.objects.get_or_create(
            slug="generated", defaults={"name": "Generated for benchmarks", "order": 99}
        )
        rendered = render_markdown(BODY)
        # Older than the shipped articles, so the site's front pages look the same with or without them.
        oldest = timezone.now() - datetime.timedelta(days=365 * 3)
        Article.objects.bulk_create(
            (
                Article(
                    title=f"Generated article {number}",
                    slug=f"{SLUG_PREFIX}{number}",
                    summary="A made-up article for load measurements.",
                    body=BODY,
                    body_html=rendered.html,
                    toc=rendered.toc,
                    reading_minutes=rendered.reading_minutes,
                    category=category,
                    status=Article.Status.PUBLISHED,
                    published_at=oldest - datetime.timedelta(minutes=number),
                )
                for number in range(count)
            ),
            batch_size=BATCH,
        )
        return list(Article.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True))

    def make_comments(self, article_ids, count):
        if not article_ids:
            return
        start = timezone.now() - datetime.timedelta(days=365)
        Comment.objects.bulk_create(
            (
                Comment(
                    article_id=article_ids[number % len(article_ids)],
                    name=f"Reader {number}",
                    body="Made up for load measurements: this stretch helped my lower back.",
                    status=Comment.Status.APPROVED,
                    created_at=start + datetime.timedelta(seconds=number),
                    visitor_hash=f"{number:064x}",
                )
                for number in range(count)
            ),
            batch_size=BATCH,
        )
