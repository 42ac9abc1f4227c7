"""What readers send the editors: contact messages and answers to "Was this page helpful?"."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from backpain.models import OutgoingEmail

from .content import Article
from .guides import Stretch


class ContactMessageQuerySet(models.QuerySet):
    def unhandled(self):
        """Messages no editor has dealt with yet."""
        return self.filter(handled=False)

    def purge_before(self, cutoff):
        """Delete the messages received before ``cutoff``; return how many went."""
        return self.filter(created_at__lt=cutoff).delete()[0]


class ContactMessage(models.Model):
    """A message a reader sent through the contact form. Stored, with its email to the editors in the mail outbox,
    in one transaction; the worker sends the email, so a mail outage loses nothing and delays no one."""

    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, help_text="The reader's address; replies go here.")
    subject = models.CharField(max_length=150)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    handled = models.BooleanField(default=False, db_index=True, help_text="Tick once someone has replied or acted.")
    handled_at = models.DateTimeField(null=True, blank=True)
    # Its email to the editors in the mail outbox (which says whether it went), deleted with it.
    emails = GenericRelation(OutgoingEmail)

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} ({self.name})"


class HelpfulVote(models.Model):
    """One reader's answer to "Was this page helpful?" on an article or a stretch page.

    Exactly one of ``article`` and ``stretch`` is set. ``visitor`` is a keyed hash of the reader's
    address (never the address itself), so a reader who votes again changes their vote instead of adding one.
    """

    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="helpful_votes")
    stretch = models.ForeignKey(Stretch, null=True, blank=True, on_delete=models.CASCADE, related_name="helpful_votes")
    helpful = models.BooleanField()
    visitor = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, stretch__isnull=True)
                | models.Q(article__isnull=True, stretch__isnull=False),
                name="helpful_vote_on_exactly_one_page",
            ),
            models.UniqueConstraint(fields=["article", "visitor"], name="one_helpful_vote_per_article_visitor"),
            models.UniqueConstraint(fields=["stretch", "visitor"], name="one_helpful_vote_per_stretch_visitor"),
        ]

    def __str__(self):
        return f"{'Yes' if self.helpful else 'No'} on {self.page}"

    @property
    def page(self):
        return self.article or self.stretch
