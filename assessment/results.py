"""
Build a saved result from a finished run: the bridge between the database and the pure
rules in ``assessment.scoring``.

Everything a result page shows is copied into the ``Assessment`` here (question text,
chosen labels, scores, outcome, plan), so later edits never change an old result.
"""

from django.db.models import Prefetch

from articles.models import SIDE_EACH, SIDE_LEFT, SIDE_RIGHT

from . import scoring
from .models import Assessment, Choice, GentleStretch, Imbalance, ImbalanceMuscle, Question

BOTH_LEGS = "both-legs"
NAMED_SIDES = (SIDE_LEFT, SIDE_RIGHT)


def to_answer(question, choice):
    """A chosen answer as plain data for the scoring rules."""
    return scoring.Answer(
        question=question.text,
        label=choice.label,
        weights={code: int(points) for code, points in (choice.weights or {}).items()},
        side_vote=choice.side_vote,
        finding=choice.finding,
        context=question.role == Question.Role.CONTEXT,
        side_evidence=question.side_evidence,
    )


def max_scores(questions):
    """The most points each imbalance could get from the home checks: the top of each chart bar."""
    totals = dict.fromkeys(scoring.IMBALANCES, 0)
    for question in questions:
        if question.role == Question.Role.CONTEXT:
            continue
        for code in totals:
            totals[code] += max((int((c.weights or {}).get(code, 0)) for c in question.choices.all()), default=0)
    return totals


def plan_side(link, side):
    """The side a plan's stretch is done on: the plan's side for "same" links when a check found it, else each side."""
    if link is not None and link.side == ImbalanceMuscle.StretchSide.SAME and side in NAMED_SIDES:
        return side
    return SIDE_EACH


def side_text(stretch, side, imbalance=None):
    """The words for where to stretch, e.g. "Left side only (the hip your check found higher)"."""
    if stretch is not None and stretch.is_both_legs:
        return "Both legs at once"
    if side in NAMED_SIDES:
        return f"{side.capitalize()} side only" + (f" ({imbalance.side_phrase})" if imbalance else "")
    return "Each side in turn"


def stretch_item(muscle, stretch, side, imbalance=None):
    """One stretch of a plan, as stored: what, on which side, and its dose."""
    item = {
        "muscle_slug": muscle.slug,
        "muscle": muscle.name,
        "stretch_slug": "",
        "stretch": "",
        "side": side,
        "side_text": side_text(stretch, side, imbalance),
        "side_count": 1 if side in NAMED_SIDES else 2,
    }
    if stretch is not None and stretch.muscle_id == muscle.pk:
        side = BOTH_LEGS if stretch.is_both_legs else side
        item.update(
            side=side,
            side_count=stretch.side_count(side),
            stretch_slug=stretch.slug,
            stretch=stretch.name,
            technique=stretch.get_technique_display(),
            is_contract_relax=stretch.is_contract_relax,
            hold_seconds=stretch.hold_seconds,
            contract_seconds=stretch.contract_seconds,
            relax_seconds=stretch.relax_seconds,
            repetitions=stretch.repetitions,
            rest_seconds=stretch.rest_seconds,
            set_seconds=stretch.set_seconds,
        )
    return item


def merge_into(routine, seen, item):
    """Add a stretch to the routine once; the same stretch for two patterns is done on every side either needs."""
    key = (item["muscle_slug"], item["stretch_slug"])
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = dict(item)
        routine.append(seen[key])
    elif earlier["side"] != item["side"] and BOTH_LEGS not in (earlier["side"], item["side"]):
        earlier.update(side=SIDE_EACH, side_count=2, side_text="Each side in turn")


def finish_routine(routine):
    """Work out each stretch's time and the routine's whole minutes."""
    items = [scoring.RoutineItem(i["muscle"], i["stretch"], i["set_seconds"], i["side_count"]) for i in routine]
    for entry, item in zip(routine, items, strict=True):
        entry["seconds"] = item.seconds
    return scoring.routine_minutes(items)


def build_plan(outcome, sides, reasons, imbalances, gentle=()):
    """The suggested patterns, each with its side, reasons and muscles, and the bedtime routine.

    With no pattern suggested (none, not enough to go on, or disagreeing checks), the routine is the
    gentle general one: nothing one-sided.
    """
    leaders, routine, seen = [], [], {}
    for code in outcome.leaders:
        imbalance = imbalances.get(code)
        if imbalance is None:
            continue
        side = sides.get(code, "") if imbalance.is_sided else ""
        stretches = [
            stretch_item(link.muscle, link.stretch, plan_side(link, side), imbalance)
            for link in imbalance.stretch_links.all()
        ]
        leaders.append(
            {
                "code": code,
                "name": imbalance.name,
                "summary": imbalance.summary,
                "sided": imbalance.is_sided,
                "side": side,
                "side_phrase": imbalance.side_phrase,
                "stretches": stretches,
                "other_tight_muscles": imbalance.other_tight_muscles,
                "strengthen": imbalance.muscles_to_strengthen,
                "reasons": [
                    {"question": r.question, "answer": r.label, "points": r.points, "finding": r.finding}
                    for r in reasons
                    if r.imbalance == code
                ],
            }
        )
        for item in stretches:
            if item["stretch_slug"]:
                merge_into(routine, seen, item)
    if not leaders:
        for entry in gentle:
            merge_into(routine, seen, stretch_item(entry.stretch.muscle, entry.stretch, SIDE_EACH))
    disagreement = [
        {
            "imbalance": r.imbalance,
            "name": imbalances[r.imbalance].name if r.imbalance in imbalances else r.imbalance,
            "question": r.question,
            "answer": r.label,
            "finding": r.finding,
        }
        for r in reasons
        if outcome.kind == scoring.DISAGREE
    ]
    return {
        "leaders": leaders,
        "routine": routine,
        "gentle": not leaders,
        "disagreement": disagreement,
        "total_minutes": finish_routine(routine),
    }


def score_run(asked, chosen, gp_advice=None):
    """Score a finished run with ``assessment.scoring``: the fields of a result, nothing saved.

    ``asked`` are the questions in order; ``chosen`` maps each question's id to its Choice;
    ``gp_advice`` holds the routine-tier warning signs the reader ticked and whether a doctor or
    physiotherapist has already checked them, for the "see a GP when you can" advice. The admin's
    "try it" page shows what this gives without saving a result.
    """
    answers = [to_answer(question, chosen[question.pk]) for question in asked]
    scores = scoring.score(answers)
    outcome = scoring.decide(answers)
    sides = scoring.sides(answers)
    reasons = scoring.explain(answers, outcome)
    links = ImbalanceMuscle.objects.select_related("muscle", "stretch")
    imbalances = {
        imbalance.slug: imbalance
        for imbalance in Imbalance.objects.prefetch_related(Prefetch("stretch_links", queryset=links))
    }
    gentle = GentleStretch.objects.select_related("stretch__muscle")
    plan = build_plan(outcome, sides, reasons, imbalances, gentle)
    plan["names"] = {code: imbalances[code].name if code in imbalances else code for code in scoring.IMBALANCES}
    plan["max_scores"] = max_scores(asked)
    plan["gp_advice"] = gp_advice or {}
    plan["context"] = [
        {"question": question.text, "answer": chosen[question.pk].label}
        for question in asked
        if question.role == Question.Role.CONTEXT
    ]
    sided_leaders = [leader for leader in plan["leaders"] if leader["sided"]]
    snapshot = [
        {
            "slug": question.slug,
            "question": question.text,
            "answer": chosen[question.pk].label,
            "role": question.role,
            "weights": chosen[question.pk].weights if question.role == Question.Role.CHECK else {},
            "side_vote": chosen[question.pk].side_vote,
            "finding": chosen[question.pk].finding if question.role == Question.Role.CHECK else Choice.Finding.NORMAL,
        }
        for question in asked
    ]
    return {
        "answers": snapshot,
        "scores": scores,
        "outcome": outcome.code,
        "side": sided_leaders[0]["side"] if sided_leaders else "",
        "plan": plan,
    }


def create_assessment(questionnaire, asked, chosen, token, previous=None, gp_advice=None):
    """Score a finished run (``score_run``) and save it under ``token``, with the version it was scored with."""
    return Assessment.objects.create(
        token=token,
        questionnaire=questionnaire,
        questionnaire_version=questionnaire.version,
        previous=previous,
        **score_run(asked, chosen, gp_advice),
    )
