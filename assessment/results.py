"""
Build a saved result from a finished run: the bridge between the database and the pure
rules in ``assessment.scoring``.

Everything a result page shows is copied into the ``Assessment`` here (question text,
chosen labels, scores, outcome, plan), so later edits never change an old result.
"""

from django.db.models import Prefetch

from . import scoring
from .models import Assessment, Imbalance, ImbalanceMuscle


def to_answer(question, choice):
    """A chosen answer as plain data for the scoring rules."""
    return scoring.Answer(
        question=question.text,
        label=choice.label,
        weights={code: int(points) for code, points in (choice.weights or {}).items()},
        side_vote=choice.side_vote,
    )


def max_scores(questions):
    """The most points each imbalance could get from these questions: the top of each chart bar."""
    totals = dict.fromkeys(scoring.IMBALANCES, 0)
    for question in questions:
        for code in totals:
            totals[code] += max((int((c.weights or {}).get(code, 0)) for c in question.choices.all()), default=0)
    return totals


def _side_text(link, side, imbalance):
    """How many sides to stretch, and the words for it."""
    if link.side == ImbalanceMuscle.StretchSide.SAME and side in (scoring.LEFT, scoring.RIGHT):
        return 1, f"{side.capitalize()} side ({imbalance.side_phrase})"
    if link.side == ImbalanceMuscle.StretchSide.SAME:
        return 2, f"Both sides (the self-check could not tell which is {imbalance.side_phrase})"
    return 2, "Both sides"


def _stretch_item(link, side, imbalance):
    side_count, side_text = _side_text(link, side, imbalance)
    item = {
        "muscle_slug": link.muscle.slug,
        "muscle": link.muscle.name,
        "side_text": side_text,
        "side_count": side_count,
        "stretch_slug": "",
        "stretch": "",
    }
    stretch = link.stretch
    if stretch is not None and stretch.muscle_id == link.muscle_id:
        item.update(
            stretch_slug=stretch.slug,
            stretch=stretch.name,
            technique=stretch.get_technique_display(),
            contract_relax=stretch.is_contract_relax,
            hold_seconds=stretch.hold_seconds,
            contract_seconds=stretch.contract_seconds,
            repetitions=stretch.repetitions,
            seconds_per_side=stretch.seconds_per_side,
        )
    return item


def build_plan(outcome, sides, reasons, imbalances):
    """The suggested imbalances, each with its side, reasons and muscles, and the bedtime routine."""
    leaders, routine, seen = [], [], {}
    for code in outcome.leaders:
        imbalance = imbalances.get(code)
        if imbalance is None:
            continue
        side = sides.get(code, "") if imbalance.is_sided else ""
        stretches = [_stretch_item(link, side, imbalance) for link in imbalance.stretch_links.all()]
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
                    {"question": r.question, "answer": r.label, "points": r.points}
                    for r in reasons
                    if r.imbalance == code
                ],
            }
        )
        for item in stretches:
            if not item["stretch_slug"]:
                continue
            key = (item["muscle_slug"], item["stretch_slug"])
            if key in seen:  # the same stretch for two imbalances: do it once, on every side needed
                earlier = seen[key]
                if item["side_count"] > earlier["side_count"]:
                    earlier.update(side_count=item["side_count"], side_text=item["side_text"])
                continue
            seen[key] = dict(item)
            routine.append(seen[key])
    items = [scoring.RoutineItem(i["muscle"], i["stretch"], i["seconds_per_side"], i["side_count"]) for i in routine]
    for entry, item in zip(routine, items, strict=True):
        entry["seconds"] = item.seconds
    return {"leaders": leaders, "routine": routine, "total_minutes": scoring.routine_minutes(items)}


def create_assessment(questionnaire, asked, chosen, token, previous=None):
    """Score a finished run and save it, with a snapshot of what the reader saw and chose.

    ``asked`` are the questions in order; ``chosen`` maps each question's id to its Choice.
    """
    answers = [to_answer(question, chosen[question.pk]) for question in asked]
    scores = scoring.score(answers)
    outcome = scoring.decide(scores)
    sides = scoring.sides(answers)
    reasons = scoring.explain(answers, outcome)
    links = ImbalanceMuscle.objects.select_related("muscle", "stretch")
    imbalances = {
        imbalance.slug: imbalance
        for imbalance in Imbalance.objects.prefetch_related(Prefetch("stretch_links", queryset=links))
    }
    plan = build_plan(outcome, sides, reasons, imbalances)
    plan["names"] = {code: imbalances[code].name if code in imbalances else code for code in scoring.IMBALANCES}
    plan["max_scores"] = max_scores(asked)
    sided_leaders = [leader for leader in plan["leaders"] if leader["sided"]]
    snapshot = [
        {
            "slug": question.slug,
            "question": question.text,
            "answer": chosen[question.pk].label,
            "weights": chosen[question.pk].weights,
            "side_vote": chosen[question.pk].side_vote,
        }
        for question in asked
    ]
    return Assessment.objects.create(
        token=token,
        questionnaire=questionnaire,
        questionnaire_version=questionnaire.version,
        answers=snapshot,
        scores=scores,
        outcome=outcome.code,
        side=sided_leaders[0]["side"] if sided_leaders else "",
        plan=plan,
        previous=previous,
    )
