"""
Educational content: categories and articles, and the sidebar links editors curate.

Articles are written in Markdown and rendered to sanitised HTML when saved,
never per request. "Published" means one thing, defined once on
``ArticleQuerySet.published``: status published and a publication time that
has arrived, so scheduling needs no cron job.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .rendering import render_markdown

MARKDOWN_FIELDS = ["location", "action", "why_it_tightens", "trigger_points", "referred_pain"]


class Category(models.Model):
    """A shelf of related articles, such as "Stretching" or "When to get help"."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Part of the web address; letters, numbers and hyphens."
    )
    description = models.TextField(blank=True, help_text="One or two sentences shown at the top of the category page.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers can see: published, with a publication time already passed."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def review_overdue(self, today=None):
        """Articles whose next clinical review date has passed."""
        return self.filter(next_review_due__lt=today or timezone.localdate())


class Article(models.Model):
    """An educational article, written in Markdown by an editor and reviewed on a schedule."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Part of the web address; change it with care, old links break."
    )
    summary = models.TextField(
        max_length=300, help_text="One or two sentences shown on cards and lists (at most 300 characters)."
    )
    body = models.TextField(help_text="Markdown. Start sections with ## headings; they build the table of contents.")
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    hero_image = models.ImageField(upload_to="articles/", blank=True, help_text="Optional wide picture at the top.")
    hero_image_alt = models.CharField(
        max_length=250,
        blank=True,
        help_text="Describe the picture for people who cannot see it. Required with an image.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True,
        help_text="When it goes live. A future time schedules the article; empty means now, on publishing.",
    )  # fmt: skip
    featured = models.BooleanField(default=False, help_text="Show on the home page.")
    reviewed_on = models.DateField(null=True, blank=True, help_text="When the content was last checked for accuracy.")
    next_review_due = models.DateField(null=True, blank=True, help_text="When it should next be checked.")
    reviewed_by = models.CharField(
        max_length=120, blank=True, help_text="Who checked it, e.g. a physiotherapist's name and role."
    )
    seo_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="Shown by search engines (at most 160 characters). Empty uses the summary.",
    )
    related_articles = models.ManyToManyField("self", blank=True, symmetrical=False, help_text="Suggested next reads.")
    related_muscles = models.ManyToManyField(
        "Muscle", blank=True, related_name="articles", help_text="Muscles this article is about; linked both ways."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html", "toc", "reading_minutes"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        rendered = render_markdown(self.body)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.reading_minutes = rendered.reading_minutes
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @property
    def is_live(self):
        """True when readers can see it now."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def meta_description(self):
        return self.seo_description or self.summary

    @property
    def review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()


class Muscle(models.Model):
    """A muscle group that matters in lower back pain, with where it sends pain and how to stretch it."""

    class BodyView(models.TextChoices):
        FRONT = "front", "Front"
        BACK = "back", "Back"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the web address, e.g. hip-flexors.")
    other_names = models.CharField(max_length=200, blank=True, help_text="Other names, comma-separated.")
    summary = models.CharField(max_length=250, help_text="One sentence for cards and search engines.")
    location = models.TextField(help_text="Markdown. Where it is, in everyday words.")
    action = models.TextField(help_text="Markdown. What it does, and its part in pelvic tilt.")
    why_it_tightens = models.TextField(help_text="Markdown. Common reasons it gets tight.")
    trigger_points = models.TextField(blank=True, help_text="Markdown. Where its trigger points tend to be.")
    referred_pain = models.TextField(blank=True, help_text="Markdown. Where those trigger points send pain.")
    referral_regions = models.JSONField(
        default=list, blank=True,
        help_text="Body-map areas highlighted as referred pain, e.g. [\"lower-back\", \"buttock\"].",
    )  # fmt: skip
    body_view = models.CharField(
        max_length=5, choices=BodyView.choices, default=BodyView.BACK, help_text="The body-map view that shows it best."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    location_html = models.TextField(editable=False, default="")
    action_html = models.TextField(editable=False, default="")
    why_it_tightens_html = models.TextField(editable=False, default="")
    trigger_points_html = models.TextField(editable=False, default="")
    referred_pain_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=[f"{name}_html" for name in MARKDOWN_FIELDS])

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        for name in MARKDOWN_FIELDS:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)).html)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:muscle", args=[self.slug])


class Stretch(models.Model):
    """One stretch for a muscle: the steps, the dose, the technique and how to do it safely."""

    class Technique(models.TextChoices):
        STATIC = "static", "Static hold"
        CONTRACT_RELAX = "contract_relax", "Contract-relax"

    class Sides(models.TextChoices):
        BOTH = "both", "Both sides"
        DETECTED = "detected", "The side your self-check found"

    muscle = models.ForeignKey(Muscle, on_delete=models.CASCADE, related_name="stretches")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, help_text="Part of the web address; unique for its muscle.")
    summary = models.CharField(max_length=250, help_text="One sentence for cards and search engines.")
    technique = models.CharField(max_length=20, choices=Technique.choices, default=Technique.STATIC)
    steps = models.JSONField(default=list, help_text="The steps in order, one sentence or two each (a list of text).")
    hold_seconds = models.PositiveSmallIntegerField(
        default=30, help_text="Static: the hold. Contract-relax: the stretch after each push."
    )
    repetitions = models.PositiveSmallIntegerField(
        default=3, help_text="Static: holds per side. Contract-relax: rounds."
    )
    contract_seconds = models.PositiveSmallIntegerField(default=0, help_text="Contract-relax only: how long to push.")
    relax_seconds = models.PositiveSmallIntegerField(
        default=0, help_text="Contract-relax only: the pause after the push."
    )
    rest_seconds = models.PositiveSmallIntegerField(default=15, help_text="Rest between repetitions.")
    sides = models.CharField(max_length=10, choices=Sides.choices, default=Sides.BOTH)
    what_you_should_feel = models.TextField(blank=True, help_text="Markdown.")
    cautions = models.TextField(help_text="Markdown. Who should skip or change it, and when to stop.")
    video_url = models.URLField(
        blank=True, help_text="A YouTube or Vimeo link; shown only after the reader clicks, in privacy-enhanced mode."
    )
    video_file = models.FileField(upload_to="stretches/videos/", blank=True, help_text="Or upload a video file (MP4).")
    captions_file = models.FileField(
        upload_to="stretches/captions/", blank=True, help_text="WebVTT captions for the uploaded video."
    )
    illustration = models.CharField(
        max_length=200, blank=True, help_text="Path of a shipped illustration under static/, e.g. img/stretches/x.svg."
    )
    image = models.ImageField(
        upload_to="stretches/", blank=True, help_text="Or upload a picture; replaces the illustration."
    )
    image_alt = models.CharField(
        max_length=300, blank=True, help_text="Describe the picture for people who cannot see it."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    what_you_should_feel_html = models.TextField(editable=False, default="")
    cautions_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["what_you_should_feel_html", "cautions_html"])

    class Meta:
        ordering = ["muscle", "order", "name"]
        verbose_name_plural = "stretches"
        constraints = [models.UniqueConstraint(fields=["muscle", "slug"], name="unique_stretch_slug_per_muscle")]

    def __str__(self):
        return f"{self.name} ({self.muscle})"

    def save(self, *args, **kwargs):
        self.what_you_should_feel_html = render_markdown(self.what_you_should_feel).html
        self.cautions_html = render_markdown(self.cautions).html
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:stretch", args=[self.muscle.slug, self.slug])

    @property
    def is_contract_relax(self):
        return self.technique == self.Technique.CONTRACT_RELAX

    @property
    def seconds_per_side(self):
        """Time for all repetitions on one side, rests included."""
        per_rep = self.hold_seconds + (self.contract_seconds + self.relax_seconds if self.is_contract_relax else 0)
        return per_rep * self.repetitions + self.rest_seconds * max(0, self.repetitions - 1)


class InformationLink(models.Model):
    """A link in the "information area" sidebar, chosen and ordered by editors."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="information_link")
    label = models.CharField(max_length=120, blank=True, help_text="Link text; empty uses the article's title.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "information area link"

    def __str__(self):
        return self.text

    @property
    def text(self):
        return self.label or self.article.title


class SitePage(models.Model):
    """A page about the site itself (about, disclaimer, privacy, contact), edited in the admin."""

    class Slug(models.TextChoices):
        ABOUT = "about", "About"
        DISCLAIMER = "disclaimer", "Disclaimer"
        PRIVACY = "privacy", "Privacy policy"
        CONTACT = "contact", "Contact us"

    slug = models.SlugField(max_length=40, unique=True, choices=Slug.choices)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One sentence for search engines and the site map.")
    body = models.TextField(help_text="Markdown. Use ## headings for sections.")
    body_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body).html
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(f"articles:{self.slug}")


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
        ordering = ["key"]
        verbose_name = "shipped content record"

    def __str__(self):
        return self.key


class ContactMessageQuerySet(models.QuerySet):
    def unhandled(self):
        """Messages no editor has dealt with yet."""
        return self.filter(handled=False)


class ContactMessage(models.Model):
    """A message a reader sent through the contact form. Stored first, then emailed, so a mail outage loses nothing."""

    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, help_text="The reader's address; replies go here.")
    subject = models.CharField(max_length=150)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the message reached the editors' inbox; empty if sending failed."
    )
    handled = models.BooleanField(default=False, db_index=True, help_text="Tick once someone has replied or acted.")
    handled_at = models.DateTimeField(null=True, blank=True)

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


class RateLimitCounter(models.Model):
    """How many times one visitor did one thing (e.g. sent the contact form) in one time window.

    Used by ``articles.antispam.allow``; kept in the database so every process sees the same counts.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64, help_text="A keyed hash of the visitor's address, never the address.")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-window_start"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="one_counter_per_window"),
        ]
        indexes = [models.Index(fields=["scope", "window_start"])]

    def __str__(self):
        return f"{self.scope} {self.key[:8]} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
