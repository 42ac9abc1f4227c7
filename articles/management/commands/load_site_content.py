"""Load the site's own content: categories, articles, site pages and the sidebar, then other apps' content."""

import datetime
from pathlib import Path

from django.core.management import BaseCommand, call_command, get_commands
from django.db import transaction

from articles.models import Article, ArticleSource, Category, InformationLink, SitePage, Source
from backpain.models import DemoContent
from backpain.seeding import adopt_older_fingerprint, read_front_matter, read_yaml, seed, shipped_review

CONTENT_DIR = Path(__file__).resolve().parents[2] / "site_content"
FIRST_PUBLISHED = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.timezone.utc)
# Until 2 December 2026 articles were loaded with these review fields as part of their fingerprint (and a team
# named as reviewer, which no reader can check); an article still as loaded then keeps getting shipped updates.
OLDER_REVIEW_VALUES = {
    "reviewed_on": datetime.date(2026, 11, 2),
    "next_review_due": datetime.date(2027, 11, 2),
    "reviewed_by": "Back Pain Advisor editorial team",
}
SIDEBAR_ORDER = [
    "effective-lower-back-stretches",
    "the-four-pelvic-imbalances",
    "contract-relax-vs-static-stretching",
    "why-stretch-at-bedtime",
    "trigger-points-and-referred-pain",
    "when-back-pain-needs-a-doctor",
]


class Command(BaseCommand):
    help = "Load the site's shipped content. Safe to run again: it never overwrites an editor's changes."

    @transaction.atomic
    def handle(self, *args, **options):
        self.counts = {}
        categories = self.load_categories()
        sources = self.load_sources()
        articles = self.load_articles(categories)
        self.link_sources(articles, sources)
        self.load_pages()
        self.load_sidebar(articles)
        for label in ("muscles", "selfcheck", "search"):
            command = f"load_{label}_content"
            if command in get_commands():
                call_command(command, stdout=self.stdout)
        summary = ", ".join(f"{count} {action}" for action, count in sorted(self.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Articles and pages: {summary}."))

    def tally(self, result):
        self.counts[result.action] = self.counts.get(result.action, 0) + 1
        return result.obj

    def load_categories(self):
        categories = {}
        for order, item in enumerate(read_yaml(CONTENT_DIR / "categories.yaml")):
            values = {"name": item["name"], "description": item["description"], "order": order}
            obj = self.tally(seed(Category, f"category:{item['slug']}", {"slug": item["slug"]}, values))
            categories[item["slug"]] = obj or Category.objects.filter(slug=item["slug"]).first()
        return categories

    def load_sources(self):
        sources = {}
        for item in read_yaml(CONTENT_DIR / "sources.yaml"):
            values = {name: item.get(name, "") for name in ("title", "authors", "published_in", "url", "note")}
            values["year"] = item.get("year")
            obj = self.tally(seed(Source, f"source:{item['slug']}", {"slug": item["slug"]}, values))
            sources[item["slug"]] = obj or Source.objects.filter(slug=item["slug"]).first()
        return sources

    def link_sources(self, articles, sources):
        """List each shipped article's sources, in its front matter's order, once: later an editor's list stands."""
        for path in sorted((CONTENT_DIR / "articles").glob("*.md")):
            meta, _ = read_front_matter(path)
            key = f"article-sources:{meta['slug']}"
            article = articles.get(meta["slug"])
            if article is None or DemoContent.objects.filter(key=key).exists():
                continue
            slugs = [slug for slug in meta.get("sources") or [] if sources.get(slug) is not None]
            ArticleSource.objects.bulk_create(
                ArticleSource(article=article, source=sources[slug], order=order) for order, slug in enumerate(slugs)
            )
            DemoContent.objects.create(key=key, checksum="linked")

    def load_articles(self, categories):
        articles, related = {}, {}
        paths = sorted((CONTENT_DIR / "articles").glob("*.md"))
        for index, path in enumerate(paths):
            meta, body = read_front_matter(path)
            slug = meta["slug"]
            values = {
                "title": meta["title"],
                "summary": meta["summary"],
                "body": body,
                "category": categories[meta["category"]],
                "status": Article.Status.PUBLISHED,
                "published_at": FIRST_PUBLISHED + datetime.timedelta(days=7 * index),
                "featured": bool(meta.get("featured")),
                "seo_description": meta.get("seo_description", ""),
            }
            review = shipped_review(meta.get("reviewed_on"))
            adopt_older_fingerprint(Article, f"article:{slug}", {"slug": slug}, values, OLDER_REVIEW_VALUES)
            result = seed(Article, f"article:{slug}", {"slug": slug}, values, review=review)
            self.tally(result)
            if result.obj is not None:
                articles[slug] = result.obj
                if result.action == "created":
                    related[slug] = meta.get("related_articles") or []
        for slug, targets in related.items():
            articles[slug].related_articles.set([articles[t] for t in targets if t in articles])
        return articles

    def load_pages(self):
        for path in sorted((CONTENT_DIR / "pages").glob("*.md")):
            meta, body = read_front_matter(path)
            values = {"title": meta["title"], "summary": meta["summary"], "body": body}
            review = shipped_review(meta.get("reviewed_on"))
            self.tally(seed(SitePage, f"page:{meta['slug']}", {"slug": meta["slug"]}, values, review=review))

    def load_sidebar(self, articles):
        for order, slug in enumerate(SIDEBAR_ORDER):
            if slug in articles:
                self.tally(seed(InformationLink, f"sidebar:{slug}", {"article": articles[slug]}, {"order": order}))
