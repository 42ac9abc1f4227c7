"""The self-check in the admin: build and version questionnaires, edit the imbalances, read results."""

import csv
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from articles.admin.pending import PendingChangesAdmin
from backpain import reviews
from backpain.history import HistoryAdmin
from backpain.illustrations import is_static_file
from backpain.locking import LOCK_FIELD

from .forms import TryItForm
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
from .results import score_run
from .views import STOPPING, URGENCY_ORDER

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


def is_draft(questionnaire):
    """True for a draft, and for a form not tied to a version yet (adding one)."""
    return questionnaire is None or questionnaire.is_draft


def can_start_draft(request):
    return request.user.has_perm("assessment.add_questionnaire") and request.user.has_perm(
        "assessment.change_questionnaire"
    )


def saves_into_new_draft(request, questionnaire):
    """True for the live version while there is no draft: its question forms can be saved, and saving one copies
    the version into a new draft that takes the change (``QuestionAdmin.save_into_new_draft``)."""
    return (
        questionnaire is not None
        and questionnaire.is_active
        and can_start_draft(request)
        and not Questionnaire.objects.drafts().exists()
    )


class DraftOnlyInline:
    """An inline whose rows can change only while their questionnaire version is a draft."""

    def version_of(self, obj):
        return obj

    def takes_changes(self, request, obj):
        return is_draft(self.version_of(obj))

    def has_add_permission(self, request, obj=None):
        return self.takes_changes(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.takes_changes(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.takes_changes(request, obj) and super().has_delete_permission(request, obj)


class ChoiceInline(DraftOnlyInline, admin.TabularInline):
    model = Choice
    form = ChoiceForm
    extra = 0
    fields = ["order", "label", "finding", *WEIGHT_FIELDS, "side_vote"]

    def version_of(self, obj):
        return obj.questionnaire if obj is not None else None

    def takes_changes(self, request, obj):
        return super().takes_changes(request, obj) or saves_into_new_draft(request, self.version_of(obj))


class QuestionInline(DraftOnlyInline, admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "slug", "kind", "role", "text", "urgency", "self_test"]
    show_change_link = True
    autocomplete_fields = ["self_test"]


def published_date(questionnaire):
    return date_format(timezone.localtime(questionnaire.published_at), "j F Y") if questionnaire.published_at else ""


def version_refusal(questionnaire):
    """Why a published version's rows are not saved, for the message an editor sees."""
    draft = Questionnaire.objects.draft()
    if questionnaire.is_active and draft is not None:
        return (
            f"Not saved: version {questionnaire.version} is live, and your changes go into draft version "
            f"{draft.version}, which already holds changes not yet published. Make your change there: "
            "“Open this question in draft version …” below."
        )
    if questionnaire.is_active:
        return (
            f"Not saved: version {questionnaire.version} is live, so readers' runs and results depend on it. "
            "Use “Change it in a draft” to make your change in a draft, then publish the draft."
        )
    return (
        f"Not saved: version {questionnaire.version} is retired, and saved results were scored with it. "
        "Make changes in the draft of the live version."
    )


def differences(live, draft):
    """What publishing ``draft`` would change for readers, compared with ``live``, as short sentences."""
    before = {q.slug: q for q in live.questions.all()} if live else {}
    after = {q.slug: q for q in draft.questions.all()}
    changes = []
    for slug, question in after.items():
        old = before.get(slug)
        if old is None:
            changes.append(f"New: “{question.text}”")
            continue
        if old.text != question.text:
            changes.append(f"Reworded: “{old.text}” is now “{question.text}”")
        answers = lambda q: [(c.label, c.weights, c.finding, c.side_vote) for c in q.choices.all()]  # noqa: E731
        fields = ("kind", "role", "urgency", "side_evidence", "help_text", "self_test_id", "order")
        if answers(old) != answers(question):
            changes.append(f"Answers or points changed: “{question.text}”")
        elif any(getattr(old, name) != getattr(question, name) for name in fields):
            changes.append(f"Settings or help changed: “{question.text}”")
    changes += [f"Removed: “{q.text}”" for slug, q in before.items() if slug not in after]
    return changes


class QuestionnaireForm(forms.ModelForm):
    """A version; a new one is a draft, and there is one draft at a time, so "the draft" is never ambiguous."""

    class Meta:
        model = Questionnaire
        fields = ["version", "title", "notes"]

    def clean(self):
        cleaned = super().clean()
        existing = Questionnaire.objects.draft() if self.instance._state.adding else None
        if existing is not None:
            raise forms.ValidationError(
                f"Draft version {existing.version} already exists: change it, publish it or delete it first."
            )
        return cleaned


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Versions of the self-check. The live one is never changed in place: changes go into a draft, which an
    editor tries out (the "try it" page) and publishes; old results and runs keep their own version."""

    list_display = ["__str__", "version", "status", "question_count", "published_at", "preview_link"]
    list_filter = ["is_active"]
    readonly_fields = ["status", "created_at", "published_at"]
    fieldsets = [
        (None, {"fields": ["version", "title", "notes", "status", "created_at", "published_at"]}),
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
    actions = ["start_draft", "publish"]
    form = QuestionnaireForm
    change_form_template = "admin/assessment/questionnaire/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    def get_readonly_fields(self, request, obj=None):
        # A published version keeps its questions and its name; its notes and review dates stay editable.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if is_draft(obj) else ["version", "title", *fields]

    def has_delete_permission(self, request, obj=None):
        return is_draft(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would delete published versions too; delete a draft on its page
        return actions

    @admin.display(description="questions", ordering="question_total")
    def question_count(self, obj):
        return obj.question_total

    @admin.display(description="preview")
    def preview_link(self, obj):
        return format_html('<a href="{}">Preview</a>', reverse("assessment:preview", args=[obj.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("try-it/", view(self.try_it_view), name="assessment_questionnaire_try_it"),
            path("<int:pk>/change-in-draft/", view(self.change_in_draft_view), name="assessment_questionnaire_draft"),
            path("<int:pk>/publish/", view(self.publish_view), name="assessment_questionnaire_publish"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["version"] = version_context(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and not obj.is_draft and self.inline_rows_posted(request):
                self.message_user(request, version_refusal(obj), messages.ERROR)
                return redirect(request.path)
        return super().changeform_view(request, object_id, form_url, extra_context)

    @staticmethod
    def inline_rows_posted(request):
        """True when a POST carries question rows, as a page opened while the version was a draft does."""
        return any(key.startswith("questions-") and key.endswith("-text") for key in request.POST)

    def change_in_draft_view(self, request, pk):
        """POST: open the draft instead of published version ``pk`` (copied from it the first time), at the question."""
        if request.method != "POST":
            return redirect("admin:assessment_questionnaire_change", pk)
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = get_object_or_404(Questionnaire, pk=pk)
        with transaction.atomic():
            existing = Questionnaire.objects.draft()
            draft = existing or version.start_draft()
        if existing:
            self.message_user(request, f"Draft version {draft.version} already holds changes not yet published.")
        else:
            live = Questionnaire.objects.active().first()
            self.message_user(
                request,
                f"Draft version {draft.version} is a copy of version {version.version}: make your changes here. "
                f"Readers keep taking version {live.version if live else version.version} until you publish the draft.",
                messages.SUCCESS,
            )
        question = draft.questions.filter(slug=request.POST.get("question", "")[:60]).first()
        if question is not None:
            return redirect("admin:assessment_question_change", question.pk)
        return redirect("admin:assessment_questionnaire_change", draft.pk)

    def publish_view(self, request, pk):
        """Render what publishing draft ``pk`` changes and ask to confirm; the POST publishes it."""
        if not request.user.has_perm("assessment.publish_questionnaire"):
            raise PermissionDenied
        draft = get_object_or_404(Questionnaire.objects.prefetch_related(VERSION_QUESTIONS), pk=pk)
        if not draft.is_draft:
            self.message_user(request, f"Version {draft.version} is already published.", messages.WARNING)
            return redirect("admin:assessment_questionnaire_change", draft.pk)
        live = Questionnaire.objects.active().prefetch_related(VERSION_QUESTIONS).first()
        if request.method == "POST":
            with transaction.atomic():
                draft.publish(timezone.now())
            self.message_user(
                request,
                f"Version {draft.version} is live: new runs of the self-check use it. Readers part-way through keep "
                "the version they started with, and saved results keep theirs.",
                messages.SUCCESS,
            )
            return redirect("admin:assessment_questionnaire_change", draft.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Publish version {draft.version}?",
            "opts": self.model._meta,
            "draft": draft,
            "live": live,
            "changes": differences(live, draft),
        }
        return TemplateResponse(request, "admin/assessment/questionnaire/publish.html", context)

    @admin.action(description="Start a draft from the selected version", permissions=["add"])
    def start_draft(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose one version to copy into a draft.", messages.ERROR)
            return None
        existing = Questionnaire.objects.draft()
        if existing is not None:
            self.message_user(
                request,
                f"Draft version {existing.version} already exists: change it, publish it or delete it first.",
                messages.ERROR,
            )
            return None
        with transaction.atomic():
            draft = queryset.get().start_draft()
        self.message_user(request, f"Created draft version {draft.version}. Change it, try it, then publish it.")
        return redirect("admin:assessment_questionnaire_change", draft.pk)

    @admin.action(description="Publish the selected draft…", permissions=["publish"])
    def publish(self, request, queryset):
        drafts = list(queryset.filter(published_at__isnull=True)[:2])
        if len(drafts) != 1 or queryset.count() != 1:
            self.message_user(request, "Choose one draft to publish.", messages.ERROR)
            return None
        return redirect("admin:assessment_questionnaire_publish", drafts[0].pk)

    def has_publish_permission(self, request):
        return request.user.has_perm("assessment.publish_questionnaire")

    def try_it_view(self, request):
        """Render the self-check's questions for an editor to answer, and what the draft and the live version give.

        Scored by the site's own rules (``results.score_run``, over ``assessment.scoring``); nothing is saved.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        live = Questionnaire.objects.active().prefetch_related(VERSION_QUESTIONS).first()
        draft = Questionnaire.objects.drafts().order_by("-version").prefetch_related(VERSION_QUESTIONS).first()
        asked_version = draft or live
        context = {
            **self.admin_site.each_context(request),
            "title": "Try the self-check",
            "opts": self.model._meta,
            "live": live,
            "draft": draft,
            "asked_version": asked_version,
        }
        if asked_version is None:
            return TemplateResponse(request, "admin/assessment/questionnaire/try_it.html", context)
        questions = list(asked_version.questions.all())
        red_flags = [q for q in questions if q.is_red_flag]
        asked = [q for q in questions if not q.is_red_flag]
        form = TryItForm(request.POST if request.method == "POST" else None, red_flags=red_flags, asked=asked)
        context["form"] = form
        status = 200
        if request.method == "POST":
            if form.is_valid():
                ticked, picked = form.answers()
                context["columns"] = [
                    try_version(version, ticked, picked, label)
                    for version, label in ((draft, "Draft"), (live, "Live"))
                    if version is not None
                ]
            else:
                status = 400
        return TemplateResponse(request, "admin/assessment/questionnaire/try_it.html", context, status=status)


VERSION_QUESTIONS = Prefetch(
    "questions",
    queryset=Question.objects.select_related("self_test").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
    ),
)


def version_context(request, questionnaire, question=None):
    """What the banner above a version's (or its ``question``'s) change form says and offers."""
    return {
        "questionnaire": questionnaire,
        "question": question,
        "published": published_date(questionnaire),
        "draft": None if questionnaire.is_draft else Questionnaire.objects.draft(),
        "can_draft": can_start_draft(request),
        "saving_makes_draft": question is not None and saves_into_new_draft(request, questionnaire),
        "can_publish": request.user.has_perm("assessment.publish_questionnaire"),
    }


def try_version(questionnaire, ticked, picked, label):
    """What one version gives for the answers: the care page it stops at, or its scores, outcome and plan.

    ``ticked`` are the slugs of the warning signs ticked; ``picked`` maps each question's slug to the position of
    its chosen answer (the first answer is 0), so a draft's reworded answers line up with the live version's.
    """
    questions = list(questionnaire.questions.all())
    column = {"questionnaire": questionnaire, "label": label, "published": published_date(questionnaire)}
    signs = [q for q in questions if q.is_red_flag and q.slug in ticked]
    stopping = [q for q in signs if q.urgency in STOPPING]
    if stopping:
        tier = next(u for u in URGENCY_ORDER if any(q.urgency == u for q in stopping))
        column["care"] = {"tier": Question.Urgency(tier).label, "signs": [q.text for q in stopping]}
        return column
    asked = [q for q in questions if not q.is_red_flag]
    chosen, missing = {}, []
    for question in asked:
        choices = list(question.choices.all())
        position = picked.get(question.slug)
        if position is None or position >= len(choices):
            missing.append(question.text)
        else:
            chosen[question.pk] = choices[position]
    if missing:
        column["missing"] = missing
        return column
    gp_advice = {"signs": [q.text for q in signs], "checked": None} if signs else {}
    result = score_run(asked, chosen, gp_advice)
    plan = result["plan"]
    column.update(
        outcome=Assessment.Outcome(result["outcome"]).label,
        side=Assessment.ResultSide(result["side"]).label if result["side"] else "",
        scores=[
            {"name": plan["names"].get(code, code), "score": points, "max": plan["max_scores"].get(code, 0)}
            for code, points in result["scores"].items()
        ],
        plan=plan,
        answers=[(q.text, chosen[q.pk].label) for q in asked],
    )
    return column


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """A question of one version, with its answers. Only a draft's questions change; a published version's are
    shown read-only, with a button that opens the same question in the draft."""

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
    change_form_template = "admin/assessment/question/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("questionnaire")

    def has_change_permission(self, request, obj=None):
        # A published version's questions are read-only (its runs and results depend on them), except that the
        # live version's can be saved while there is no draft: saving makes the draft, which takes the change.
        editable = obj is None or obj.questionnaire.is_draft or saves_into_new_draft(request, obj.questionnaire)
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.questionnaire.is_draft) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would delete a published version's questions too
        return actions

    def get_readonly_fields(self, request, obj=None):
        # A question stays in its version: a draft's copy of a live question is found by its slug.
        return ["questionnaire"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "questionnaire":
            kwargs["queryset"] = Questionnaire.objects.drafts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["version"] = version_context(request, obj.questionnaire, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and not obj.questionnaire.is_draft:
                with transaction.atomic():
                    draft = saves_into_new_draft(request, obj.questionnaire) and obj.questionnaire.start_draft()
                if not draft:
                    self.message_user(request, version_refusal(obj.questionnaire), messages.ERROR)
                    return redirect(request.path)
                return self.save_into_new_draft(request, obj, draft, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_into_new_draft(self, request, live_question, draft, extra_context):
        """Save a live question's form into the same question of ``draft``, a copy of the live version made just now.

        The form's answer rows are the live version's; each is matched with its copy (the copy keeps their order),
        so the change lands on the copy and the live version stays as it was.
        """
        question = draft.questions.get(slug=live_question.slug)
        copies = dict(
            zip(
                [str(pk) for pk in live_question.choices.order_by("order", "id").values_list("pk", flat=True)],
                [str(pk) for pk in question.choices.order_by("order", "id").values_list("pk", flat=True)],
                strict=True,
            )
        )
        data = request.POST.copy()
        for key in list(data):
            if re.fullmatch(r"choices-\d+-id", key):
                data[key] = copies.get(data[key], "")  # an id from anywhere else is the form's own error
            elif re.fullmatch(r"choices-\d+-question", key):
                data[key] = str(question.pk)
        # The copy was made now, from the live version as stored: the editor's page showed exactly that.
        data[LOCK_FIELD] = self.get_form(request, question, change=True)(instance=question).fields[LOCK_FIELD].initial()
        request.POST = data
        url = reverse("admin:assessment_question_change", args=[question.pk])
        response = super().changeform_view(request, str(question.pk), url, extra_context)
        live = live_question.questionnaire.version
        if response.status_code == 302:
            self.message_user(
                request,
                f"Saved in draft version {draft.version}, a copy of live version {live} made for your change. "
                f"Readers keep taking version {live} until you publish the draft.",
                messages.SUCCESS,
            )
            return redirect(url)
        self.message_user(
            request,
            f"Not saved yet: draft version {draft.version} (a copy of live version {live}) is ready for your change. "
            "Put right what the form says, then save again.",
            messages.WARNING,
        )
        return response


@admin.register(SelfTest)
class SelfTestAdmin(PendingChangesAdmin, HistoryAdmin):
    """Every self-test page is public, so any change may be saved for later (``PendingChangesAdmin``)."""

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

    def preview_response(self, request, test, form):
        """The self-test page as readers would see it with the form's values."""
        test.render_html()
        context = {"test": test, "back": None, "unsaved_preview": True}
        return TemplateResponse(request, "assessment/self_test.html", context)

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
    fields = ["created_at", "scored_with", "outcome", "side", "score_table", "answer_table"]
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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("questionnaire")

    @admin.display(description="scored with")
    def scored_with(self, obj):
        """The version the result was scored with, as its page says it, linked to that version."""
        if obj.questionnaire is None:
            return f"Self-check version {obj.questionnaire_version} (since deleted)"
        published = published_date(obj.questionnaire)
        return format_html(
            '<a href="{}">Self-check version {}</a>{}',
            reverse("admin:assessment_questionnaire_change", args=[obj.questionnaire_id]),
            obj.questionnaire_version,
            f", published {published}" if published else "",
        )

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
