"""Deprecated name of ``load_site_content``, kept for deploy scripts that still call it."""

from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Deprecated: use load_site_content, which this runs."

    def handle(self, *args, **options):
        self.stderr.write("load_demo_content is deprecated; run load_site_content instead.")
        call_command("load_site_content", stdout=self.stdout, stderr=self.stderr)
