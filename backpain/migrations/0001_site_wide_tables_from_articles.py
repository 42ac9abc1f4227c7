"""The site-wide tables (content version, rate limits, shipped-content records) join backpain's state.

State only: the tables were made by ``articles``' migrations and keep their names (``db_table``), so no
data moves; ``articles.0012`` drops them from that app's state.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0011_uploads_checked_by_content"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveBigIntegerField(default=0)),
            ],
            options={"db_table": "articles_contentversion", "ordering": ["pk"]},
        ),
        migrations.CreateModel(
            name="DemoContent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200, unique=True)),
                ("checksum", models.CharField(max_length=64)),
                ("loaded_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "shipped content record",
                "db_table": "articles_democontent",
                "ordering": ["key"],
            },
        ),
        migrations.CreateModel(
            name="RateLimit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=30)),
                ("visitor_hash", models.CharField(max_length=64)),
                ("window_start", models.DateTimeField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "db_table": "articles_ratelimit",
                "ordering": ["scope", "-window_start"],
                "constraints": [
                    models.UniqueConstraint(fields=("scope", "visitor_hash"), name="one_rate_window_per_visitor")
                ],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
