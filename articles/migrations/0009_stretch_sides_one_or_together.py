"""Stretch sides become "one side at a time" or "both legs at once".

The old values were "both" (each side in turn) and "detected" (only the side the self-check found): both are
one-sided stretches now, and the page opened from a plan carries its side. The four shipped stretches done
with both legs at once become "together". Going back, every stretch is "both", the old default.

Shipped stretches that nobody has edited must stay "unedited" for ``load_demo_content`` (which compares a
fingerprint of the values it last loaded), so their records are re-fingerprinted with the new value.
"""

import hashlib
import json

from django.db import migrations, models

BOTH_LEGS_SLUGS = ["knees-to-chest", "childs-pose", "lying-butterfly-stretch", "seated-forward-bend-contract-relax"]
# What load_muscles_content fingerprints for a stretch (its STRETCH_FIELDS, image_alt and order).
SHIPPED_FIELDS = [
    "name", "summary", "technique", "steps", "hold_seconds", "repetitions", "contract_seconds", "relax_seconds",
    "rest_seconds", "sides", "what_you_should_feel", "cautions", "illustration", "image_alt", "order",
]  # fmt: skip


def forward_value(slug, sides):
    """The new value for a stretch with this slug and old ``sides``."""
    if sides in ("one", "together"):
        return sides
    return "together" if slug in BOTH_LEGS_SLUGS else "one"


def backward_value(slug, sides):
    return "both"


def _fingerprint(stretch):
    # The same fingerprint as articles.seeding.checksum, frozen here as it was when this migration was written.
    values = {name: getattr(stretch, name) for name in SHIPPED_FIELDS}
    comparable = {name: str(value) if value is not None else None for name, value in sorted(values.items())}
    return hashlib.sha256(json.dumps(comparable, sort_keys=True).encode()).hexdigest()


def _convert(apps, new_value):
    Stretch = apps.get_model("articles", "Stretch")
    HistoricalStretch = apps.get_model("articles", "HistoricalStretch")
    DemoContent = apps.get_model("articles", "DemoContent")
    records = {record.key: record for record in DemoContent.objects.filter(key__startswith="stretch:")}
    changed, refreshed = [], []
    for stretch in Stretch.objects.select_related("muscle"):
        value = new_value(stretch.slug, stretch.sides)
        if value == stretch.sides:
            continue
        record = records.get(f"stretch:{stretch.muscle.slug}/{stretch.slug}")
        unedited = record is not None and record.checksum == _fingerprint(stretch)
        stretch.sides = value
        changed.append(stretch)
        if unedited:
            record.checksum = _fingerprint(stretch)
            refreshed.append(record)
    Stretch.objects.bulk_update(changed, ["sides"], batch_size=500)
    DemoContent.objects.bulk_update(refreshed, ["checksum"], batch_size=500)
    # Old versions too, so restoring one from the history gives a value the form accepts.
    for slug, sides in HistoricalStretch.objects.values_list("slug", "sides").distinct():
        value = new_value(slug, sides)
        if value != sides:
            HistoricalStretch.objects.filter(slug=slug, sides=sides).update(sides=value)


def forwards(apps, schema_editor):
    _convert(apps, forward_value)


def backwards(apps, schema_editor):
    _convert(apps, backward_value)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_one_rate_limit_table"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalstretch",
            name="repetitions",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text="Static: holds in one set (one side, or both legs at once). Contract-relax: rounds.",
            ),
        ),
        migrations.AlterField(
            model_name="historicalstretch",
            name="sides",
            field=models.CharField(
                choices=[("one", "One side at a time"), ("together", "Both legs at once")],
                default="one",
                help_text='One side at a time: the reader does every repetition on one side, then the other, or only the side their self-check plan names. Both legs at once: one set works both sides together (knees to chest, child\'s pose), so the page never says "per side" and the timer never switches sides.',
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="stretch",
            name="repetitions",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text="Static: holds in one set (one side, or both legs at once). Contract-relax: rounds.",
            ),
        ),
        migrations.AlterField(
            model_name="stretch",
            name="sides",
            field=models.CharField(
                choices=[("one", "One side at a time"), ("together", "Both legs at once")],
                default="one",
                help_text='One side at a time: the reader does every repetition on one side, then the other, or only the side their self-check plan names. Both legs at once: one set works both sides together (knees to chest, child\'s pose), so the page never says "per side" and the timer never switches sides.',
                max_length=10,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
