"""Report the reading ease of every public page in the sitemap, or of the paths given."""

import re
from urllib.parse import urlsplit

from django.core.management import BaseCommand, CommandError
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from backpain.readability import page_reading_ease


class Command(BaseCommand):
    help = (
        "Print the Flesch reading ease of each public page (the text of its main column), hardest first. "
        "60 and over is plain English; the site aims for that on every guide and article."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Pages to measure, such as /about/ (default: every sitemap page).")
        parser.add_argument("--below", type=float, help="Only list pages scoring below this.")
        parser.add_argument("--fail-under", type=float, help="Exit with an error if any page scores below this.")

    def handle(self, *args, paths, below, fail_under, **options):
        # The pages are rendered in-process, as a reader's browser would get them, without a network.
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            client = Client()
            paths = paths or self.sitemap_paths(client)
            rows = [(self.measure(client, path), path) for path in paths]
        rows.sort(key=lambda row: (row[0].score is None, row[0].score or 0))
        self.stdout.write(f"{'ease':>6}  {'words':>6}  page")
        for reading, path in rows:
            if below is not None and (reading.score is None or reading.score >= below):
                continue
            score = "-" if reading.score is None else f"{reading.score:.1f}"
            self.stdout.write(f"{score:>6}  {reading.words:>6}  {path}")
        scored = [reading.score for reading, _ in rows if reading.score is not None]
        if scored:
            median = sorted(scored)[len(scored) // 2]
            self.stdout.write(f"{len(scored)} pages; lowest {min(scored):.1f}, median {median:.1f}.")
        if fail_under is not None and any(score < fail_under for score in scored):
            raise CommandError(f"Some pages read below {fail_under:g}.")

    def sitemap_paths(self, client):
        response = client.get(reverse("sitemap"))
        if response.status_code != 200:
            raise CommandError(f"The sitemap answered {response.status_code}.")
        return [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())]

    def measure(self, client, path):
        response = client.get(path, follow=True)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}.")
        return page_reading_ease(response.content.decode())
