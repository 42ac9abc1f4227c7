"""
Educational content: categories and articles, and the sidebar links editors curate.

Articles are written in Markdown and rendered to sanitised HTML when saved,
never per request. "Published" means one thing, defined once on
``ArticleQuerySet.published``: status published and a publication time that
has arrived, so scheduling needs no cron job.

Readers' comments live here too (``Comment``): moderated, with no raw network
address stored; the rules that flag a comment for priority review are plain
functions in ``moderation.py``.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from simple_history.models import HistoricalRecords

from backpain import retention
from backpain.models import PublicContent, PublicContentQuerySet
from backpain.uploads import CaptionsField, PictureField, VideoField

from .body_map import REGIONS_BY_ID, referral_areas
from .rendering import render_markdown
from .video import validate_video_url, video_embed

MARKDOWN_FIELDS = ["location", "action", "why_it_tightens", "trigger_points", "referred_pain"]

# The side a stretch page is opened for (``?side=``), as a self-check plan links to it.
SIDE_LEFT = "left"
SIDE_RIGHT = "right"
SIDE_EACH = "each"
SIDES = (SIDE_LEFT, SIDE_RIGHT, SIDE_EACH)


def clean_side(value):
    """``value`` when it names a side a stretch page can be opened for, else "" (no side)."""
    return value if isinstance(value, str) and value in SIDES else ""


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

    def review_overdue(self, today=None):
        """Articles whose next clinical review date has passed."""
        return self.filter(next_review_due__lt=today or timezone.localdate())


class Article(PublicContent):
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


class Muscle(PublicContent):
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

    def clean(self):
        """Accept only body-map areas the map can draw."""
        unknown = [region for region in self.referral_regions or [] if region not in REGIONS_BY_ID]
        if unknown:
            raise ValidationError({"referral_regions": f"Unknown body-map areas: {', '.join(map(str, unknown))}."})

    @property
    def other_names_list(self):
        return [name.strip() for name in self.other_names.split(",") if name.strip()]

    @property
    def referral_areas(self):
        """The body-map areas its trigger points refer pain to, with their labels."""
        return referral_areas(self.referral_regions)


def _is_static_file(path):
    """True when ``path`` names a file the static files finders can serve."""
    try:
        return bool(finders.find(path))
    except SuspiciousFileOperation:  # "../" tricks
        return False


class Stretch(PublicContent):
    """One stretch for a muscle: the steps, the dose, the technique and how to do it safely.

    ``sides`` says how it is done: one side at a time, or with both legs at once. Its page may be opened
    for a side (``url_for_side``, ``?side=left``, as a self-check plan links to it): one set for the left
    or right side, two for each side in turn, and always one set for a both-legs stretch.
    """

    class Technique(models.TextChoices):
        STATIC = "static", "Static hold"
        CONTRACT_RELAX = "contract_relax", "Contract-relax"

    class Sides(models.TextChoices):
        ONE = "one", "One side at a time"
        TOGETHER = "together", "Both legs at once"

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
        default=3, help_text="Static: holds in one set (one side, or both legs at once). Contract-relax: rounds."
    )
    contract_seconds = models.PositiveSmallIntegerField(default=0, help_text="Contract-relax only: how long to push.")
    relax_seconds = models.PositiveSmallIntegerField(
        default=0, help_text="Contract-relax only: the pause after the push."
    )
    rest_seconds = models.PositiveSmallIntegerField(default=15, help_text="Rest between repetitions.")
    sides = models.CharField(
        max_length=10,
        choices=Sides.choices,
        default=Sides.ONE,
        help_text=(
            "One side at a time: the reader does every repetition on one side, then the other, or only the side "
            "their self-check plan names. Both legs at once: one set works both sides together (knees to chest, "
            'child\'s pose), so the page never says "per side" and the timer never switches sides.'
        ),
    )
    what_you_should_feel = models.TextField(blank=True, help_text="Markdown.")
    cautions = models.TextField(help_text="Markdown. Who should skip or change it, and when to stop.")
    video_url = models.URLField(
        blank=True,
        validators=[validate_video_url],
        help_text="A YouTube or Vimeo link; shown only after the reader clicks, in privacy-enhanced mode.",
    )
    video_file = VideoField(upload_to="stretches/videos/", blank=True, help_text="Or upload a video: MP4 or WebM.")
    captions_file = CaptionsField(
        upload_to="stretches/captions/",
        blank=True,
        help_text="WebVTT captions (.vtt) for the uploaded video: plain text, no markup but WebVTT's cue tags.",
    )
    illustration = models.CharField(
        max_length=200, blank=True, help_text="Path of a shipped illustration under static/, e.g. img/stretches/x.svg."
    )
    image = PictureField(
        upload_to="stretches/",
        blank=True,
        help_text="Or upload a picture (PNG, JPEG, WebP or GIF); replaces the illustration.",
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

    def clean(self):
        """Check what the database cannot: alt text for pictures, a push time, one kind of video."""
        errors = {}
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = "Describe the picture for people who cannot see it."
        if self.illustration and not _is_static_file(self.illustration):
            # A missing static file would break the page in production (hashed static files are strict).
            errors["illustration"] = "No shipped file at this path; compare it with the files in static/img/stretches/."
        if self.illustration and not self.image and not self.image_alt.strip():
            errors["image_alt"] = "Describe the illustration for people who cannot see it."
        if self.is_contract_relax and not self.contract_seconds:
            errors["contract_seconds"] = "A contract-relax stretch needs a push time of at least 1 second."
        if self.captions_file and not self.video_file:
            errors["captions_file"] = "Captions belong to an uploaded video; upload the video too."
        if self.video_file and self.video_url:
            errors["video_url"] = "Use either a video link or an uploaded video, not both."
        if errors:
            raise ValidationError(errors)

    @property
    def is_contract_relax(self):
        return self.technique == self.Technique.CONTRACT_RELAX

    @property
    def video(self):
        """The privacy-enhanced embed for ``video_url``, or None."""
        return video_embed(self.video_url)

    @property
    def is_both_legs(self):
        """Done with both legs at once: one set, no side switch, no "per side"."""
        return self.sides == self.Sides.TOGETHER

    @property
    def set_seconds(self):
        """Time for all repetitions once (one side, or both legs at once), rests included."""
        per_rep = self.hold_seconds + (self.contract_seconds + self.relax_seconds if self.is_contract_relax else 0)
        return per_rep * self.repetitions + self.rest_seconds * max(0, self.repetitions - 1)

    @property
    def set_minutes(self):
        """``set_seconds`` rounded to whole minutes, at least one."""
        return max(1, round(self.set_seconds / 60))

    def side_count(self, side):
        """How many sets the page opened for ``side`` asks for: two only for a one-sided stretch on each side."""
        if self.is_both_legs or clean_side(side) in (SIDE_LEFT, SIDE_RIGHT):
            return 1
        return 2

    def total_seconds(self, side):
        """Time for the stretch as the page opened for ``side`` asks for it, rests included."""
        return self.set_seconds * self.side_count(side)

    def side_label(self, side):
        """Which side to stretch, in the reader's words, for the page opened for ``side``."""
        if self.is_both_legs:
            return "Both legs at once"
        return {SIDE_LEFT: "Left side", SIDE_RIGHT: "Right side"}.get(clean_side(side), "Each side in turn")

    def time_text(self, side):
        """How long it takes, in words: "About 2 minutes", or "About 2 minutes a side, 4 in all"."""
        minutes = self.set_minutes
        text = f"About {minutes} minute{'s' if minutes != 1 else ''}"
        if self.side_count(side) == 2:
            text += f" a side, {minutes * 2} in all"
        return text

    def url_for_side(self, side):
        """The page's address opened for ``side`` (``?side=left``); a both-legs stretch has no side to carry."""
        side = clean_side(side)
        if self.is_both_legs or not side:
            return self.get_absolute_url()
        return f"{self.get_absolute_url()}?{urlencode({'side': side})}"


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


class SitePage(PublicContent):
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


class CommentQuerySet(PublicContentQuerySet):
    def approved(self):
        """Comments readers can see: approved by an editor, oldest first so a thread reads top to bottom."""
        return self.filter(status=Comment.Status.APPROVED).order_by("created_at", "id")

    def pending(self):
        """Comments waiting for an editor: priority ones first, then the oldest."""
        return self.filter(status=Comment.Status.PENDING).order_by("-needs_priority_review", "created_at", "id")

    def decide(self, status):
        """Record an editor's decision (approve or reject) on these comments; return how many there were.

        The decision settles every report made before it: the reports are deleted and the count starts
        again from nought, so a comment an editor has approved again is hidden again only when enough
        different readers report it anew.
        """
        with transaction.atomic():
            CommentReport.objects.filter(comment__in=self).delete()
            return self.update(status=status, needs_priority_review=False, report_count=0)

    def purge_unpublished(self, cutoff):
        """Delete rejected comments and comments still waiting for a first decision, made before ``cutoff``,
        with their reports; return how many comments went.

        A published comment that readers' reports sent back to the queue is not "waiting for a first
        decision": it stays until an editor decides, so three reports can never delete an old comment.
        """
        reported = CommentReport.objects.filter(comment=OuterRef("pk"))
        stale = self.filter(created_at__lt=cutoff).filter(
            models.Q(status=Comment.Status.REJECTED) | (models.Q(status=Comment.Status.PENDING) & ~Exists(reported))
        )
        count = stale.count()
        stale.delete()
        return count

    def forget_visitors(self, cutoff):
        """Clear the address hash from comments and reports made before ``cutoff``; return how many were cleared.

        A report keeps counting towards its comment's total; only who made it is forgotten.
        """
        comments = self.filter(created_at__lt=cutoff).exclude(visitor_hash="").update(visitor_hash="")
        reports = CommentReport.objects.filter(created_at__lt=cutoff, visitor_hash__isnull=False)
        return comments + reports.update(visitor_hash=None)

    def on(self, target):
        """Comments on one article or one muscle."""
        if isinstance(target, Article):
            return self.filter(article=target)
        if isinstance(target, Muscle):
            return self.filter(muscle=target)
        raise TypeError(f"Comments cannot be attached to {type(target).__name__}.")


class Comment(models.Model):
    """A reader's comment on an article or a muscle page.

    Nothing a reader writes is shown until an editor approves it. Comments that
    mention red-flag symptoms or ask for a diagnosis are marked for priority
    review. An editor may answer with one reply, shown under the comment.

    Privacy: the email address is never shown and is used only to send the
    reply the reader asked for; the network address is kept only as a keyed
    hash (``visitor_hash``) for rate limits and abuse, never in the clear.
    Rejected and stale pending comments are deleted, and the hash cleared from the rest, by
    ``purge_expired`` (periods in settings; see ``articles.apps``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Approved (shown)"
        REJECTED = "rejected", "Rejected (hidden)"

    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    muscle = models.ForeignKey(Muscle, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=80, help_text="The name the reader gave; shown with the comment.")
    email = models.EmailField(
        blank=True, help_text="Never shown. Used only to tell the reader about a reply, if they asked for that."
    )
    notify_on_reply = models.BooleanField(default=False, help_text="The reader asked to be emailed about a reply.")
    body = models.TextField(max_length=3000, help_text="Plain text, shown exactly as written (no HTML, no links).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    needs_priority_review = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Mentions red-flag symptoms, asks for a diagnosis, or was reported: read it first.",
    )
    priority_reason = models.CharField(max_length=300, blank=True, help_text="Why it was marked for priority review.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    visitor_hash = models.CharField(
        max_length=64, editable=False, help_text="Keyed hash of the poster's network address; never the address."
    )
    reply = models.TextField(
        max_length=3000,
        blank=True,
        help_text='An editor\'s answer, shown under the comment with an "Editor" badge. Plain text.',
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    replied_at = models.DateTimeField(null=True, blank=True, editable=False)
    report_count = models.PositiveIntegerField(default=0, editable=False, help_text="Readers who reported it.")

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("moderate_comment", "Can approve and reject comments")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, muscle__isnull=True)
                    | models.Q(article__isnull=True, muscle__isnull=False)
                ),
                name="comment_on_exactly_one_page",
            )
        ]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_listing"),
            models.Index(fields=["muscle", "status", "created_at"], name="comment_muscle_listing"),
        ]

    def __str__(self):
        return f"{self.name} on {self.target}"

    def get_absolute_url(self):
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_shown(self):
        """Readers see it: only approved comments are public (``backpain.pagecache`` counts only their changes)."""
        return self.status == self.Status.APPROVED

    @property
    def target(self):
        """The article or muscle the comment is on."""
        return self.article or self.muscle

    @target.setter
    def target(self, value):
        self.article = value if isinstance(value, Article) else None
        self.muscle = value if isinstance(value, Muscle) else None

    def record_report(self):
        """Count the reports made since the last editor decision (one per visitor): flag the comment for
        priority review and, once enough readers agree, send it back to the moderation queue, off the page.

        Return True when this report was the one that took the comment off the page, so the caller can
        tell the editors.
        """
        with transaction.atomic():
            comment = Comment.objects.select_for_update().get(pk=self.pk)
            comment.report_count = comment.reports.count()
            comment.needs_priority_review = True
            if "reported by readers" not in comment.priority_reason:
                comment.priority_reason = "; ".join(filter(None, [comment.priority_reason, "reported by readers"]))[
                    :300
                ]
            hidden = (
                comment.status == Comment.Status.APPROVED and comment.report_count >= settings.COMMENT_REPORTS_TO_HIDE
            )
            if hidden:
                comment.status = Comment.Status.PENDING
            comment.save(update_fields=["report_count", "needs_priority_review", "priority_reason", "status"])
        self.refresh_from_db()
        return hidden

    def settle_reports(self):
        """Delete the reports an editor's decision has dealt with (see ``CommentQuerySet.decide``)."""
        self.reports.all().delete()
        self.report_count = 0


class CommentReport(models.Model):
    """One reader's report of one comment; the hash makes a second report from the same visitor a no-op.

    An editor's decision on the comment deletes its reports (``CommentQuerySet.decide``).
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    # Emptied (NULL, which the unique constraint lets repeat) after COMMENT_HASH_RETENTION_DAYS.
    visitor_hash = models.CharField(max_length=64, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "visitor_hash"], name="one_report_per_visitor")]

    def __str__(self):
        return f"Report on comment {self.comment_id}"


class PendingComment(Comment):
    """The moderation queue: the same comments, listed in the admin as only those waiting, priority first."""

    class Meta:
        proxy = True
        ordering = ["-needs_priority_review", "created_at"]
        verbose_name = "comment waiting for moderation"
        verbose_name_plural = "moderation queue"


class ContactMessageQuerySet(models.QuerySet):
    def unhandled(self):
        """Messages no editor has dealt with yet."""
        return self.filter(handled=False)

    def purge_before(self, cutoff):
        """Delete the messages received before ``cutoff``; return how many went."""
        return self.filter(created_at__lt=cutoff).delete()[0]


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
