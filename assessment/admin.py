"""The self-check in the admin: build and version questionnaires, edit the imbalances, read results."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from backpain import reviews
from backpain.illustrations import is_static_file

from .models import (
    Assessment,
    Choice,
    GentleStretch,
    Imbalance,
    ImbalanceMuscle,
    Question,
    Questionnaire,
    SelfTest,
)

WEIGHT_LIMIT = 5


WEIGHT_FIELDS = {f"weight_{code.replace('-', '_')}": code for code in Imbalance.Code.values}


class BaseChoiceForm(forms.ModelForm):
    """A choice with one small number box per imbalance instead of raw JSON."""

    class Meta:
        model = Choice
        fields = ["order", "label", "finding", "side_vote"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weights = self.instance.weights or {}
        for name, code in WEIGHT_FIELDS.items():
            self.fields[name].initial = weights.get(code, 0)

    def clean(self):
        cleaned = super().clean()
        # Set before the model's own checks run, so they see the points being saved (a finding needs points).
        self.instance.weights = {code: cleaned[name] for name, code in WEIGHT_FIELDS.items() if cleaned.get(name)}
        return cleaned


# The admin only shows declared fields, so the four weight boxes are declared on the class itself.
ChoiceForm = type(
    "ChoiceForm",
    (BaseChoiceForm,),
    {
        name: forms.IntegerField(
            label=Imbalance.Code(code).label,
            required=False,
            min_value=-WEIGHT_LIMIT,
            max_value=WEIGHT_LIMIT,
            help_text="Points this answer adds; negative points count against.",
        )
        for name, code in WEIGHT_FIELDS.items()
    },
)


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceForm
    extra = 0
    fields = ["order", "label", "finding", *WEIGHT_FIELDS, "side_vote"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "slug", "kind", "role", "text", "urgency", "self_test"]
    show_change_link = True
    autocomplete_fields = ["self_test"]


def clone_questionnaire(questionnaire):
    """Deep-copy a questionnaire, its questions and choices into a new, inactive version."""
    latest = Questionnaire.objects.order_by("-version").values_list("version", flat=True).first() or 0
    questions = list(questionnaire.questions.prefetch_related("choices"))
    copy = Questionnaire.objects.create(
        version=latest + 1,
        title=questionnaire.title,
        is_active=False,
        notes=f"Copied from version {questionnaire.version}.",
    )
    for question in questions:
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


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["__str__", "version", "is_active", "question_count", "created_at", "preview_link"]
    list_filter = ["is_active"]
    readonly_fields = ["is_active", "created_at"]
    fieldsets = [
        (None, {"fields": ["version", "title", "notes", "is_active", "created_at"]}),
        (
            reviews.ADMIN_FIELDSET[0],
            {
                **reviews.ADMIN_FIELDSET[1],
                "description": "Covers the self-check's own pages: start, warning signs, care, GP advice and the "
                "result. " + reviews.ADMIN_FIELDSET[1]["description"],
            },
        ),
    ]
    inlines = [QuestionInline]
    actions = ["clone", "make_active"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, obj):
        return obj.question_total

    @admin.display(description="preview")
    def preview_link(self, obj):
        return format_html('<a href="{}">Preview</a>', reverse("assessment:preview", args=[obj.pk]))

    @admin.action(description="Clone to a new version (inactive)", permissions=["add"])
    def clone(self, request, queryset):
        with transaction.atomic():
            copies = [clone_questionnaire(questionnaire) for questionnaire in queryset.order_by("version")]
        versions = ", ".join(str(copy.version) for copy in copies)
        self.message_user(request, f"Created version {versions}. Edit it, preview it, then make it active.")

    @admin.action(description="Make active (readers take this version)", permissions=["change"])
    def make_active(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one questionnaire to make active.", messages.ERROR)
            return
        chosen = queryset.get()
        with transaction.atomic():
            Questionnaire.objects.filter(is_active=True).exclude(pk=chosen.pk).update(is_active=False)
            Questionnaire.objects.filter(pk=chosen.pk).update(is_active=True)
        self.message_user(request, f"Version {chosen.version} is now live. Readers mid-way will be asked to restart.")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "questionnaire", "order", "kind", "role", "urgency"]
    list_filter = ["questionnaire", "kind", "role", "urgency"]
    search_fields = ["text", "slug"]
    list_select_related = ["questionnaire"]
    autocomplete_fields = ["self_test"]
    inlines = [ChoiceInline]
    fieldsets = [
        (None, {"fields": ["questionnaire", "order", "slug", "kind", "text", "help_text", "urgency"]}),
        ("Scoring", {"fields": ["role", "side_evidence"]}),
        ("Help for the reader", {"fields": ["self_test", "image", "image_alt"]}),
    ]


@admin.register(SelfTest)
class SelfTestAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "thumbnail", "order", "updated_at"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "you_need", "steps", "what_it_tells_you", "safety"]}),
        ("Picture", {"fields": ["illustration", "picture_preview", "illustration_alt"]}),
        (None, {"fields": ["minutes", "order"]}),
        reviews.ADMIN_FIELDSET,
    ]
    readonly_fields = ["picture_preview"]

    class Media:
        css = {"all": ["css/admin_pictures.css"]}

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        return self.picture(obj, width=96)

    @admin.display(description="Drawing as saved")
    def picture_preview(self, obj):
        return self.picture(obj, width=320)

    @staticmethod
    def picture(obj, width):
        """The saved drawing at ``width`` pixels, or a dash when there is none (or its file has gone)."""
        if not (obj.illustration and is_static_file(obj.illustration)):
            return "–"
        return format_html(
            '<img class="admin-picture" src="{}" alt="{}" width="{}">',
            static(obj.illustration),
            obj.illustration_alt,
            width,
        )


class ImbalanceMuscleInline(admin.TabularInline):
    model = ImbalanceMuscle
    extra = 0
    fields = ["order", "muscle", "side", "stretch"]


@admin.register(Imbalance)
class ImbalanceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "side_reading", "order"]
    fields = [
        "slug",
        "name",
        "summary",
        "side_reading",
        "other_tight_muscles",
        "muscles_to_strengthen",
        "strengthening",
        "order",
    ]
    inlines = [ImbalanceMuscleInline]


@admin.register(GentleStretch)
class GentleStretchAdmin(admin.ModelAdmin):
    """The gentle general routine, for readers whose checks fit no pattern, disagree or were too unsure."""

    list_display = ["stretch", "order"]
    list_editable = ["order"]
    autocomplete_fields = ["stretch"]


def table_of(rows):
    """A two-column table (label, value) for a read-only admin field, escaped; a dash when there are no rows."""
    cells = format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td></tr>", rows)
    return format_html("<table><tbody>{}</tbody></table>", cells) if cells else "–"


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Saved results, read-only, for spotting trends: outcome, scores and answers.

    Only for those given the permission to view results; the permission to change them is not enough (Django
    would otherwise let it stand in), and staff with neither see nothing of them, not even in the index. The
    token, a result's key, is never shown, and nothing links to the reader's own page: no "View on site",
    and the model has no ``get_absolute_url`` for the admin's ``r/<type>/<id>/`` shortcut to follow.
    """

    list_display = ["created_at", "outcome", "side", "questionnaire_version", "compared"]
    list_filter = ["outcome", "side", "questionnaire", "created_at"]
    date_hierarchy = "created_at"
    fields = ["created_at", "questionnaire", "questionnaire_version", "outcome", "side", "score_table", "answer_table"]
    readonly_fields = fields
    actions = ["export_csv"]
    change_list_template = "admin/assessment/assessment/change_list.html"
    view_on_site = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("assessment.view_assessment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The delete page names the result's outcome, so deleting needs the permission to view as well.
        return self.has_view_permission(request, obj) and super().has_delete_permission(request, obj)

    @admin.display(description="scores")
    def score_table(self, obj):
        names = {**dict(Imbalance.Code.choices), **obj.plan.get("names", {})}
        return table_of((names.get(code, code), score) for code, score in obj.scores.items())

    @admin.display(description="answers")
    def answer_table(self, obj):
        items = [item for item in obj.answers if isinstance(item, dict)]
        return table_of((item.get("question", ""), item.get("answer", "")) for item in items)

    @admin.display(boolean=True, description="retake")
    def compared(self, obj):
        return obj.previous_id is not None

    def get_urls(self):
        summary = path("summary/", self.admin_site.admin_view(self.summary_view), name="assessment_summary")
        return [summary, *super().get_urls()]

    def summary_view(self, request):
        """Render counts of results per outcome and per side (of the filtered list's base: all results)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = Assessment.objects.values("outcome", "side").annotate(total=Count("id")).order_by("outcome", "side")
        outcomes = dict(Assessment.Outcome.choices)
        sides = dict(Assessment.ResultSide.choices)
        context = {
            **self.admin_site.each_context(request),
            "title": "Self-check results: summary",
            "opts": self.model._meta,
            "rows": [
                {**r, "outcome": outcomes.get(r["outcome"], r["outcome"]), "side": sides.get(r["side"], r["side"])}
                for r in rows
            ],
            "by_outcome": [
                {"outcome": outcomes.get(r["outcome"], r["outcome"]), "total": r["total"]}
                for r in Assessment.objects.values("outcome").annotate(total=Count("id")).order_by("-total")
            ],
            "grand_total": Assessment.objects.count(),
        }
        return TemplateResponse(request, "admin/assessment/assessment/summary.html", context)

    @admin.action(description="Export selected results as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="self-check-results.csv"'
        writer = csv.writer(response)
        codes = Imbalance.Code.values
        writer.writerow(["created_at", "questionnaire_version", "outcome", "side", *codes])
        for item in queryset.order_by("created_at"):
            scores = [item.scores.get(code, "") for code in codes]
            writer.writerow([item.created_at.isoformat(), item.questionnaire_version, item.outcome, item.side, *scores])
        return response
