"""Let the "Editors" group keep the self-check's content, and view (or delete, on request) saved results."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ["questionnaire", "question", "choice", "imbalance", "imbalancemuscle", "selftest"]
RESULT_CODENAMES = ["view_assessment", "delete_assessment"]


def grant_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    in_app = Permission.objects.filter(content_type__app_label="assessment")
    group.permissions.add(*in_app.filter(content_type__model__in=CONTENT_MODELS))
    # Results are the readers' own: editors may look (for the summary) and delete one when a reader asks.
    group.permissions.add(*in_app.filter(codename__in=RESULT_CODENAMES))


def revoke_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="assessment"))


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("articles", "0002_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_editors, revoke_editors)]
