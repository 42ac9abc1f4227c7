"""The scoring rules: pure functions, checked with examples and with generated answers (hypothesis)."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import scoring
from assessment.management.commands.load_selfcheck_content import WEIGHT_CODES
from assessment.scoring import (
    ANTERIOR,
    DIRECT,
    INDIRECT,
    LATERAL,
    POSITIVE,
    POSTERIOR,
    ROTATION,
    UNSURE,
    WEAK,
    Answer,
)

from .scenarios import SCENARIOS, pick, shipped_questionnaire

codes = st.sampled_from(scoring.IMBALANCES)
SWAP = {"left": "right", "right": "left", "": "", "unclear": "unclear"}


def answer_strategy(context=None, finding=None):
    context = st.booleans() if context is None else context
    finding = st.sampled_from(scoring.FINDINGS) if finding is None else finding
    return st.builds(
        Answer,
        question=st.text(max_size=10),
        label=st.text(max_size=10),
        weights=st.dictionaries(codes, st.integers(min_value=-2, max_value=5), max_size=4),
        side_vote=st.sampled_from(["", "left", "right"]),
        finding=finding,
        context=context,
        side_evidence=st.sampled_from([DIRECT, INDIRECT]),
    )


answers_strategy = st.lists(answer_strategy(), max_size=15)
checks_strategy = st.lists(answer_strategy(context=st.just(False)), max_size=15)


def outcome_of(answers):
    return scoring.score(answers), scoring.decide(answers), scoring.sides(answers)


@given(answers_strategy, st.randoms(use_true_random=False))
def test_scoring_is_deterministic_and_ignores_order(answers, random):
    """The same answers in any order give the same scores, outcome and sides, and the same reasons."""
    shuffled = list(answers)
    random.shuffle(shuffled)
    assert outcome_of(shuffled) == outcome_of(answers)
    before = scoring.explain(answers, scoring.decide(answers))
    after = scoring.explain(shuffled, scoring.decide(shuffled))
    assert sorted(before, key=repr) == sorted(after, key=repr)


@given(checks_strategy, st.lists(answer_strategy(context=st.just(True)), max_size=6))
def test_pain_and_habits_carry_no_points(checks, context):
    """Context answers (where it hurts, habits), whatever points they were given, change nothing at all."""
    assert outcome_of(checks + context) == outcome_of(checks)
    assert scoring.explain(checks + context, scoring.decide(checks)) == scoring.explain(checks, scoring.decide(checks))


@given(answers_strategy)
def test_every_suggested_pattern_has_a_clearly_positive_home_check(answers):
    """No pattern is suggested without a positive home check for it; weak signs alone are never enough."""
    outcome = scoring.decide(answers)
    for code in outcome.leaders:
        assert any(a.finding == POSITIVE and a.supports(code) for a in answers)
    weak_only = [dataclasses.replace(a, finding=WEAK) if a.finding == POSITIVE else a for a in answers]
    assert scoring.decide(weak_only).leaders == ()


@given(checks_strategy)
def test_opposite_patterns_together_are_a_disagreement_with_no_plan(answers):
    """Support for a forward and a backward tilt, one of them clear, gives "your checks disagree" and no leaders."""
    both = [
        *answers,
        Answer("Thomas", "both sides", {ANTERIOR: 3}, finding=POSITIVE),
        Answer("Belt line", "higher at the front", {POSTERIOR: 3}, finding=WEAK),
    ]
    outcome = scoring.decide(both)
    assert outcome.kind == scoring.DISAGREE and outcome.leaders == ()
    assert {r.imbalance for r in scoring.explain(both, outcome)} == {ANTERIOR, POSTERIOR}


@given(st.lists(answer_strategy(context=st.just(False), finding=st.just(UNSURE)), min_size=1, max_size=12))
def test_not_sure_everywhere_is_not_enough_to_go_on(answers):
    """When every home check is "not sure" or "couldn't do it", the result says so and suggests nothing."""
    assert scoring.decide(answers) == scoring.Outcome(scoring.NOT_ENOUGH)


def test_all_normal_checks_fit_no_pattern():
    answers = [Answer(f"Q{n}", "normal") for n in range(6)]
    assert scoring.decide(answers) == scoring.Outcome(scoring.NONE)
    assert scoring.decide([]) == scoring.Outcome(scoring.NOT_ENOUGH)


@given(checks_strategy, codes.filter(lambda c: c in scoring.SIDED), st.sampled_from(["left", "right"]))
def test_a_direct_check_decides_the_side_whatever_indirect_signs_say(answers, code, side):
    """With every direct check for a pattern on one side, that is the side, even against indirect signs."""
    answers = [a for a in answers if not (a.side_evidence == DIRECT and a.supports(code))]
    direct = Answer("Hip bones", f"{side} higher", {code: 3}, side, POSITIVE, side_evidence=DIRECT)
    assert scoring.decide_side([*answers, direct], code) == side
    against = Answer("Waist", "other side", {code: 5}, SWAP[side], POSITIVE, side_evidence=INDIRECT)
    assert scoring.decide_side([*answers, direct, against, against], code) == side


@given(codes.filter(lambda c: c in scoring.SIDED), st.sampled_from(["left", "right"]))
def test_indirect_signs_that_disagree_make_the_side_unclear_never_the_other_side(code, side):
    one = Answer("Waist", side, {code: 1}, side, WEAK)
    other = Answer("Hip drop", "other", {code: 2}, SWAP[side], POSITIVE)
    assert scoring.decide_side([one], code) == side
    assert scoring.decide_side([one, other, other], code) == scoring.UNCLEAR
    direct_left = Answer("March", "left", {code: 3}, "left", POSITIVE, side_evidence=DIRECT)
    direct_right = Answer("Hip front", "right", {code: 2}, "right", POSITIVE, side_evidence=DIRECT)
    assert scoring.decide_side([direct_left, direct_right], code) == scoring.UNCLEAR


@given(answers_strategy)
def test_mirroring_every_vote_mirrors_the_side(answers):
    mirrored = [dataclasses.replace(a, side_vote=SWAP[a.side_vote]) for a in answers]
    assert scoring.sides(mirrored) == {code: SWAP[side] for code, side in scoring.sides(answers).items()}


def test_sides_only_count_answers_that_support_the_pattern():
    """A rotation vote does not decide the high side of a lateral tilt."""
    answers = [
        Answer("hips", "left high", {LATERAL: 3}, "left", POSITIVE, side_evidence=DIRECT),
        Answer("march", "right ahead", {ROTATION: 3}, "right", POSITIVE, side_evidence=DIRECT),
    ]
    assert scoring.sides(answers) == {LATERAL: "left", ROTATION: "right"}


def test_explain_lists_positive_answers_first():
    answers = [
        Answer("Q1", "weak but many points", {LATERAL: 4}, finding=WEAK),
        Answer("Q2", "clear", {LATERAL: 2}, finding=POSITIVE),
        Answer("Q3", "other", {}),
    ]
    reasons = scoring.explain(answers, scoring.decide(answers))
    assert [r.label for r in reasons] == ["clear", "weak but many points"]


def test_several_patterns_are_ranked_by_points():
    answers = [
        Answer("Thomas", "both", {ANTERIOR: 3}, finding=POSITIVE),
        Answer("Hips", "right high", {LATERAL: 3}, "right", POSITIVE, side_evidence=DIRECT),
        Answer("Crease", "right", {LATERAL: 1}, "right", WEAK),
    ]
    assert scoring.decide(answers) == scoring.Outcome(scoring.SEVERAL, (LATERAL, ANTERIOR))


def test_routine_minutes_round_up():
    items = [scoring.RoutineItem("QL", "side bend", 61, 1), scoring.RoutineItem("Adductors", "butterfly", 60, 2)]
    assert scoring.routine_minutes(items) == 4
    assert scoring.routine_minutes([]) == 0


def scenario_answers(scenario):
    data = shipped_questionnaire()
    answers = []
    for question in data["questions"]:
        label = pick(question["slug"], question["choices"], scenario)
        choice = next(c for c in question["choices"] if c["label"] == label)
        weights = {WEIGHT_CODES[code]: points for code, points in choice.get("weights", {}).items()}
        answers.append(
            Answer(
                question["text"],
                label,
                weights,
                choice.get("side", ""),
                finding=choice.get("finding", "normal"),
                context=question.get("role") == "context",
                side_evidence=question.get("side_evidence", INDIRECT),
            )
        )
    return answers


EXPECTED = {
    "anterior": ("single", (ANTERIOR,), {}),
    "posterior": ("single", (POSTERIOR,), {}),
    "lateral-right": ("single", (LATERAL,), {LATERAL: "right"}),
    "lateral-left": ("single", (LATERAL,), {LATERAL: "left"}),
    "lateral-direct-wins": ("single", (LATERAL,), {LATERAL: "left"}),
    "lateral-unclear": ("single", (LATERAL,), {LATERAL: "unclear"}),
    "rotation-left": ("single", (ROTATION,), {ROTATION: "left"}),
    "rotation-right": ("single", (ROTATION,), {ROTATION: "right"}),
    "tie": ("tie", (LATERAL, ANTERIOR), {LATERAL: "right"}),
    "weak-only": ("none", (), {}),
    "disagree": ("disagree", (), {}),
    "unsure": ("unsure", (), {}),
    "none": ("none", (), {}),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_outcome_is_reachable_with_the_shipped_questionnaire(scenario):
    """Each pattern, each side, several, none, disagreeing and not-sure can all come out of the real questions."""
    answers = scenario_answers(scenario)
    outcome = scoring.decide(answers)
    kind, leaders, sides = EXPECTED[scenario]
    assert (outcome.kind, outcome.leaders) == (kind, leaders)
    found = scoring.sides(answers)
    assert all(found[code] == side for code, side in sides.items())


def test_shipped_questionnaire_is_consistent():
    """10 to 15 questions; checks have a "nothing found" answer and points only on positive or weak signs;
    context questions carry no points; only known codes, sides and findings."""
    data = shipped_questionnaire()
    assert 10 <= len(data["questions"]) <= 15
    for question in data["questions"]:
        assert any(not choice.get("weights") for choice in question["choices"]), question["slug"]
        for choice in question["choices"]:
            assert set(choice.get("weights", {})) <= set(WEIGHT_CODES)
            assert choice.get("side", "") in ("", "left", "right")
            finding = choice.get("finding", "normal")
            assert finding in scoring.FINDINGS
            assert bool(choice.get("weights")) == (finding in (POSITIVE, WEAK)), (question["slug"], choice["label"])
            if question.get("role") == "context":
                assert not choice.get("weights"), question["slug"]
    belt = next(q for q in data["questions"] if q["slug"] == "belt-line")
    lower_front = next(c for c in belt["choices"] if c["label"].startswith("Lower at the front"))
    assert lower_front["finding"] == WEAK  # normal in most pain-free people
