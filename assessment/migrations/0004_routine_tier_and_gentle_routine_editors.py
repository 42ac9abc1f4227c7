"""Rename the "see a doctor soon" warning-sign tier to the NHS's routine tier, and let editors keep the gentle routine."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def forwards(apps, schema_editor):
    Question = apps.get_model("assessment", "Question")
    Question.objects.filter(urgency="soon").update(urgency="routine")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="assessment", content_type__model="gentlestretch")
    )


def backwards(apps, schema_editor):
    Question = apps.get_model("assessment", "Question")
    Question.objects.filter(urgency="routine").update(urgency="soon")


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_selfcheck_evidence_and_tiers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
