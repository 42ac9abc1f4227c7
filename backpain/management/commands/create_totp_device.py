"""Give a staff account an authenticator-app device and show the code to scan, once."""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from backpain.admin import new_authenticator


class Command(BaseCommand):
    help = "Create a TOTP (authenticator app) device for a staff user and print its set-up code and QR code."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="A label for the device.")

    @transaction.atomic
    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"No staff account named {username!r}.")
        device, drawing = new_authenticator(user, name)
        self.stdout.write(f"Scan this with an authenticator app on {username}'s phone (shown once):")
        self.stdout.write(drawing)
        self.stdout.write(f"Or enter this set-up link by hand: {device.config_url}")
