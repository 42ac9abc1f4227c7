"""The scoring rules: pure functions, checked with examples and with generated answers (hypothesis)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import scoring
from assessment.management.commands.load_selfcheck_content import WEIGHT_CODES
from assessment.scoring import LATERAL, ROTATION, Answer

from .scenarios import SCENARIOS, pick, shipped_questionnaire

codes = st.sampled_from(scoring.IMBALANCES)
answers_strategy = st.lists(
    st.builds(
        Answer,
        question=st.text(max_size=20),
        label=st.text(max_size=20),
        weights=st.dictionaries(codes, st.integers(min_value=-3, max_value=5), max_size=4),
        side_vote=st.sampled_from(["", "left", "right"]),
    ),
    max_size=15,
)


def outcome_of(answers):
    scores = scoring.score(answers)
    return scores, scoring.decide(scores), scoring.sides(answers)


@given(answers_strategy)
def test_scoring_is_deterministic(answers):
    """The same answers always give the same scores, outcome, sides and reasons."""
    first, second = outcome_of(answers), outcome_of(list(answers))
    assert first == second
    assert scoring.explain(answers, first[1]) == scoring.explain(answers, second[1])


@given(answers_strategy, st.randoms(use_true_random=False))
def test_order_of_answers_does_not_matter(answers, random):
    """Shuffling the answers changes nothing but the order of equally strong reasons."""
    shuffled = list(answers)
    random.shuffle(shuffled)
    assert outcome_of(shuffled) == outcome_of(answers)
    before = scoring.explain(answers, outcome_of(answers)[1])
    after = scoring.explain(shuffled, outcome_of(shuffled)[1])
    assert sorted(before, key=repr) == sorted(after, key=repr)


@given(answers_strategy, codes, st.integers(min_value=1, max_value=5))
def test_a_supporting_answer_never_lowers_its_imbalance(answers, code, points):
    """Adding an answer that supports an imbalance never lowers its score, nor drops it from the leaders."""
    before_scores, before, _ = outcome_of(answers)
    after_scores, after, _ = outcome_of([*answers, Answer("q", "a", {code: points})])
    assert after_scores[code] >= before_scores[code] + points
    if before.kind == scoring.SINGLE and before.leaders == (code,):
        assert after.leaders == (code,)


@given(st.dictionaries(codes, st.integers(min_value=-10, max_value=30), min_size=4))
def test_decide_is_honest(scores):
    """Leaders reach the threshold and are within the margin of the top; "none" means nothing reached it."""
    outcome = scoring.decide(scores)
    top = max(scores.values())
    if outcome.kind == scoring.NONE:
        assert top < scoring.THRESHOLD
    else:
        assert scores[outcome.leaders[0]] == top
        assert all(scores[c] >= scoring.THRESHOLD and top - scores[c] < scoring.MARGIN for c in outcome.leaders)
        left_out = set(scores) - set(outcome.leaders)
        assert all(scores[c] < scoring.THRESHOLD or top - scores[c] >= scoring.MARGIN for c in left_out)
        assert (outcome.kind == scoring.TIE) == (len(outcome.leaders) > 1)


@given(st.lists(st.sampled_from(["left", "right", ""])))
def test_side_is_the_majority_and_mirrors(votes):
    """The side follows the majority of votes; swapping every vote swaps the side; a draw is unclear."""
    side = scoring.decide_side(votes)
    swap = {"left": "right", "right": "left", "": ""}
    mirrored = scoring.decide_side([swap[v] for v in votes])
    assert mirrored == {"left": "right", "right": "left", "unclear": "unclear"}[side]
    if votes.count("left") == votes.count("right"):
        assert side == "unclear"


def test_sides_only_count_answers_that_support_the_imbalance():
    """A rotation vote does not decide the high side of a lateral tilt."""
    answers = [
        Answer("hips", "left high", {LATERAL: 3}, "left"),
        Answer("march", "right ahead", {ROTATION: 3}, "right"),
    ]
    assert scoring.sides(answers) == {LATERAL: "left", ROTATION: "right"}


def test_explain_lists_supporting_answers_strongest_first():
    answers = [Answer("Q1", "small", {LATERAL: 1}), Answer("Q2", "big", {LATERAL: 3}), Answer("Q3", "other", {})]
    reasons = scoring.explain(answers, scoring.Outcome(scoring.SINGLE, (LATERAL,)))
    assert [r.label for r in reasons] == ["big", "small"]


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
        answers.append(Answer(question["text"], label, weights, choice.get("side", "")))
    return answers


EXPECTED = {
    "anterior": ("single", ("anterior-pelvic-tilt",), {}),
    "posterior": ("single", ("posterior-pelvic-tilt",), {}),
    "lateral-right": ("single", (LATERAL,), {LATERAL: "right"}),
    "lateral-left": ("single", (LATERAL,), {LATERAL: "left"}),
    "lateral-unclear": ("single", (LATERAL,), {LATERAL: "unclear"}),
    "rotation-left": ("single", (ROTATION,), {ROTATION: "left"}),
    "rotation-right": ("single", (ROTATION,), {ROTATION: "right"}),
    "tie": ("tie", ("anterior-pelvic-tilt", LATERAL), {LATERAL: "right"}),
    "none": ("none", (), {}),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_outcome_is_reachable_with_the_shipped_questionnaire(scenario):
    """Each imbalance, each side, a tie and "no clear imbalance" can all come out of the real questions."""
    answers = scenario_answers(scenario)
    outcome = scoring.decide(scoring.score(answers))
    kind, leaders, sides = EXPECTED[scenario]
    assert (outcome.kind, outcome.leaders) == (kind, leaders)
    found = scoring.sides(answers)
    assert all(found[code] == side for code, side in sides.items())


def test_shipped_questionnaire_size_and_weights():
    """10 to 15 questions, each with a neutral answer, and only known imbalance codes and sides."""
    data = shipped_questionnaire()
    assert 10 <= len(data["questions"]) <= 15
    for question in data["questions"]:
        assert any(not choice.get("weights") for choice in question["choices"]), question["slug"]
        for choice in question["choices"]:
            assert set(choice.get("weights", {})) <= set(WEIGHT_CODES)
            assert choice.get("side", "") in ("", "left", "right")
