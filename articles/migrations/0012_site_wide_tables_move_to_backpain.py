"""The content version, rate limits and shipped-content records now belong to ``backpain`` (its 0001).

State only: their tables stay where they are, under their old names, with every row in them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_uploads_checked_by_content"),
        ("backpain", "0001_site_wide_tables_from_articles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ContentVersion"),
                migrations.DeleteModel(name="DemoContent"),
                migrations.DeleteModel(name="RateLimit"),
            ]
        )
    ]
