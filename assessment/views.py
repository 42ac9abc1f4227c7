"""
The imbalance self-check: start, red-flag screen, one question per page, check your
answers, and the saved result.

A run lives in the session under ``SESSION_KEY`` until the reader finishes:

    {"questionnaire": id, "token": the result's future token,
     "screen": "gp" (routine signs ticked, advice not yet read), "clear" or "care",
     "signs": [ticked sign ids], "care": [ticked signs, for the care page],
     "gp": {"signs": [routine signs' text], "checked": bool}, "answers": {question id: choice id},
     "previous": token, "result": token}

The token is chosen when the run starts, so submitting twice can only ever save one result. Ticking an
emergency or same-day sign and saving the result both happen in a transaction that reads the stored
session, so two tabs racing each other can never leave a saved plan beside a care page.

A result's link is its key, but a browser that did not save or open it first sees a one-click step
(``result_gate``): programs that fetch links (search engines, link previews in chat and mail apps, mail
scanners, prefetching) never see anyone's answers. The step says ``noindex``, so the link itself stays out
of search results. The pages that show a reader's own run or result need no ``noindex``: a crawler has no
session, so it is redirected to the start or gets the step.
"""

import copy
import functools
import hashlib
import math
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import SIDE_EACH, SIDE_LEFT, SIDE_RIGHT, Muscle, Stretch
from backpain.headers import no_referrer, same_origin_referrer
from backpain.pagecache import cache_public_page, version_key, versioned

from . import ics
from .forms import AnswerForm, CheckedForm, RedFlagForm, ReminderForm, StartForm
from .models import Assessment, Choice, Imbalance, Question, Questionnaire, SelfTest, new_token
from .results import BOTH_LEGS, create_assessment

SESSION_KEY = "selfcheck"
# Tokens of the results this browser saved or opened, newest first: these open without the one-click step.
OPENED_KEY = "selfcheck_results"
OPENED_LIMIT = 20
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
URGENCY_ORDER = [Question.Urgency.EMERGENCY, Question.Urgency.SAME_DAY, Question.Urgency.ROUTINE]
STOPPING = {Question.Urgency.EMERGENCY, Question.Urgency.SAME_DAY}
PAGE_SIDES = {SIDE_LEFT, SIDE_RIGHT, SIDE_EACH}
REMINDER_NIGHTS = 42  # six weeks, then a prompt to review progress
STEP_QUESTIONS = Prefetch(
    "questions",
    queryset=Question.objects.select_related("self_test").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
    ),
)


def noindex(view):
    """Keep a page out of search engines: a header as well as the template's meta tag."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def remember_result(request, token):
    """Let this browser open the result ``token`` straight away from now on (the latest ``OPENED_LIMIT``)."""
    opened = request.session.get(OPENED_KEY)
    opened = [other for other in opened if other != token] if isinstance(opened, list) else []
    request.session[OPENED_KEY] = [token, *opened][:OPENED_LIMIT]


def opened_here(request, token):
    opened = request.session.get(OPENED_KEY)
    return isinstance(opened, list) and token in opened


def restart(request, text):
    """Send the reader to the start page with a friendly note, forgetting any half-finished run."""
    request.session.pop(SESSION_KEY, None)
    messages.info(request, text)
    return redirect("assessment:start")


def posted(request):
    """The POST data, or None for a GET. Unlike ``request.POST or None``, an empty POST still validates (and fails)."""
    return request.POST if request.method == "POST" else None


def with_run(view):
    """Load the reader's run and its questionnaire, or restart kindly when there is none or it changed."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        state = request.session.get(SESSION_KEY)
        if not isinstance(state, dict) or "questionnaire" not in state:
            return restart(request, "Your answers have expired, or the self-check had not started. Please start here.")
        # The version the reader started with, even if a newer one went live since: published versions never
        # change, so the run carries on as it began. Only a version deleted meanwhile makes it start again.
        questionnaire = (
            Questionnaire.objects.published().filter(pk=state["questionnaire"]).prefetch_related(STEP_QUESTIONS).first()
        )
        if questionnaire is None:
            return restart(request, "The self-check was updated since you started, so please start again. Sorry!")
        if state.get("result"):
            return redirect("assessment:result", state["result"])
        questions = list(questionnaire.questions.all())
        run = {
            "state": state,
            "questionnaire": questionnaire,
            "red_flags": [q for q in questions if q.is_red_flag],
            "asked": [q for q in questions if not q.is_red_flag],
        }
        return view(request, run, *args, **kwargs)

    return wrapped


def save_state(request, state):
    request.session[SESSION_KEY] = state
    request.session.modified = True


def first_unanswered(run):
    """The 1-based number of the first question without an answer, or None when all are answered."""
    answers = run["state"].get("answers", {})
    for number, question in enumerate(run["asked"], start=1):
        if str(question.pk) not in answers:
            return number
    return None


def resume_url(state, total=None):
    """Where a half-finished run carries on: the step the reader had reached, or None for no run.

    ``total`` is the number of questions asked: with all of them answered, the reader goes on to check them.
    """
    if not isinstance(state, dict) or "questionnaire" not in state:
        return None
    if state.get("result"):
        return reverse("assessment:result", args=[state["result"]])
    screen = state.get("screen")
    if screen == "care":
        return reverse("assessment:care")
    if screen == "gp":
        return reverse("assessment:gp-advice")
    if screen != "clear":
        return reverse("assessment:warning-signs")
    answered = len(state.get("answers") or {})
    if total is not None and answered >= total:
        return reverse("assessment:check")
    return reverse("assessment:question", args=[answered + 1])


def minutes_to_take(questionnaire):
    """How long the self-check takes: each home check's timed minutes, plus reading every question and sign.

    Reading is counted at 200 words a minute, a usual adult pace; the total is rounded up to 5 minutes.
    """
    questions = list(questionnaire.questions.select_related("self_test"))
    tests = {q.self_test.pk: q.self_test.minutes for q in questions if q.self_test is not None}
    words = sum(len(f"{q.text} {q.help_text}".split()) for q in questions)
    words += sum(len(c.label.split()) for c in Choice.objects.filter(question__questionnaire=questionnaire))
    total = sum(tests.values()) + words / 200
    return max(5, 5 * math.ceil(total / 5))


@require_http_methods(["GET", "POST"])
@cache_public_page(query=["previous"])
def start(request):
    """Render the start page (what the self-check is, how long, not a diagnosis); a POST starts a fresh run.

    A reader with a run under way is offered to carry on where they left off; starting again clears it.
    """
    form = StartForm(posted(request), initial={"previous": request.GET.get("previous", "")})
    questionnaire = Questionnaire.objects.active().first()
    if request.method == "POST" and questionnaire is not None:
        # The earlier result only adds a comparison: a damaged link starts a plain run rather than
        # showing the start page again with nothing to say why.
        previous = form.cleaned_data["previous"] if form.is_valid() else ""
        state = {"questionnaire": questionnaire.pk, "token": new_token(), "answers": {}}
        if previous and TOKEN_RE.match(previous) and Assessment.objects.filter(token=previous).exists():
            state["previous"] = previous
        request.session.cycle_key()
        save_state(request, state)
        return redirect("assessment:warning-signs")
    state = request.session.get(SESSION_KEY) if request.COOKIES.get(settings.SESSION_COOKIE_NAME) else None
    resume = None
    started = state.get("questionnaire") if isinstance(state, dict) else None
    if (
        questionnaire is not None
        and isinstance(started, int)
        and Questionnaire.objects.published().filter(pk=started).exists()
    ):
        asked = Question.objects.filter(questionnaire=started).exclude(kind=Question.Kind.RED_FLAG).count()
        finished = state.get("result") or state.get("screen") == "care"
        resume = None if finished else resume_url(state, asked)
    context = {
        "form": form,
        "questionnaire": questionnaire,
        "resume": resume,
        "answered": len(state.get("answers") or {}) if resume else 0,
        "minutes": minutes_to_take(questionnaire) if questionnaire else None,
    }
    return render(request, "assessment/start.html", context)


def stored_state(request):
    """The run as it is stored now, read inside the caller's transaction (locking the session row where possible).

    A request's ``request.session`` was loaded when the request began; another tab may have changed it since.
    """
    store = request.session
    key = store.session_key
    if key is None:
        return None
    model = getattr(store, "get_model_class", None)
    if model is not None:
        row = model().objects.select_for_update().filter(session_key=key).first()
        data = store.decode(row.session_data) if row is not None else {}
    else:
        data = type(store)(key).load()
    return data.get(SESSION_KEY)


def save_now(request, state):
    """Write the run to the session store at once (inside the caller's transaction), not after the response."""
    save_state(request, state)
    request.session.save()
    request.session.modified = False


@never_cache
@require_http_methods(["GET", "POST"])
@with_run
def warning_signs(request, run):
    """Render the warning-sign screen.

    An emergency or same-day sign stops the run at its care page. Routine signs only lead to the
    "see a GP when you can" advice, then the questions.
    """
    state = run["state"]
    if state.get("screen") == "care":
        return redirect("assessment:care")
    ticked_before = [str(pk) for pk in state.get("signs", [])]
    initial = {"none": True} if state.get("screen") == "clear" and not ticked_before else {"signs": ticked_before}
    form = RedFlagForm(posted(request), questions=run["red_flags"], initial=initial)
    if form.is_valid():
        ticked = [q for q in run["red_flags"] if str(q.pk) in set(form.cleaned_data["signs"])]
        state["signs"] = [q.pk for q in ticked]
        if any(q.urgency in STOPPING for q in ticked):
            stop_for_care(request, state, ticked)
            return redirect("assessment:care")
        routine = [q.text for q in ticked]
        state["screen"] = "gp" if routine else "clear"
        state["gp"] = {"signs": routine, "checked": None} if routine else {}
        save_state(request, state)
        return redirect("assessment:gp-advice" if routine else "assessment:question", *([] if routine else [1]))
    groups = [
        (urgency, [(q, str(q.pk)) for q in run["red_flags"] if q.urgency == urgency]) for urgency in URGENCY_ORDER
    ]
    context = {"form": form, "groups": [(Question.Urgency(u), qs) for u, qs in groups if qs], "run": run}
    return render(request, "assessment/red_flags.html", context, status=400 if form.errors else 200)


def stop_for_care(request, state, ticked):
    """End the run at the care page, and make sure no result of it is saved, even by a racing tab."""
    state["screen"] = "care"
    state["care"] = [{"text": q.text, "urgency": q.urgency} for q in ticked]
    state["answers"] = {}
    state.pop("gp", None)
    with transaction.atomic():
        save_now(request, state)
        Assessment.objects.filter(token=state["token"]).delete()


@never_cache
@require_http_methods(["GET", "POST"])
@with_run
def gp_advice(request, run):
    """Render "see a GP when you can" for the routine signs ticked; the reader says if they were checked, goes on."""
    state = run["state"]
    if state.get("screen") == "care":
        return redirect("assessment:care")
    advice = state.get("gp") or {}
    if not advice.get("signs"):
        return redirect("assessment:warning-signs")
    checked = advice.get("checked")
    form = CheckedForm(posted(request), initial={"checked": {True: "yes", False: "no"}.get(checked)})
    if form.is_valid():
        advice["checked"] = form.cleaned_data["checked"] == "yes"
        state["gp"], state["screen"] = advice, "clear"
        save_state(request, state)
        return redirect("assessment:question", 1)
    context = {"form": form, "signs": advice["signs"], "questionnaire": run["questionnaire"]}
    return render(request, "assessment/gp_advice.html", context, status=400 if form.errors else 200)


@never_cache
@require_GET
def care(request):
    """Render the care page for the most urgent tier ticked: its action and call links first, nothing else offered."""
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("screen") != "care" or not state.get("care"):
        return restart(request, "Please start the self-check here.")
    ticked = state["care"]
    urgencies = {sign["urgency"] for sign in ticked}
    tier = next((u for u in URGENCY_ORDER if u in urgencies), Question.Urgency.SAME_DAY)
    groups = [(Question.Urgency(u), [s["text"] for s in ticked if s["urgency"] == u]) for u in URGENCY_ORDER]
    context = {
        "tier": tier,
        "groups": [(u, signs) for u, signs in groups if signs],
        "questionnaire": Questionnaire.objects.active().first(),  # its review covers this page
    }
    return render(request, "assessment/care.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@with_run
def question(request, run, number):
    """Render question ``number`` of the run; a valid answer is kept in the session and moves on."""
    state, asked = run["state"], run["asked"]
    if state.get("screen") in ("care", "gp"):
        return redirect("assessment:care" if state["screen"] == "care" else "assessment:gp-advice")
    if state.get("screen") != "clear":
        messages.info(request, "Please answer the warning-sign question first.")
        return redirect("assessment:warning-signs")
    if not 1 <= number <= len(asked):
        raise Http404("There is no question with that number.")
    gap = first_unanswered(run)
    if gap is not None and gap < number:
        messages.info(request, "Please answer this question first.")
        return redirect("assessment:question", gap)
    current = asked[number - 1]
    changing = request.GET.get("change") == "1"
    saved = state.get("answers", {}).get(str(current.pk))
    form = AnswerForm(posted(request), question=current, initial={"answer": saved and str(saved)})
    if form.is_valid():
        state.setdefault("answers", {})[str(current.pk)] = int(form.cleaned_data["answer"])
        save_state(request, state)
        if changing or number == len(asked) or first_unanswered(run) is None:
            return redirect("assessment:check")
        return redirect("assessment:question", number + 1)
    if changing:
        back = reverse("assessment:check")
    elif number > 1:
        back = reverse("assessment:question", args=[number - 1])
    else:
        back = reverse("assessment:gp-advice" if state.get("gp") else "assessment:warning-signs")
    self_test_url = ""
    if current.self_test is not None:
        self_test_url = f"{current.self_test.get_absolute_url()}?{urlencode({'question': number})}"
    context = {
        "form": form,
        "question": current,
        "number": number,
        "total": len(asked),
        "back": back,
        "changing": changing,
        "self_test_url": self_test_url,
    }
    return render(request, "assessment/question.html", context, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@with_run
def check(request, run):
    """Render the reader's answers with "Change" links; a POST saves the result and shows it."""
    state = run["state"]
    if state.get("screen") != "clear":
        return redirect(resume_url(state))
    gap = first_unanswered(run)
    if gap is not None:
        messages.info(request, "Please answer this question first.")
        return redirect("assessment:question", gap)
    answers = state["answers"]
    chosen = {}
    for q in run["asked"]:
        choice = next((c for c in q.choices.all() if c.pk == answers[str(q.pk)]), None)
        if choice is None:  # an editor removed the chosen answer mid-run
            return restart(request, "The self-check was updated since you started, so please start again. Sorry!")
        chosen[q.pk] = choice
    if request.method == "POST":
        return finish(request, run, chosen)
    rows = [(number, q, chosen[q.pk]) for number, q in enumerate(run["asked"], start=1)]
    return render(request, "assessment/check.html", {"rows": rows, "total": len(rows)})


def finish(request, run, chosen):
    """Save the result once, atomically, and redirect to it; a repeated submit lands on the same result.

    The warning-sign answers are read again from the stored session in the same transaction, so a sign
    ticked in another tab meanwhile sends the reader to the care page and saves nothing.
    """
    state = run["state"]
    token = state["token"]
    try:
        with transaction.atomic():
            stored = stored_state(request)
            if not isinstance(stored, dict) or stored.get("token") != token or stored.get("screen") != "clear":
                return redirect(resume_url(stored) or reverse("assessment:start"))
            if not Assessment.objects.filter(token=token).exists():
                previous = Assessment.objects.filter(token=state.get("previous") or "").first()
                create_assessment(
                    run["questionnaire"], run["asked"], chosen, token, previous=previous, gp_advice=state.get("gp")
                )
            state["result"] = token
            remember_result(request, token)
            save_now(request, state)
    except IntegrityError:
        if not Assessment.objects.filter(token=token).exists():
            raise
    return redirect("assessment:result", token)


def get_assessment(token, version=None):
    """The saved result with this token, or a 404; its questionnaire comes from ``questionnaires(version)``.

    A result page is rendered on every view, so the row is read in plain SQL: building the ORM query costs
    several times more than running it. The earlier result a retake compares with is read only when there is
    one.
    """
    if not TOKEN_RE.match(token):
        raise Http404("No such result.")
    found = list(Assessment.objects.raw(ASSESSMENT_SQL.format(table=assessment_table()), [token]))
    if not found:
        raise Http404("No such result.")
    assessment = found[0]
    questionnaire = questionnaires(version).get(assessment.questionnaire_id)
    if questionnaire is not None:
        assessment.questionnaire = questionnaire
    return assessment


ASSESSMENT_SQL = "SELECT * FROM {table} WHERE token = %s"  # noqa: S608 (the table name is ours)


@functools.cache
def assessment_table():
    return connection.ops.quote_name(Assessment._meta.db_table)


def questionnaires(version=None):
    """Every version of the questions by id, for the version and review dates a result shows (public content).

    Each carries ``shown_key``, its id and the content version it was read at, which the result page keys its
    kept copy of those dates on: any edit raises the version, so an edited questionnaire is never shown stale.
    ``version``: the ``version_key()`` the caller has just read, to save reading it again.
    """
    version = version or version_key()

    def build():
        found = {}
        for questionnaire in Questionnaire.objects.all():
            questionnaire.shown_key = f"{questionnaire.pk}:{version}"
            found[questionnaire.pk] = questionnaire
        return found

    return versioned("questionnaires", build, version)


def plan_links(version=None):
    """Today's address of every muscle page, and of every stretch page with its cautions, by slug.

    Public content, read by every view of a result (which is never cached): kept until that content changes.
    """

    def build():
        muscles = {muscle.slug: muscle.get_absolute_url() for muscle in Muscle.objects.only("slug")}
        stretches = {
            (stretch.muscle.slug, stretch.slug): (stretch.get_absolute_url(), stretch.cautions_html)
            for stretch in Stretch.objects.select_related("muscle").only("slug", "cautions_html", "muscle__slug")
        }
        return muscles, stretches

    return versioned("plan-links", build, version)


def link_plan(plan, version=None):
    """Add today's links to the plan's muscles and stretches, found by slug; a deleted one keeps its name only.

    Also keys the parts of a result page that are the same for everyone whose checks fit the same pattern on the
    same side (a pattern's card without the reader's own answers; the routine): they are rendered once per worker
    and kept (result.html, ``{% kept %}``), found by a digest of the plan's part as saved and the content version
    its links and cautions are read at. Nothing of the reader goes into them. ``version``: as ``questionnaires``.
    """
    version = version or version_key()
    leaders = plan.get("leaders", [])
    for leader in leaders:
        leader["shared_key"] = shared_key(
            version, [(name, value) for name, value in leader.items() if name != "reasons"]
        )
    plan["routine_key"] = shared_key(version, plan.get("routine", []), plan.get("gentle"), plan.get("total_minutes"))
    items = [item for leader in leaders for item in leader["stretches"]] + plan.get("routine", [])
    items = [item for item in items if item.get("muscle_slug")]
    muscles, stretches = plan_links(version)
    for item in items:  # results saved before sides were modelled keep their dose under older names
        item.setdefault("is_contract_relax", item.get("contract_relax", False))
        item.setdefault("side", SIDE_EACH if item.get("side_count") == 2 else "")
        item["muscle_url"] = muscles.get(item["muscle_slug"], "")
        url, cautions_html = stretches.get((item["muscle_slug"], item.get("stretch_slug", "")), ("", ""))
        # Today's cautions, not the ones of the day the result was saved: editors may have added one since.
        item["cautions_html"] = cautions_html
        # The stretch page says the plan's side ("left side", "each side in turn") when opened from the plan.
        side = item.get("side", "")
        item["stretch_url"] = f"{url}?{urlencode({'side': side})}" if url and side in PAGE_SIDES else url
    return plan


def shared_key(*shown):
    """A digest of what a shared part of a result page shows, to key its rendered copy on.

    ``shown`` is plain data read from a saved result (strings, numbers, lists, dicts in their stored order), so
    its ``repr`` is the same for the same values.
    """
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def chart(assessment):
    """The four scores as rows for the result's bar chart, from the saved snapshot."""
    names = assessment.plan.get("names", {})
    tops = assessment.plan.get("max_scores", {})
    return [
        {"code": code, "name": names.get(code, code), "score": score, "max": max(tops.get(code, 0), score, 1)}
        for code, score in assessment.scores.items()
    ]


def compare(before, after):
    """Rows of earlier and new scores per imbalance, for a retake's comparison table."""
    names = {**before.plan.get("names", {}), **after.plan.get("names", {})}
    return [
        {"name": names.get(code, code), "before": before.scores.get(code, 0), "now": after.scores.get(code, 0)}
        for code in after.scores
    ]


@no_referrer
@never_cache
@noindex
@require_http_methods(["GET", "POST"])
def result(request, token):
    """Render a saved result from its snapshot: likely imbalance(s), why, the plan, and a comparison if retaken.

    Only to the browser that saved or opened it; any other first gets the one-click step, whose POST
    remembers the result in this browser's session and comes back here.
    """
    state = request.session.get(SESSION_KEY)
    if isinstance(state, dict) and state.get("token") == token and state.get("screen") == "care":
        return redirect("assessment:care")  # a warning sign ticked in another tab took this result back
    version = version_key()  # read once for the result's questionnaire and its plan's links
    assessment = get_assessment(token, version)
    if request.method == "POST":
        remember_result(request, assessment.token)
        return redirect("assessment:result", assessment.token)
    if not opened_here(request, assessment.token):
        return result_gate(request, assessment)
    previous = assessment.previous
    context = {
        "assessment": assessment,
        "plan": link_plan(assessment.plan, version),
        "chart": chart(assessment),
        "previous": previous,
        "comparison": compare(previous, assessment) if previous else None,
        "routine_url": reverse("assessment:routine", args=[assessment.token]),
        # The reminder form only ever shows its label here (its errors get a page of their own): no form is built.
        "reminder_label": ReminderForm.base_fields["time"].label,
    }
    return render(request, "assessment/result.html", context)


# What the result gave each stretch of its routine: tonight's routine times these, not today's figures.
DOSE_FIELDS = ("hold_seconds", "contract_seconds", "relax_seconds", "rest_seconds", "repetitions")


def routine_steps(routine):
    """The plan's routine as ``includes/routine.html`` shows it, in the plan's order.

    Each stretch is today's (steps, picture, cautions: an editor's corrections reach old results), carrying the
    side and the dose the result gave, so the timer and the times match the result page. It is a copy, never
    saved. A stretch deleted since keeps its name and dose only.
    """
    muscle_slugs = {item["muscle_slug"] for item in routine}
    stretches = Stretch.objects.filter(muscle__slug__in=muscle_slugs).select_related("muscle")
    today = {(s.muscle.slug, s.slug): s for s in stretches}
    steps = []
    for item in routine:
        found = today.get((item["muscle_slug"], item.get("stretch_slug", "")))
        stretch = copy.copy(found) if found is not None else Stretch(name=item.get("stretch") or item["muscle"])
        contract_relax = item.get("is_contract_relax")
        stretch.technique = Stretch.Technique.CONTRACT_RELAX if contract_relax else Stretch.Technique.STATIC
        for name in DOSE_FIELDS:
            setattr(stretch, name, int(item.get(name, getattr(stretch, name)) or 0))
        stretch.sides = Stretch.Sides.TOGETHER if item.get("side") == BOTH_LEGS else Stretch.Sides.ONE
        side = item.get("side", "")
        steps.append(
            {
                "stretch": stretch,
                "side": side if side in PAGE_SIDES else "",
                "muscle": item["muscle"],
                "url": item.get("stretch_url", ""),
                "side_text": item.get("side_text", ""),
                "missing": found is None,
            }
        )
    return steps


@no_referrer
@never_cache
@noindex
@require_GET
def routine(request, token):
    """Render tonight's routine of a saved result: its plan's stretches in order, each with its side, picture,
    steps, dose, cautions and timer (a printable list without JavaScript, a player with it).

    Like the result, only to the browser that saved or opened it; anyone else gets a 403 that shows nothing of
    it and points to the result's one-click step.
    """
    state = request.session.get(SESSION_KEY)
    if isinstance(state, dict) and state.get("token") == token and state.get("screen") == "care":
        return redirect("assessment:care")
    version = version_key()
    assessment = get_assessment(token, version)
    if not opened_here(request, assessment.token):
        return render(request, "assessment/routine_locked.html", {"assessment": assessment}, status=403)
    plan = link_plan(assessment.plan, version)
    steps = routine_steps(plan.get("routine", []))
    if not steps:
        return redirect("assessment:result", assessment.token)
    context = {
        "assessment": assessment,
        "plan": plan,
        "steps": steps,
        "total_minutes": plan.get("total_minutes")
        or math.ceil(sum(step["stretch"].total_seconds(step["side"]) for step in steps) / 60),
    }
    return render(request, "assessment/routine.html", context)


@same_origin_referrer
@noindex
def result_gate(request, assessment):
    """Render the one-click step in front of a result this browser has not opened: nothing of the result shows."""
    return render(request, "assessment/result_gate.html", {"assessment": assessment})


@no_referrer
@never_cache
@noindex
@require_GET
def reminder(request, token):
    """Download a nightly calendar reminder (.ics) for the time the reader picked; a bad time is a 400."""
    assessment = get_assessment(token)
    if not opened_here(request, assessment.token):
        return redirect("assessment:result", assessment.token)
    form = ReminderForm(request.GET)
    if not form.is_valid():
        context = {"assessment": assessment, "reminder_form": form}
        return render(request, "assessment/reminder_error.html", context, status=400)
    hour, minute = form.cleaned_data["time"]
    routine = assessment.plan.get("routine", [])
    steps = "\n".join(f"- {item['stretch']} ({item['muscle']}: {item['side_text']})" for item in routine)
    minutes = assessment.plan.get("total_minutes", 0)
    description = (
        f"Your bedtime stretches, about {minutes} minutes:\n{steps}\n" if routine else "Your bedtime stretches.\n"
    ) + (
        "Stay active in the day too: walking and everyday movement help most back pain.\n"
        "Stop if anything hurts. This is a self-check, not a diagnosis."
    )
    review = (
        "Six weeks of bedtime stretches: how is your back?",
        "This is the last of your nightly reminders. Look back over the six weeks: retake the self-check to "
        "compare with your result. If your back is no better, or worse, see a GP or a physiotherapist: "
        "stretching is not the answer for everyone, and they can examine you.",
    )
    body = ics.nightly_reminder(
        key=assessment.token,
        start=timezone.localdate(),
        hour=hour,
        minute=minute,
        nights=REMINDER_NIGHTS,
        summary="Bedtime stretches",
        description=description,
        review=review,
        url=request.build_absolute_uri(reverse("assessment:result", args=[assessment.token])),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bedtime-stretches.ics"'
    return response


@require_GET
@cache_public_page
def strengthening(request):
    """Render gentle strengthening exercises for the muscles often weak in each pattern (a result links here)."""
    context = {
        "imbalances": Imbalance.objects.all(),
        "questionnaire": Questionnaire.objects.active().first(),  # its review covers this page
    }
    return render(request, "assessment/strengthening.html", context)


@require_GET
@cache_public_page
def self_test_list(request):
    """Render the list of home self-test pages."""
    return render(request, "assessment/self_test_list.html", {"self_tests": SelfTest.objects.all()})


@require_GET
@cache_public_page(query=["question"])
def self_test(request, slug):
    """Render one home self-test: what you need, the steps, what it tells you and when to stop."""
    test = get_object_or_404(SelfTest, slug=slug)
    return render(request, "assessment/self_test.html", {"test": test, "back": back_to_question(request)})


def back_to_question(request):
    """The question a self-test page was opened from (``?question=N``), for a reader with a run under way."""
    number = request.GET.get("question", "")
    state = request.session.get(SESSION_KEY) if request.COOKIES.get(settings.SESSION_COOKIE_NAME) else None
    if not (number.isascii() and number.isdigit() and len(number) < 4) or not isinstance(state, dict):
        return None
    if state.get("screen") != "clear" or state.get("result"):
        return None
    return {"number": int(number), "url": reverse("assessment:question", args=[int(number)])}


@staff_member_required
@never_cache
@noindex
def preview(request, pk):
    """Render every question, choice and weight of a questionnaire for staff, before it goes live."""
    questionnaire = get_object_or_404(Questionnaire.objects.prefetch_related(STEP_QUESTIONS), pk=pk)
    questions = list(questionnaire.questions.all())
    context = {
        "questionnaire": questionnaire,
        "red_flags": [q for q in questions if q.is_red_flag],
        "asked": [q for q in questions if not q.is_red_flag],
    }
    return render(request, "assessment/preview.html", context)
