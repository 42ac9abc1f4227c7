"""
The imbalance self-check: the four imbalances, the versioned questionnaire, the home
self-test pages, and the saved results.

A run works like this: a reader screens the red-flag signs, answers the questions of
the live ``Questionnaire`` version (the one live when they started), and each chosen
``Choice`` adds weights to the imbalances and may vote for a side. ``assessment.scoring``
turns the answers into an outcome. The ``Assessment`` then records the version that
scored it and keeps a snapshot of everything the reader saw and the plan they were
given. Editors change a draft version and publish it; a published version never changes.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.models import Muscle, Stretch
from backpain.illustrations import is_static_file
from backpain.markdown import render_markdown_html, validate_markdown
from backpain.models import PublicContent, PublicContentQuerySet, Reviewed
from backpain.uploads import PictureField

REVIEW_FIELDS = ("reviewed_on", "next_review_due", "reviewer_name", "reviewer_role")


def new_token():
    """A result link's secret part: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


class SelfTest(Reviewed, PublicContent):
    """A page explaining one simple home check, such as the Thomas test or the one-leg stand."""

    slug = models.SlugField(max_length=80, unique=True, help_text="Part of the web address, e.g. thomas-test.")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=250, help_text="One sentence: what the check looks at.")
    you_need = models.CharField(max_length=200, blank=True, help_text="What the reader needs, e.g. a firm bed.")
    steps = models.TextField(
        validators=[validate_markdown], help_text="Markdown. How to do the check, as a numbered list."
    )
    what_it_tells_you = models.TextField(
        validators=[validate_markdown], help_text="Markdown. How to read the result, and its limits."
    )
    safety = models.TextField(
        validators=[validate_markdown], blank=True, help_text="Markdown. When to skip or stop the check."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    minutes = models.PositiveSmallIntegerField(
        default=2,
        help_text="How long the check takes, timed by doing it at home (both sides, with the set-up). "
        "The start page adds these up to say how long the self-check takes.",
    )
    illustration = models.CharField(
        max_length=200,
        blank=True,
        help_text="Path of a shipped drawing under static/, e.g. img/self-tests/thomas-test.svg. "
        "Shown at the top of the page and beside the questions that link here.",
    )
    illustration_alt = models.CharField(
        max_length=300,
        blank=True,
        help_text="Describe the drawing for people who cannot see it: the position, and what to look at.",
    )
    steps_html = models.TextField(editable=False, default="")
    what_it_tells_you_html = models.TextField(editable=False, default="")
    safety_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["steps_html", "what_it_tells_you_html", "safety_html"])

    class Meta:
        ordering = ["order", "title"]
        verbose_name = "self-test page"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_html()
        super().save(*args, **kwargs)

    def render_html(self):
        """Fill the ``*_html`` fields from the Markdown (on save, and for the admin's preview of a form)."""
        self.steps_html = render_markdown_html(self.steps)
        self.what_it_tells_you_html = render_markdown_html(self.what_it_tells_you)
        self.safety_html = render_markdown_html(self.safety)

    def get_absolute_url(self):
        return reverse("assessment:self-test", args=[self.slug])

    def clean(self):
        """Check what the database cannot: the drawing is a shipped file, and it is described."""
        errors = {}
        if self.illustration and not is_static_file(self.illustration):
            # A missing static file would break the page in production (hashed static files are strict).
            errors["illustration"] = "No shipped file at this path; compare it with the files in static/img/self-tests/"
        elif self.illustration and not self.illustration_alt.strip():
            errors["illustration_alt"] = "Describe the drawing for people who cannot see it."
        if errors:
            raise ValidationError(errors)


class Imbalance(PublicContent):
    """One of the four commonly described pelvic imbalances, and the plan that goes with it.

    For the two one-sided imbalances, ``side_reading`` says what "your side" means:
    in a lateral tilt it is the higher hip, in a rotation the side that sits forward.
    Muscles to stretch are listed through ``ImbalanceMuscle``, which says whether to
    stretch that side only or both sides.
    """

    class Code(models.TextChoices):
        ANTERIOR = "anterior-pelvic-tilt", "Anterior pelvic tilt"
        POSTERIOR = "posterior-pelvic-tilt", "Posterior pelvic tilt"
        LATERAL = "lateral-pelvic-tilt", "Lateral pelvic tilt"
        ROTATION = "pelvic-rotation", "Pelvic rotation"

    class SideReading(models.TextChoices):
        NONE = "", "Not one-sided"
        HIGH = "high", "The higher hip"
        FORWARD = "forward", "The side that sits forward"

    slug = models.SlugField(max_length=40, unique=True, choices=Code.choices)
    name = models.CharField(max_length=80)
    summary = models.TextField(help_text="Two or three plain sentences: what it looks like.")
    side_reading = models.CharField(
        max_length=10,
        choices=SideReading.choices,
        blank=True,
        help_text="For one-sided imbalances: which side the plan's “your side” means.",
    )
    muscles_to_stretch = models.ManyToManyField(Muscle, through="ImbalanceMuscle", related_name="imbalances")
    other_tight_muscles = models.CharField(
        max_length=250, blank=True, help_text="Tight muscles without a page of their own, e.g. the glutes."
    )
    muscles_to_strengthen = models.TextField(help_text="Plain text: the muscles that are often weak, and why.")
    strengthening = models.TextField(
        validators=[validate_markdown],
        blank=True,
        help_text="Markdown. A few gentle exercises for those muscles: how to do each, how many to start with, and "
        "who should skip or change it. Shown on the strengthening page, which the result's “muscles to "
        "strengthen” links to.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    strengthening_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.strengthening_html = render_markdown_html(self.strengthening)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "strengthening" in update_fields:
            kwargs["update_fields"] = {*update_fields, "strengthening_html", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{reverse('assessment:strengthening')}#{self.slug}"

    @property
    def is_sided(self):
        return bool(self.side_reading)

    @property
    def side_phrase(self):
        """What the plan's side is, in the result's words, e.g. "the hip your check found higher"."""
        return {"high": "the hip your check found higher", "forward": "the side your check found further forward"}.get(
            self.side_reading, ""
        )


class ImbalanceMuscle(PublicContent):
    """A muscle to stretch for an imbalance: on which side, and with which stretch."""

    class StretchSide(models.TextChoices):
        SAME = "same", "The plan's side only"
        BOTH = "both", "Each side"

    imbalance = models.ForeignKey(Imbalance, on_delete=models.CASCADE, related_name="stretch_links")
    muscle = models.ForeignKey(Muscle, on_delete=models.CASCADE, related_name="imbalance_links")
    side = models.CharField(
        max_length=10,
        choices=StretchSide.choices,
        default=StretchSide.BOTH,
        help_text="For one-sided imbalances, “the plan's side only” stretches just the side the reader's direct "
        "checks found (both sides when the side is unclear). A stretch done with both legs at once ignores this.",
    )
    stretch = models.ForeignKey(
        Stretch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The stretch the plan recommends; it should belong to this muscle.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Order in the bedtime routine.")

    class Meta:
        ordering = ["imbalance", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["imbalance", "muscle"], name="unique_muscle_per_imbalance")]
        verbose_name = "muscle to stretch"

    def __str__(self):
        return f"{self.imbalance}: {self.muscle}"

    def clean(self):
        if self.stretch_id and self.muscle_id and self.stretch.muscle_id != self.muscle_id:
            raise ValidationError({"stretch": "Choose a stretch for this muscle."})


class GentleStretch(PublicContent):
    """A stretch of the gentle general routine: the plan for a reader whose checks fit no pattern.

    It is offered when the checks disagree, find nothing, or were too unsure to go on, so it has no
    sided stretches: each one is done on both sides, or with both legs at once.
    """

    stretch = models.OneToOneField(Stretch, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0, help_text="Order in the gentle routine.")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "gentle routine stretch"

    def __str__(self):
        return str(self.stretch)


class QuestionnaireQuerySet(PublicContentQuerySet):
    def active(self):
        """The questionnaire readers take now (at most one)."""
        return self.filter(is_active=True)

    def published(self):
        """Versions that were ever live: the live one and the retired ones that old results and runs still use."""
        return self.filter(published_at__isnull=False)

    def drafts(self):
        """Versions never published: editors change these, readers never see them."""
        return self.filter(published_at__isnull=True)

    def draft(self):
        """The draft editors work on (the newest unpublished version), or None."""
        return self.drafts().order_by("-version").first()


class Questionnaire(Reviewed, PublicContent):
    """A version of the self-check's questions. Exactly one version is live for readers at a time.

    A version is a draft until it is published, then live, then retired when a newer one is published. Only a
    draft's questions, answers and points can change: an editor's change to the live version goes into the
    draft (``start_draft`` copies the live version the first time), and ``publish`` makes the draft live for new
    runs. Readers part-way through keep the version they started, and every saved result records its version.
    Its review covers the self-check's own pages (start, warning signs, care, GP advice, result).
    """

    version = models.PositiveIntegerField(unique=True, help_text="Shown on saved results; each draft takes the next.")
    title = models.CharField(max_length=120, default="Imbalance self-check")
    is_active = models.BooleanField(
        default=False, help_text="The version readers take. Only one is live; publish a draft to replace it."
    )
    notes = models.TextField(blank=True, help_text="For editors: what changed in this version.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When this version went live; empty while it is a draft."
    )

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="one_active_questionnaire"
            )
        ]
        permissions = [("publish_questionnaire", "Can publish a draft questionnaire")]

    def __str__(self):
        return f"{self.title} v{self.version} ({self.status.lower()})"

    def get_absolute_url(self):
        return reverse("assessment:preview", args=[self.pk])

    @property
    def is_draft(self):
        return self.published_at is None

    @property
    def status(self):
        """ "Draft", "Live" or "Retired", as editors see it."""
        if self.is_draft:
            return "Draft"
        return "Live" if self.is_active else "Retired"

    def start_draft(self):
        """The draft to change instead of this published version: the existing draft, else a new copy of this one.

        The copy takes every question (wording, help, role, self-test page, picture) and every answer with its
        points, finding and side, so this version itself never changes. Call it inside a transaction.
        """
        existing = Questionnaire.objects.select_for_update().drafts().order_by("-version").first()
        if existing is not None:
            return existing
        latest = Questionnaire.objects.order_by("-version").values_list("version", flat=True).first() or 0
        copy = Questionnaire.objects.create(
            version=latest + 1,
            title=self.title,
            notes=f"Draft copied from version {self.version}.",
            **{name: getattr(self, name) for name in REVIEW_FIELDS},
        )
        for question in self.questions.prefetch_related("choices"):
            choices = list(question.choices.all())
            question.pk, question.id, question.questionnaire = None, None, copy
            question._state.adding = True
            question.save()
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    order=c.order,
                    label=c.label,
                    weights=c.weights,
                    side_vote=c.side_vote,
                    finding=c.finding,
                )
                for c in choices
            )
        return copy

    def publish(self, now):
        """Make this draft the live version from ``now``; the version that was live retires. Use in a transaction."""
        if not self.is_draft:
            raise ValidationError(f"Version {self.version} is already published.")
        Questionnaire.objects.filter(is_active=True).update(is_active=False)
        self.is_active, self.published_at = True, now
        self.save(update_fields=["is_active", "published_at"])


class Question(PublicContent):
    """One question of a questionnaire, or one warning sign.

    Warning signs (red flags) are not asked one by one: they are listed together, as ticks, on the
    screen before the questions, grouped by ``urgency`` as the NHS tiers them. The first two tiers
    stop the self-check; the routine tier gives "see a GP when you can" advice beside the plan.

    The other questions are either home checks (``Role.CHECK``), whose answers are the only evidence
    the scoring uses, or context (``Role.CONTEXT``: where it hurts, habits), shown on the result but
    never scored.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        YES_NO = "yes_no", "Yes or no"
        RED_FLAG = "red_flag", "Red flag (warning sign)"

    class Urgency(models.TextChoices):
        EMERGENCY = "emergency", "Call 999 or go to A&E now"
        SAME_DAY = "same_day", "Call 111 or get an urgent GP appointment today"
        ROUTINE = "routine", "See a GP when you can"

    class Role(models.TextChoices):
        CHECK = "check", "Home check (evidence: its answers are scored)"
        CONTEXT = "context", "Context (shown on the result, never scored)"

    class SideEvidence(models.TextChoices):
        DIRECT = "direct", "Direct: looks at the side itself (which hip is higher or further forward)"
        INDIRECT = "indirect", "Indirect: a sign that often goes with a side"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    slug = models.SlugField(max_length=60, help_text="A short name, unique in this questionnaire, e.g. thomas-thigh.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are asked first.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(max_length=300, help_text="The question (or, for a red flag, the warning sign).")
    help_text = models.TextField(blank=True, help_text="Shown under the question: how to check, in a sentence or two.")
    urgency = models.CharField(
        max_length=10,
        choices=Urgency.choices,
        blank=True,
        help_text="Warning signs only: how soon to get care, as the NHS back pain page tiers the sign.",
    )
    role = models.CharField(
        max_length=10,
        choices=Role.choices,
        default=Role.CHECK,
        help_text="Home checks are the only evidence; context questions are shown on the result without points.",
    )
    side_evidence = models.CharField(
        max_length=10,
        choices=SideEvidence.choices,
        default=SideEvidence.INDIRECT,
        help_text="For checks whose answers name a side: direct checks decide the side; indirect ones only when "
        "no direct check does.",
    )
    self_test = models.ForeignKey(
        SelfTest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text="Optional: the self-test page that explains how to check.",
    )
    image = PictureField(
        upload_to="assessment/", blank=True, help_text="Optional picture shown with it: PNG, JPEG, WebP or GIF."
    )
    image_alt = models.CharField(
        max_length=300, blank=True, help_text="Describe the picture for people who cannot see it."
    )

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "slug"], name="unique_question_slug_per_questionnaire")
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.kind == self.Kind.RED_FLAG and not self.urgency:
            raise ValidationError({"urgency": "A red flag needs an urgency, so the care page gives the right advice."})
        if self.kind != self.Kind.RED_FLAG and self.urgency:
            raise ValidationError({"urgency": "Only red flags have an urgency; leave this empty."})
        if self.pk and self.role == self.Role.CONTEXT and any(c.weights for c in self.choices.all()):
            raise ValidationError({"role": "Context questions are never scored: remove their answers' points first."})

    @property
    def is_red_flag(self):
        return self.kind == self.Kind.RED_FLAG


class Choice(PublicContent):
    """An answer a reader can pick, with what it suggests.

    ``weights`` maps imbalance codes to points (e.g. {"anterior-pelvic-tilt": 3}); ``finding`` says
    how strong a sign it is: only a clearly positive answer can make a pattern suggested. ``side_vote``
    says which side the answer points to, for the one-sided imbalances it gives weight to.
    """

    class SideVote(models.TextChoices):
        NONE = "", "No side"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"

    class Finding(models.TextChoices):
        NORMAL = "normal", "Nothing found"
        POSITIVE = "positive", "Clearly positive: enough on its own to suggest a pattern"
        WEAK = "weak", "Weak: a normal variant or supporting sign, never enough alone"
        UNSURE = "unsure", "Not sure, or couldn't do the check"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")
    label = models.CharField(max_length=200, help_text="The answer as the reader sees it.")
    weights = models.JSONField(default=dict, blank=True, help_text="Points per imbalance.")
    side_vote = models.CharField(
        max_length=5, choices=SideVote.choices, blank=True, help_text="The side this answer points to, if any."
    )
    finding = models.CharField(
        max_length=10,
        choices=Finding.choices,
        default=Finding.NORMAL,
        help_text="What this answer shows. An answer with points is positive or weak; "
        "a belt line lower at the front is weak, because most pain-free people have one.",
    )

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self):
        return self.label

    def clean(self):
        has_points = any(int(points or 0) > 0 for points in (self.weights or {}).values())
        if has_points and self.finding not in (self.Finding.POSITIVE, self.Finding.WEAK):
            raise ValidationError({"finding": "An answer with points is a positive or a weak sign."})
        if not has_points and self.finding in (self.Finding.POSITIVE, self.Finding.WEAK):
            raise ValidationError({"finding": "A positive or weak sign needs points for the pattern it fits."})
        question = getattr(self, "question", None) if self.question_id else None
        if has_points and question is not None and question.role == Question.Role.CONTEXT:
            raise ValidationError("This is a context question: its answers are never scored.")


class Assessment(models.Model):
    """A finished self-check, saved under a private link.

    Everything the result page shows is stored here when the reader finishes: the
    questions and answers as they were, the scores, the outcome and the plan. Nothing
    about the reader is stored beyond their answers. Results are deleted after
    ``RESULT_RETENTION_DAYS`` by ``purge_expired``.
    """

    class Outcome(models.TextChoices):
        ANTERIOR = "anterior-pelvic-tilt", "Anterior pelvic tilt"
        POSTERIOR = "posterior-pelvic-tilt", "Posterior pelvic tilt"
        LATERAL = "lateral-pelvic-tilt", "Lateral pelvic tilt"
        ROTATION = "pelvic-rotation", "Pelvic rotation"
        TIE = "tie", "More than one pattern"
        NONE = "none", "No pattern found"
        DISAGREE = "disagree", "The checks disagree"
        NOT_ENOUGH = "unsure", "Not enough to go on"

    class ResultSide(models.TextChoices):
        NOT_SIDED = "", "Not one-sided"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        UNCLEAR = "unclear", "Unclear"

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    questionnaire_version = models.PositiveIntegerField()
    answers = models.JSONField(default=list, help_text="The questions and chosen answers, as the reader saw them.")
    scores = models.JSONField(default=dict)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, db_index=True)
    side = models.CharField(max_length=10, choices=ResultSide.choices, blank=True, db_index=True)
    plan = models.JSONField(default=dict, help_text="The imbalances, reasons and bedtime routine shown.")
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="An earlier result."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "saved result"

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else "New result"

    # No get_absolute_url, on purpose: the admin would turn it into "View on site" and its /r/<type>/<id>/
    # shortcut, a way for any staff account to reach a reader's result by counting ids. Code that needs the
    # link builds it from the token: reverse("assessment:result", args=[token]).
