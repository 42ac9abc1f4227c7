"""The site-wide tables: the content version cached pages are keyed by, rate-limit windows, shipped-content records,
and the search index.

The first three keep the table they had when they lived in ``articles`` (``db_table``), so moving them here moved
no data.
"""

import datetime

from django.conf import settings
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
    """

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        db_table = "articles_contentversion"
        ordering = ["pk"]

    def __str__(self):
        return f"content version {self.number}"

    @classmethod
    def current(cls):
        """The current version; 0 before any content was saved.

        Read on every cached page view, so in plain SQL: building the ORM query costs several times
        more than running it, and this is most of the time a cached page takes.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number FROM {table} LIMIT 1")  # noqa: S608 (the table name is ours)
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls):
        """Raise the version, so every cached public page is rendered afresh on its next visit."""
        if not cls.objects.update(number=models.F("number") + 1):
            cls.objects.create(number=1)


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
