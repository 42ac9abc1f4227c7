"""Changes to published content saved for later: readers keep the published text until an editor publishes them.

One ``PendingChange`` per page at most. It holds the change form's editable fields as JSON (``data``), a fingerprint
of each as the live row stored it when they were saved (``base``), who saved them and when, and optionally when
they publish themselves (``publish_at``). The live row is never touched until they are published; see
``articles.pending`` for how they are applied.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class PendingChange(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(default=dict, help_text="The form's editable fields, as saved for later.")
    base = models.JSONField(default=dict, help_text="A fingerprint of each field as published when they were saved.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    saved_at = models.DateTimeField()
    publish_at = models.DateTimeField(null=True, blank=True, help_text="When they publish themselves; empty: by hand.")

    class Meta:
        verbose_name = "change saved for later"
        verbose_name_plural = "changes saved for later"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_pending_change_per_page"),
        ]
        indexes = [models.Index(fields=["publish_at"], name="pending_change_publish_at_idx")]

    def __str__(self):
        return f"Changes to {self.content_type.name} {self.object_id} saved for later"

    @property
    def author_name(self):
        if self.author is None:
            return "someone no longer on record"
        return self.author.get_full_name() or self.author.get_username()

    @property
    def token(self):
        """What a change form opened with these changes carries, so a form opened before others were saved (or
        discarded) is refused rather than overwriting them."""
        return f"{self.pk}:{self.saved_at.timestamp():.6f}"
