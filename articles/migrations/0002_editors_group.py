"""Create the "Editors" group: everything editors need to keep the content, nothing about users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = ["category", "article", "informationlink", "sitepage", "muscle", "stretch"]
HISTORY_MODELS = ["historicalarticle", "historicalsitepage", "historicalmuscle", "historicalstretch"]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    in_app = Permission.objects.filter(content_type__app_label="articles")
    group.permissions.add(*in_app.filter(content_type__model__in=EDITOR_MODELS))
    # History is read-only for editors: they restore old versions through the article itself.
    group.permissions.add(*in_app.filter(content_type__model__in=HISTORY_MODELS, codename__startswith="view_"))


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
