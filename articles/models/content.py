"""Articles and their categories, the sidebar links editors curate, and the site pages (About, Privacy...).

Articles are written in Markdown and rendered to sanitised HTML when saved, never per request.
"Published" means one thing, defined once on ``ArticleQuerySet.published``: status published and a
publication time that has arrived, so scheduling needs no cron job.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from backpain import retention
from backpain.markdown import render_markdown, validate_markdown
from backpain.models import PublicContent, PublicContentQuerySet, Reviewed
from backpain.uploads import PictureField


class Category(PublicContent):
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


class ArticleQuerySet(PublicContentQuerySet):
    def published(self):
        """Articles readers can see: published, with a publication time already passed."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def archived(self):
        """Articles taken down with their comments kept: their address answers "retired" (410 Gone)."""
        return self.filter(status=Article.Status.ARCHIVED)

    def review_overdue(self, today=None):
        """Articles whose next clinical review date has passed (as ``Reviewed.overdue_for_review``)."""
        return self.filter(next_review_due__lt=today or timezone.localdate())


class Source(PublicContent):
    """A published reference an article relies on: a guideline, a health service page or a study.

    Editors keep one library of them and pick, in order, the ones each article cites; the article lists them
    under "Sources" with a link to the publisher's page.
    """

    slug = models.SlugField(max_length=80, unique=True, help_text="A short name for it, e.g. nice-ng59.")
    title = models.CharField(max_length=300, help_text="As the publisher gives it.")
    authors = models.CharField(
        max_length=200, help_text="The authors (e.g. Laird RA, Gilbert J, Kent P, Keating JL) or the publisher (NICE)."
    )
    published_in = models.CharField(
        max_length=200,
        blank=True,
        help_text="Journal and volume for a study, e.g. BMC Musculoskeletal Disorders 15:229.",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year published; empty for a live page.")
    url = models.URLField(max_length=300, help_text="The publisher's page for it, https://...")
    note = models.CharField(
        max_length=250, help_text="One line: what it shows that the site relies on, in plain words."
    )

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.authors}{f', {self.year}' if self.year else ''})"


class Article(Reviewed, PublicContent):
    """An educational article, written in Markdown by an editor and reviewed on a schedule.

    An article readers have commented on is never deleted (its comments protect it): it is *archived* instead,
    which takes it off every list, the feed, the sitemap and search, and answers its address with a "this
    article was retired" page (410 Gone). Its comments stay, and publishing it again, or restoring an earlier
    version from its history, brings it back with them.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived (retired: readers are told it was taken down)"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Part of the web address; change it with care, old links break."
    )
    summary = models.TextField(
        max_length=300, help_text="One or two sentences shown on cards and lists (at most 300 characters)."
    )
    body = models.TextField(
        validators=[validate_markdown],
        help_text="Markdown. Start sections with ## headings; they build the table of contents.",
    )
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    hero_image = PictureField(
        upload_to="articles/", blank=True, help_text="Optional wide picture at the top: PNG, JPEG, WebP or GIF."
    )
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
    seo_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="Shown by search engines (at most 160 characters). Empty uses the summary.",
    )
    related_articles = models.ManyToManyField("self", blank=True, symmetrical=False, help_text="Suggested next reads.")
    related_muscles = models.ManyToManyField(
        "Muscle", blank=True, related_name="articles", help_text="Muscles this article is about; linked both ways."
    )
    sources = models.ManyToManyField(
        Source, through="ArticleSource", blank=True, related_name="articles", help_text="Listed at the end, in order."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html", "toc", "reading_minutes"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # "Does this category have a live article?" (article list, category pages) without a scan.
            models.Index(fields=["category", "status", "published_at"], name="article_category_live_idx"),
        ]

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
    def is_archived(self):
        return self.status == self.Status.ARCHIVED

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
    def ordered_sources(self):
        """Its sources in the order the editor gave them."""
        return [link.source for link in self.source_links.select_related("source")]


class ArticleSource(PublicContent):
    """One source in an article's list, at its place in the order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="article_links")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["article", "order", "id"]
        verbose_name = "article source"
        constraints = [models.UniqueConstraint(fields=["article", "source"], name="one_link_per_article_source")]

    def __str__(self):
        return f"{self.article}: {self.source.title}"


class InformationLink(PublicContent):
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


class SitePage(Reviewed, PublicContent):
    """A page about the site itself (about, disclaimer, privacy, contact), edited in the admin."""

    class Slug(models.TextChoices):
        ABOUT = "about", "About"
        DISCLAIMER = "disclaimer", "Disclaimer"
        PRIVACY = "privacy", "Privacy policy"
        CONTACT = "contact", "Contact us"

    slug = models.SlugField(max_length=40, unique=True, choices=Slug.choices)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One sentence for search engines and the site map.")
    body = models.TextField(validators=[validate_markdown], help_text="Markdown. Use ## headings for sections.")
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

    def clean(self):
        """Accept only placeholders the site can fill in (``{{ results }}`` and the others in backpain.retention)."""
        unknown = retention.unknown_placeholders(self.body)
        if unknown:
            known = ", ".join(f"{{{{ {name} }}}}" for name in retention.figures())
            raise ValidationError(
                {"body": f"Unknown placeholder: {', '.join(unknown)}. The placeholders the site fills in are {known}."}
            )

    @property
    def html(self):
        """The page as readers see it: the rendered Markdown, with each retention period written in from settings.

        Filled in when the page is shown, not when it is saved, so a changed setting is on the page at once.
        """
        return retention.fill_figures(self.body_html)
