"""Create a local editor account for development and print its sign-in, once."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError
from django.urls import reverse

USERNAME = "editor"


class Command(BaseCommand):
    help = "Development only: create the 'editor' account in the Editors group if no staff account exists."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("create_local_editor is for development only (DJANGO_DEBUG=1).")
        User = get_user_model()
        if User.objects.filter(is_staff=True).exists():
            self.stdout.write("A staff account already exists; no editor account created.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(USERNAME, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        self.stdout.write(
            self.style.SUCCESS("Created a local editor account. Save these details; they are shown once:")
        )
        self.stdout.write(f"  sign in at  http://127.0.0.1:8000{reverse('admin:index')}")
        self.stdout.write(f"  username    {USERNAME}")
        self.stdout.write(f"  password    {password}")
