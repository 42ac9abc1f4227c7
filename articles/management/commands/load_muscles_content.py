"""Load the shipped muscle groups and their stretches, and link articles to the muscles they discuss."""

from django.core.management import BaseCommand
from django.db import transaction

from articles.models import Article, Muscle, Stretch
from backpain.models import DemoContent
from backpain.seeding import read_front_matter, read_yaml, seed, shipped_review

from .load_site_content import CONTENT_DIR

STRETCH_FIELDS = [
    "name", "summary", "technique", "steps", "hold_seconds", "repetitions", "contract_seconds",
    "relax_seconds", "rest_seconds", "sides", "what_you_should_feel", "cautions", "illustration",
]  # fmt: skip
MUSCLE_FIELDS = ["name", "other_names", "summary", "location", "action", "why_it_tightens", "trigger_points"]


class Command(BaseCommand):
    help = "Load the shipped muscles and stretches. Safe to run again: it never overwrites an editor's changes."

    @transaction.atomic
    def handle(self, *args, **options):
        counts = {}

        def tally(result):
            counts[result.action] = counts.get(result.action, 0) + 1
            return result.obj

        for order, item in enumerate(read_yaml(CONTENT_DIR / "muscles.yaml")):
            values = {name: item[name] for name in MUSCLE_FIELDS}
            values.update(
                referred_pain=item.get("referred_pain", ""),
                referral_regions=item.get("referral_regions", []),
                body_view=item.get("body_region", Muscle.BodyView.BACK),
                order=order,
            )
            review = shipped_review(item.get("reviewed_on"))
            muscle = tally(seed(Muscle, f"muscle:{item['slug']}", {"slug": item["slug"]}, values, review=review))
            if muscle is None:
                continue
            for stretch_order, stretch in enumerate(item.get("stretches", [])):
                values = {name: stretch[name] for name in STRETCH_FIELDS if name in stretch}
                values.update(image_alt=stretch.get("illustration_alt", ""), order=stretch_order)
                key = f"stretch:{item['slug']}/{stretch['slug']}"
                review = shipped_review(stretch.get("reviewed_on") or item.get("reviewed_on"))
                tally(seed(Stretch, key, {"muscle": muscle, "slug": stretch["slug"]}, values, review=review))
        self.link_articles()
        summary = ", ".join(f"{count} {action}" for action, count in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Muscles and stretches: {summary}."))

    def link_articles(self):
        """Link each shipped article to its muscles, once: later an editor's choice stands."""
        muscles = {muscle.slug: muscle for muscle in Muscle.objects.all()}
        for path in sorted((CONTENT_DIR / "articles").glob("*.md")):
            meta, _ = read_front_matter(path)
            key = f"article-muscles:{meta['slug']}"
            article = Article.objects.filter(slug=meta["slug"]).first()
            if article is None or DemoContent.objects.filter(key=key).exists():
                continue
            article.related_muscles.set([muscles[s] for s in meta.get("related_muscles") or [] if s in muscles])
            DemoContent.objects.create(key=key, checksum="linked")
