"""A report's visitor hash can be emptied (NULL) once COMMENT_HASH_RETENTION_DAYS have passed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_stretch_sides_one_or_together"),
    ]

    operations = [
        migrations.AlterField(
            model_name="commentreport",
            name="visitor_hash",
            field=models.CharField(max_length=64, null=True),
        ),
    ]
