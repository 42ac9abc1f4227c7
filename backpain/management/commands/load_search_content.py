"""Load the shipped search terms (readers' own words for what the pages say differently)."""

from pathlib import Path

from django.core.management import BaseCommand
from django.db import transaction

from backpain.models import SearchTerm
from backpain.seeding import read_yaml, seed

CONTENT_FILE = Path(__file__).resolve().parents[2] / "site_content" / "search_terms.yaml"


class Command(BaseCommand):
    help = "Load the shipped search terms. Safe to run again: it never overwrites an editor's changes."

    @transaction.atomic
    def handle(self, *args, **options):
        counts = {}
        for item in read_yaml(CONTENT_FILE):
            values = {"search_for": item["search_for"], "note": " ".join(item.get("note", "").split())}
            result = seed(SearchTerm, f"search-term:{item['phrase']}", {"phrase": item["phrase"]}, values)
            counts[result.action] = counts.get(result.action, 0) + 1
        summary = ", ".join(f"{count} {action}" for action, count in sorted(counts.items())) or "nothing to do"
        self.stdout.write(self.style.SUCCESS(f"Search terms: {summary}."))
