"""Muscle guides and their stretches."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from backpain import reviews
from backpain.history import HistoryAdmin

from ..forms import MuscleAdminForm, StretchAdminForm
from ..models import (
    Article,
    Muscle,
    Stretch,
)
from ..views.guides import muscle_context, stretch_context
from .pending import PendingChangesAdmin

PICTURE_AND_VIDEO_FIELDS = [
    "illustration",
    "image",
    "image_alt",
    "video_url",
    "video_seconds",
    "video_file",
    "captions_file",
]


@admin.register(Muscle)
class MuscleAdmin(PendingChangesAdmin, HistoryAdmin):
    """Every muscle page is public, so any change may be saved for later (``PendingChangesAdmin``)."""

    form = MuscleAdminForm
    # Stretches are edited on their own pages: inlined, the muscle page ran to 7,000 px. It lists them instead.
    readonly_fields = ["stretch_links"]
    list_display = ["name", "slug", "body_view", "stretch_count", "order", "updated_at"]
    list_editable = ["order"]
    list_filter = ["body_view"]
    ordering = ["order", "name"]  # explicit: Meta.ordering is dropped once stretches are counted
    search_fields = ["name", "other_names", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    save_on_top = True
    # Readers' comments protect a muscle page from deletion; this page says so and why.
    delete_confirmation_template = "admin/articles/muscle/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/articles/muscle/delete_selected_confirmation.html"
    fieldsets = [
        (None, {"fields": ["name", "slug", "other_names", "summary", "order"]}),
        ("About the muscle", {"fields": ["location", "action", "why_it_tightens"]}),
        ("Trigger points", {"fields": ["trigger_points", "referred_pain", "referral_regions"]}),
        ("Body map", {"fields": ["body_view"]}),
        ("Stretches", {"fields": ["stretch_links"]}),
        reviews.ADMIN_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stretch_total=Count("stretches"))

    def preview_response(self, request, muscle, form):
        """The muscle's page as readers would see it with the form's values, without its comments."""
        muscle.render_html()
        articles = (
            Article.objects.published().filter(related_muscles=muscle).select_related("category").order_by("title")
        )
        context = {**muscle_context(muscle, articles), "comment_form": None, "unsaved_preview": True}
        return TemplateResponse(request, "articles/muscle_detail.html", context)

    @admin.display(description="Stretches", ordering="stretch_total")
    def stretch_count(self, muscle):
        return muscle.stretch_total

    @admin.display(description="This muscle's stretches")
    def stretch_links(self, muscle):
        """The muscle's stretches in reading order, each linking to its own page, and a link to add one here."""
        if muscle is None or muscle.pk is None:
            return "Save the muscle first; then add its stretches from here."
        stretches = muscle.stretches.order_by("order", "name").only("pk", "name")
        listing = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            ((reverse("admin:articles_stretch_change", args=[stretch.pk]), stretch.name) for stretch in stretches),
        )
        # Prefilled with this muscle; once saved, Django goes back to the stretches list filtered to it.
        add = format_html(
            '<a class="addlink" href="{}?{}">Add a stretch for this muscle</a>',
            reverse("admin:articles_stretch_add"),
            urlencode({"muscle": muscle.pk, "_changelist_filters": urlencode({"muscle__id__exact": muscle.pk})}),
        )
        if not listing:
            return format_html("<p>No stretches yet.</p><p>{}</p>", add)
        return format_html('<ol class="stretch-links">{}</ol><p>{}</p>', listing, add)


@admin.register(Stretch)
class StretchAdmin(PendingChangesAdmin, HistoryAdmin):
    """Every stretch page is public, so any change may be saved for later (``PendingChangesAdmin``)."""

    form = StretchAdminForm
    # The changelist's list_editable form is built from every field; Django 6 makes https the default scheme.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "muscle", "technique", "dose", "sides", "order", "has_video"]
    list_editable = ["order"]
    list_filter = ["muscle", "technique", "sides"]
    list_select_related = ["muscle"]
    search_fields = ["name", "summary", "muscle__name"]
    prepopulated_fields = {"slug": ["name"]}
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["muscle", ("name", "slug", "order"), "summary", "technique", "steps"]}),
        (
            "Dose",
            {
                "fields": [
                    ("hold_seconds", "repetitions", "rest_seconds"),
                    ("contract_seconds", "relax_seconds"),
                    "sides",
                ],
                "description": "Contract-relax: push for the contract time, relax, then stretch for the hold time.",
            },
        ),
        ("Safety", {"fields": ["what_you_should_feel", "cautions"]}),
        (
            "Picture and video",
            {
                "fields": PICTURE_AND_VIDEO_FIELDS,
                "description": "A picture needs a description. Videos are loaded only when the reader clicks.",
            },
        ),
        reviews.ADMIN_FIELDSET,
    ]

    def preview_response(self, request, stretch, form):
        """The stretch's page as readers would see it with the form's values (moved muscle included)."""
        stretch.render_html()
        others = stretch.muscle.stretches.exclude(pk=stretch.pk)
        context = {
            **stretch_context(stretch.muscle, stretch, others),
            "helpful_vote_form": None,
            "unsaved_preview": True,
        }
        return TemplateResponse(request, "articles/stretch_detail.html", context)

    @admin.display(description="Dose")
    def dose(self, stretch):
        if stretch.is_contract_relax:
            return f"{stretch.repetitions} × push {stretch.contract_seconds}s, stretch {stretch.hold_seconds}s"
        return f"{stretch.repetitions} × {stretch.hold_seconds}s"

    @admin.display(description="Video", boolean=True)
    def has_video(self, stretch):
        return bool(stretch.video_url or stretch.video_file)
