"""Create the first editor account and print how to sign in, once: the address, the password and, where two-factor
sign-in is on (production), an authenticator-app set-up link and QR code."""

import os
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from backpain.admin import new_authenticator

USERNAME = "editor"


def port_number(value):
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise ValueError(value)
    return port


class Command(BaseCommand):
    help = (
        "Create the 'editor' account in the Editors group if no staff account exists, and print its sign-in: the "
        "admin's address, the password, and (with two-factor sign-in on) an authenticator-app set-up code."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            help="The site's address as editors reach it, e.g. https://backpain.example. Default: http://HOST:PORT "
            "when --port is given, else SITE_URL, else http://127.0.0.1:$PORT (8000).",
        )
        parser.add_argument("--host", default="127.0.0.1", help="The host the site is served on (with --port).")
        parser.add_argument("--port", type=port_number, help="The port the site is served on, e.g. 8000.")

    def site_address(self, url, host, port):
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise CommandError(f"--url must be an http:// or https:// address, not {url!r}.")
            return url.rstrip("/")
        if port:
            return f"http://{host}:{port}"
        if os.environ.get("SITE_URL"):
            return os.environ["SITE_URL"].rstrip("/")
        return f"http://{host}:{os.environ.get('PORT') or 8000}"

    @transaction.atomic
    def handle(self, *args, url, host, port, **options):
        sign_in = self.site_address(url, host, port) + reverse("admin:index")
        User = get_user_model()
        if User.objects.filter(is_staff=True).exists():
            self.stdout.write(f"A staff account already exists; no editor account created. Sign in at {sign_in}")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(USERNAME, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        self.stdout.write(self.style.SUCCESS("Created an editor account. Save these details; they are shown once:"))
        self.stdout.write(f"  sign in at  {sign_in}")
        self.stdout.write(f"  username    {USERNAME}")
        self.stdout.write(f"  password    {password}")
        if not settings.ADMIN_REQUIRE_2FA:
            return
        device, drawing = new_authenticator(user, "Authenticator app (first editor)")
        self.stdout.write("")
        self.stdout.write(
            "Sign-in also asks for a 6-digit code from an authenticator app. Scan this QR code with the app on "
            "your phone (Google Authenticator, Microsoft Authenticator, 1Password, Aegis...):"
        )
        self.stdout.write(drawing)
        self.stdout.write("Or add this set-up link to the app by hand:")
        self.stdout.write(f"  {device.config_url}")
