"""Contact-form limits move to RateLimit, the one rate limiter; the old counters held at most an hour of counts."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_category_live_index"),
    ]

    operations = [
        migrations.DeleteModel(
            name="RateLimitCounter",
        ),
    ]
