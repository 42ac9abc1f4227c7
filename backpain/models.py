"""The site-wide tables: the content version cached pages are keyed by, rate-limit windows, shipped-content records,
the search index, the mail outbox; and ``Reviewed``, the clinical-review fields every kind of health content carries.

The first three keep the table they had when they lived in ``articles`` (``db_table``), so moving them here moved
no data.
"""

import datetime
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.dispatch import Signal
from django.utils import timezone

# Sent by ``PublicContentQuerySet`` after a bulk update, insert or update (which send no post_save), with
# ``pks``, the keys of the rows written; sent only when something listens for that model (the search index).
bulk_changed = Signal()


class ContentVersion(models.Model):
    """One counter, raised whenever anything readers can see changes; cached public pages are keyed by it.

    It lives in the database, not the cache, so a change is seen by every gunicorn worker and every
    instance at once (even with the per-process local-memory cache), and it commits or rolls back
    together with the edit that raised it. Only ``backpain.pagecache`` raises it (see ``PublicContent``).

    Each raise also draws a new random ``token``, and the cache key carries both. A restored backup takes
    the number back with the content; the edits that follow raise it again, through numbers the cache may
    still hold pages for from before the restore, but with new tokens, so those pages are never served.
    The number alone says which version is newer.
    """

    number = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        db_table = "articles_contentversion"
        ordering = ["pk"]

    def __str__(self):
        return f"content version {self.number}"

    @classmethod
    def current(cls):
        """The current version number; 0 before any content was saved."""
        return cls._read()[0]

    @classmethod
    def key(cls):
        """The current version as cached pages are keyed by it: the number and its random token.

        Read on every cached page view, so in plain SQL: building the ORM query costs several times
        more than running it, and this is most of the time a cached page takes.
        """
        number, token = cls._read()
        return f"{number}.{token}"

    @classmethod
    def _read(cls):
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, token FROM {table} LIMIT 1")  # noqa: S608 (the table name is ours)
            row = cursor.fetchone()
        return (row[0], row[1]) if row else (0, "")

    @classmethod
    def bump(cls):
        """Raise the version, so every cached public page is rendered afresh on its next visit."""
        token = secrets.token_hex(16)
        if not cls.objects.update(number=models.F("number") + 1, token=token):
            cls.objects.create(number=1, token=token)


class PublicContentQuerySet(models.QuerySet):
    """The queryset of every public-content model: bulk writes, which send no signals, raise the version too."""

    def _listened(self):
        return bulk_changed.has_listeners(self.model)

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True)) if self._listened() else []
        count = super().update(**kwargs)
        ContentVersion.bump()
        if pks:
            bulk_changed.send(sender=self.model, pks=pks)
        return count

    update.alters_data = True

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        ContentVersion.bump()
        if self._listened():
            bulk_changed.send(sender=self.model, pks=[obj.pk for obj in created if obj.pk is not None])
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        count = super().bulk_update(objs, *args, **kwargs)
        ContentVersion.bump()
        if self._listened():
            bulk_changed.send(sender=self.model, pks=[obj.pk for obj in objs])
        return count

    bulk_update.alters_data = True


class PublicContent(models.Model):
    """Base of content shown on public pages. Its app registers it with ``backpain.pagecache.register`` in
    ``ready()``, so saves, deletes and many-to-many changes raise ``ContentVersion`` (signals), and its
    queryset does the same for bulk updates and inserts. A custom queryset must subclass
    ``PublicContentQuerySet``."""

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        abstract = True


class Reviewed(models.Model):
    """Clinical governance for a page readers rely on: when it was last checked, when it is next due, and who.

    The reviewer is a named person with a role, or nobody: until a named clinician has checked a page it says
    so honestly, never a team name no reader can check. Every model with this base is listed by
    ``reviewed_models()`` (the reviews-due page and the ``email_review_due`` command read it), so a new kind of
    content joins the review schedule by subclassing it.
    """

    reviewed_on = models.DateField(null=True, blank=True, help_text="When the content was last checked for accuracy.")
    next_review_due = models.DateField(
        null=True, blank=True, help_text="When it should next be checked (usually a year after the last check)."
    )
    reviewer_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="The clinician who checked it, e.g. Jo Bloggs. Leave empty until a named clinician has: "
        "the page then says it was written by our editors and not yet reviewed by a clinician.",
    )
    reviewer_role = models.CharField(
        max_length=120,
        blank=True,
        help_text="Their role, e.g. chartered physiotherapist (HCPC registered). Shown after the name.",
    )

    class Meta:
        abstract = True

    @classmethod
    def overdue_for_review(cls, today=None):
        """This kind's objects whose next review date has passed."""
        return cls._default_manager.filter(next_review_due__lt=today or timezone.localdate())

    @property
    def review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()

    @property
    def reviewed_by_clinician(self):
        """True when a named person reviewed it (the page then names them)."""
        return bool(self.reviewer_name.strip())


def reviewed_models():
    """Every installed model with clinical review fields (a concrete subclass of ``Reviewed``)."""
    return [model for model in apps.get_models() if issubclass(model, Reviewed)]


class RateLimitQuerySet(models.QuerySet):
    def hit(self, scope, visitor_hash, limit, period=None):
        """Count one action by a visitor; return False when they have already used ``limit`` in ``period``
        (``RATE_LIMIT_WINDOW_MINUTES`` unless given).

        Why the database and not the cache: the default cache is local memory,
        private to each gunicorn worker, so a limit kept there multiplies by the
        number of workers. The database is shared by every worker and every
        instance (several instances share one PostgreSQL, so Redis is not
        needed for this), needs nothing extra installed, and makes the check atomic:
        one statement (an upsert, ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, on SQLite and
        PostgreSQL alike) reads and raises the count, so two requests can never both take the last
        place, and the write is as short as a write can be. The window opens at a visitor's first
        action and lasts ``period``, so a burst can never straddle a boundary and get twice the limit.
        Over the limit nothing is written and no row comes back.
        """
        period = period or datetime.timedelta(minutes=settings.RATE_LIMIT_WINDOW_MINUTES)
        now = timezone.now()
        quote = connection.ops.quote_name
        table, count, start = quote(self.model._meta.db_table), quote("count"), quote("window_start")
        expired = f"{table}.{start} <= %s"
        sql = (
            f"INSERT INTO {table} ({quote('scope')}, {quote('visitor_hash')}, {start}, {count})"  # noqa: S608
            f" VALUES (%s, %s, %s, 1) ON CONFLICT ({quote('scope')}, {quote('visitor_hash')}) DO UPDATE SET"
            f" {count} = CASE WHEN {expired} THEN 1 ELSE {table}.{count} + 1 END,"
            f" {start} = CASE WHEN {expired} THEN %s ELSE {table}.{start} END"
            f" WHERE {expired} OR {table}.{count} < %s RETURNING {table}.{count}"
        )
        adapt = connection.ops.adapt_datetimefield_value
        cutoff, moment = adapt(now - period), adapt(now)
        with connection.cursor() as cursor:
            cursor.execute(sql, [scope, visitor_hash, moment, cutoff, cutoff, moment, cutoff, limit])
            return cursor.fetchone() is not None

    def purge_closed(self, cutoff):
        """Delete the windows that opened before ``cutoff`` (now less the window's length): they are over and
        count for nothing, as ``hit`` would start afresh. Return how many went."""
        return self.filter(window_start__lt=cutoff).delete()[0]


class RateLimit(models.Model):
    """How many times one visitor (by keyed hash) has done one thing, such as posting a comment, in the
    current window. Shared by every worker and instance because it lives in the database."""

    scope = models.CharField(max_length=30)
    visitor_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    objects = RateLimitQuerySet.as_manager()

    class Meta:
        db_table = "articles_ratelimit"
        ordering = ["scope", "-window_start"]
        constraints = [models.UniqueConstraint(fields=["scope", "visitor_hash"], name="one_rate_window_per_visitor")]

    def __str__(self):
        return f"{self.scope}: {self.count} since {self.window_start:%Y-%m-%d %H:%M}"


class DemoContent(models.Model):
    """A record of one piece of shipped content, so reloading it never overwrites an editor's changes.

    ``checksum`` is the fingerprint of the values as last loaded. When the object
    in the database no longer matches it, an editor has changed it and the
    loader leaves it alone; when the object is gone, an editor deleted it and
    the loader does not bring it back.
    """

    key = models.CharField(max_length=200, unique=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "articles_democontent"
        ordering = ["key"]
        verbose_name = "shipped content record"

    def __str__(self):
        return self.key


class SearchEntry(models.Model):
    """One page in the site search index: which source and object it is, its address, and its text as readers
    see it (tags and Markdown marks removed), kept up to date by ``backpain.search``'s signal receivers.

    The text is matched through an index that depends on the database: on SQLite an FTS5 table
    (``backpain_searchentry_fts``, kept in step with this one by triggers), on PostgreSQL ``vector`` (weighted
    title A, summary B, body C) with a GIN index. Both are made by migration 0002, each only on its engine.
    Which entries a reader may see is decided when searching, from each source's queryset, so an article
    scheduled for tomorrow can be indexed today and is found from the moment it goes live.
    """

    source = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    url = models.CharField(max_length=500)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["source", "object_id"]
        verbose_name_plural = "search entries"
        constraints = [models.UniqueConstraint(fields=["source", "object_id"], name="one_search_entry_per_object")]

    def __str__(self):
        return f"{self.source} {self.object_id}: {self.title}"


class SearchTerm(models.Model):
    """A phrase readers type that the site's pages put in other words ("slipped disc", "lumbago"), the words
    search looks for as well, and an optional note shown above the results. Editors keep the list in the admin;
    ``backpain.search`` reads it on every search."""

    phrase = models.CharField(
        max_length=60,
        unique=True,
        help_text='What a reader might type, such as "slipped disc": letters, digits and spaces, in any case.',
    )
    search_for = models.CharField(
        max_length=300,
        help_text=(
            'Words the site\'s pages use instead, separated by commas, such as "disc, sciatica, nerve". A page is '
            "found if it has any of them (all the words of a choice with more than one word)."
        ),
    )
    note = models.TextField(
        blank=True,
        max_length=600,
        help_text="Optional. Plain text shown above the results, such as where to get help. No Markdown.",
    )

    class Meta:
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase

    def clean(self):
        from django.core.exceptions import ValidationError

        from .search import MAX_TERM_CHOICES, parse_query

        errors = {}
        words = parse_query(self.phrase or "")[0]
        if not words:
            errors["phrase"] = "Enter a word or phrase of two letters or more, such as “slipped disc”."
        else:
            self.phrase = " ".join(self.phrase.lower().split())
        choices = [choice for choice in (self.search_for or "").split(",") if choice.strip()]
        if not choices or any(not parse_query(choice)[0] for choice in choices):
            errors["search_for"] = "Enter the words to look for, separated by commas, such as “disc, sciatica, nerve”."
        elif len(choices) > MAX_TERM_CHOICES:
            errors["search_for"] = f"Give at most {MAX_TERM_CHOICES} choices, separated by commas."
        if errors:
            raise ValidationError(errors)


class OutgoingEmailQuerySet(models.QuerySet):
    def unsent(self):
        """Emails not (yet) sent: waiting, being sent or failed."""
        return self.exclude(status=OutgoingEmail.Status.SENT)

    def failed(self):
        return self.filter(status=OutgoingEmail.Status.FAILED)

    def purge_before(self, cutoff):
        """Delete sent and failed emails written before ``cutoff``; return how many went. Waiting ones stay."""
        finished = (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED)
        return self.filter(status__in=finished, created_at__lt=cutoff).delete()[0]


class OutgoingEmail(models.Model):
    """One email the site sends, from the moment it is written until a while after it is sent: the mail outbox.

    A request never talks to the mail server. It writes the email here, in the same transaction as whatever
    the email is about (a comment, a contact message), and once that commits queues its delivery with
    django-tasks; ``manage.py db_worker`` sends it, and tries again later when the server is down or hangs
    (``MAIL_RETRY_DELAYS``), up to a limit. An email that is still failing after its last try is marked
    failed, for editors to see in the admin and send again. ``backpain.mail`` does all of this.

    ``about`` is what the email is about, when it is about something: deleting that deletes the email too.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=60, help_text='What the email is for, e.g. "New comment".')
    subject = models.CharField(max_length=300)
    body = models.TextField()
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list, help_text="The addresses it goes to.")
    reply_to = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="How many times sending it has been tried.")
    last_error = models.TextField(blank=True, help_text="What the mail server said when the last try failed.")
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When the next try is due.")
    sent_at = models.DateTimeField(null=True, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "email"
        verbose_name_plural = "outbox emails"
        indexes = [
            models.Index(fields=["status", "created_at"], name="outgoing_email_status"),
            models.Index(fields=["content_type", "object_id"], name="outgoing_email_about"),
        ]
        permissions = [("resend_outgoingemail", "Can send an email again")]

    def __str__(self):
        return f"{self.kind}: {self.subject}"


class EditorMailSettings(models.Model):
    """How one editor wants to hear of new comments, reports and contact messages: each by email, a daily digest,
    or not at all. An editor without a row hears of each. Every editor chooses their own in the admin.

    Whatever editors choose, the shared addresses in ``EDITORS_EMAILS`` hear of each one (``backpain.mail``).
    """

    class Frequency(models.TextChoices):
        EACH = "each", "An email for each one"
        DAILY = "daily", "One email a day, listing them all"
        NONE = "none", "No email"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_settings")
    frequency = models.CharField(
        max_length=5,
        choices=Frequency.choices,
        default=Frequency.EACH,
        help_text="How to hear of new comments, reports and contact messages.",
    )
    last_digest_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The end of the period the last daily digest covered."
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = "editor's email settings"
        verbose_name_plural = "editors' email settings"

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"
