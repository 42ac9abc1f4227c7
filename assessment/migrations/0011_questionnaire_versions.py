"""Questionnaire versions: a publish date (empty for drafts), the permission to publish, results tied to versions.

Existing data: the live version, and every version a saved result was scored with, counts as published (on the
day it was made, the best date known); a version nobody took stays a draft. A result that lost its link to its
version (the version was deleted) gets it back when a version with its number exists.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_published(apps, schema_editor):
    Questionnaire = apps.get_model("assessment", "Questionnaire")
    Assessment = apps.get_model("assessment", "Assessment")
    scored = Assessment.objects.filter(questionnaire=OuterRef("pk"))
    taken = Questionnaire.objects.filter(models.Q(is_active=True) | Exists(scored))
    for questionnaire in taken.filter(published_at__isnull=True):
        questionnaire.published_at = questionnaire.created_at
        questionnaire.save(update_fields=["published_at"])
    by_version = dict(Questionnaire.objects.values_list("version", "pk"))
    for result in Assessment.objects.filter(questionnaire__isnull=True).only("pk", "questionnaire_version"):
        if result.questionnaire_version in by_version:
            result.questionnaire_id = by_version[result.questionnaire_version]
            result.save(update_fields=["questionnaire"])
            Questionnaire.objects.filter(pk=result.questionnaire_id, published_at__isnull=True).update(
                published_at=models.F("created_at")
            )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0010_imbalance_updated_at"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="questionnaire",
            options={
                "ordering": ["-version"],
                "permissions": [("publish_questionnaire", "Can publish a draft questionnaire")],
            },
        ),
        migrations.AddField(
            model_name="questionnaire",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When this version went live; empty while it is a draft.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="questionnaire",
            name="is_active",
            field=models.BooleanField(
                default=False, help_text="The version readers take. Only one is live; publish a draft to replace it."
            ),
        ),
        migrations.AlterField(
            model_name="questionnaire",
            name="version",
            field=models.PositiveIntegerField(
                help_text="Shown on saved results; each draft takes the next.", unique=True
            ),
        ),
        migrations.RunPython(mark_published, migrations.RunPython.noop),
    ]
