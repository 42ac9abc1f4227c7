"""Build the site search index afresh from every registered source (``backpain.search``)."""

from django.core.management import BaseCommand

from backpain import search


class Command(BaseCommand):
    help = "Build the site search index afresh. Safe at any time: searches see the old index until it is done."

    def handle(self, *args, **options):
        count = search.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} pages."))
