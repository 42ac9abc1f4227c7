"""Muscle guides and their stretches, and the side a stretch page is opened for."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from simple_history.models import HistoricalRecords

from backpain.illustrations import is_static_file
from backpain.markdown import render_markdown, validate_markdown
from backpain.models import PublicContent, Reviewed
from backpain.uploads import CaptionsField, PictureField, VideoField

from ..body_map import REGIONS_BY_ID, referral_areas
from ..video import validate_video_url, video_embed

MARKDOWN_FIELDS = ["location", "action", "why_it_tightens", "trigger_points", "referred_pain"]

# The side a stretch page is opened for (``?side=``), as a self-check plan links to it.
SIDE_LEFT = "left"
SIDE_RIGHT = "right"
SIDE_EACH = "each"
SIDES = (SIDE_LEFT, SIDE_RIGHT, SIDE_EACH)
# /stretches/<muscle>/routine/ is the muscle's guided routine, so no stretch may take this slug.
ROUTINE_SLUG = "routine"


def clean_side(value):
    """``value`` when it names a side a stretch page can be opened for, else "" (no side)."""
    return value if isinstance(value, str) and value in SIDES else ""


class Muscle(Reviewed, PublicContent):
    """A muscle group that matters in lower back pain, with where it sends pain and how to stretch it."""

    class BodyView(models.TextChoices):
        FRONT = "front", "Front"
        BACK = "back", "Back"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the web address, e.g. hip-flexors.")
    other_names = models.CharField(max_length=200, blank=True, help_text="Other names, comma-separated.")
    summary = models.CharField(max_length=250, help_text="One sentence for cards and search engines.")
    location = models.TextField(validators=[validate_markdown], help_text="Markdown. Where it is, in everyday words.")
    action = models.TextField(
        validators=[validate_markdown], help_text="Markdown. What it does, and its part in pelvic tilt."
    )
    why_it_tightens = models.TextField(
        validators=[validate_markdown], help_text="Markdown. Common reasons it gets tight."
    )
    trigger_points = models.TextField(
        validators=[validate_markdown], blank=True, help_text="Markdown. Where its trigger points tend to be."
    )
    referred_pain = models.TextField(
        validators=[validate_markdown], blank=True, help_text="Markdown. Where those trigger points send pain."
    )
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
        self.render_html()
        super().save(*args, **kwargs)

    def render_html(self):
        """Fill the ``*_html`` fields from the Markdown (on save, and for the admin's preview of a form)."""
        for name in MARKDOWN_FIELDS:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)).html)

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


class Stretch(Reviewed, PublicContent):
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
    what_you_should_feel = models.TextField(validators=[validate_markdown], blank=True, help_text="Markdown.")
    cautions = models.TextField(
        validators=[validate_markdown], help_text="Markdown. Who should skip or change it, and when to stop."
    )
    video_url = models.URLField(
        blank=True,
        validators=[validate_video_url],
        help_text="A YouTube or Vimeo link; shown only after the reader clicks, in privacy-enhanced mode.",
    )
    video_file = VideoField(upload_to="stretches/videos/", blank=True, help_text="Or upload a video: MP4 or WebM.")
    video_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(3600)],
        help_text="How long the linked video runs, in seconds (150 shows as 2 min 30 s).",
    )
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
        self.render_html()
        super().save(*args, **kwargs)

    def render_html(self):
        """Fill the ``*_html`` fields from the Markdown (on save, and for the admin's preview of a form)."""
        self.what_you_should_feel_html = render_markdown(self.what_you_should_feel).html
        self.cautions_html = render_markdown(self.cautions).html

    def get_absolute_url(self):
        return reverse("articles:stretch", args=[self.muscle.slug, self.slug])

    def clean(self):
        """Check what the database cannot: a free slug, alt text for pictures, a push time, one kind of video."""
        errors = {}
        if self.slug == ROUTINE_SLUG:
            errors["slug"] = f"“{ROUTINE_SLUG}” is the address of the muscle's guided routine; choose another slug."
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = "Describe the picture for people who cannot see it."
        if self.illustration and not is_static_file(self.illustration):
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
    def video_duration_text(self):
        """The video's length for a reader, e.g. "2 min 30 s", or "" when no length is set."""
        if not self.video_seconds:
            return ""
        minutes, seconds = divmod(self.video_seconds, 60)
        parts = ([f"{minutes} min"] if minutes else []) + ([f"{seconds} s"] if seconds else [])
        return " ".join(parts)

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
