"""
Turn a reader's answers into a likely imbalance, a side and a bedtime routine.

Pure functions on plain data: no database, no request, so every rule can be tested
on its own. The rules are deliberately simple and cautious:

- each chosen answer adds its points to the imbalances it supports;
- an imbalance needs at least ``THRESHOLD`` points to be suggested at all;
- imbalances within ``MARGIN`` points of the leader are reported together, because
  a self-check cannot honestly pick between them;
- for a one-sided imbalance, the side is the one most answers supporting it point to,
  or "unclear" when they do not agree.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ANTERIOR = "anterior-pelvic-tilt"
POSTERIOR = "posterior-pelvic-tilt"
LATERAL = "lateral-pelvic-tilt"
ROTATION = "pelvic-rotation"
IMBALANCES = (ANTERIOR, POSTERIOR, LATERAL, ROTATION)
SIDED = frozenset({LATERAL, ROTATION})

THRESHOLD = 4
MARGIN = 2

LEFT, RIGHT, UNCLEAR = "left", "right", "unclear"
SINGLE, TIE, NONE = "single", "tie", "none"


@dataclass(frozen=True)
class Answer:
    """One chosen answer: the question and label (for explaining), its weights and side vote."""

    question: str
    label: str
    weights: Mapping[str, int] = field(default_factory=dict)
    side_vote: str = ""


@dataclass(frozen=True)
class Outcome:
    """The decision: ``kind`` is single, tie or none; ``leaders`` are the suggested imbalances, best first."""

    kind: str
    leaders: tuple[str, ...]

    @property
    def code(self):
        """The value stored on a saved result: an imbalance code, "tie" or "none"."""
        return self.leaders[0] if self.kind == SINGLE else self.kind


@dataclass(frozen=True)
class Reason:
    """An answer that supported a suggested imbalance, and by how many points."""

    imbalance: str
    question: str
    label: str
    points: int


def score(answers: Iterable[Answer], imbalances: Iterable[str] = IMBALANCES) -> dict[str, int]:
    """Add up each imbalance's points over the answers; unknown imbalance codes are ignored."""
    totals = dict.fromkeys(imbalances, 0)
    for answer in answers:
        for code, points in answer.weights.items():
            if code in totals:
                totals[code] += int(points)
    return totals


def rank(scores: Mapping[str, int]) -> list[str]:
    """Imbalances from the highest score to the lowest; equal scores keep a fixed order (by code)."""
    return sorted(scores, key=lambda code: (-scores[code], code))


def decide(scores: Mapping[str, int], threshold: int = THRESHOLD, margin: int = MARGIN) -> Outcome:
    """Suggest the imbalance(s) the scores point to, or honestly none.

    Nothing is suggested below ``threshold``. Every imbalance that reaches it and is
    less than ``margin`` points behind the leader is suggested too, as a tie.
    """
    ranked = rank(scores)
    if not ranked or scores[ranked[0]] < threshold:
        return Outcome(NONE, ())
    top = scores[ranked[0]]
    leaders = tuple(code for code in ranked if scores[code] >= threshold and top - scores[code] < margin)
    return Outcome(SINGLE if len(leaders) == 1 else TIE, leaders)


def decide_side(votes: Iterable[str]) -> str:
    """The side most votes point to; "unclear" with no votes or a draw. Empty votes are ignored."""
    left = right = 0
    for vote in votes:
        left += vote == LEFT
        right += vote == RIGHT
    if left > right:
        return LEFT
    if right > left:
        return RIGHT
    return UNCLEAR


def sides(answers: Iterable[Answer], imbalances: Iterable[str] = SIDED) -> dict[str, str]:
    """For each one-sided imbalance, decide the side from the votes of answers that support it."""
    answers = list(answers)
    return {
        code: decide_side(a.side_vote for a in answers if a.weights.get(code, 0) > 0 and a.side_vote)
        for code in imbalances
    }


def explain(answers: Iterable[Answer], outcome: Outcome) -> list[Reason]:
    """The answers that gave points to the suggested imbalances, strongest first, for "why this result"."""
    reasons = [
        Reason(code, answer.question, answer.label, int(answer.weights[code]))
        for code in outcome.leaders
        for answer in answers
        if int(answer.weights.get(code, 0)) > 0
    ]
    order = {code: index for index, code in enumerate(outcome.leaders)}
    return sorted(reasons, key=lambda reason: (order[reason.imbalance], -reason.points))


@dataclass(frozen=True)
class RoutineItem:
    """One stretch in the bedtime routine: ``seconds_per_side`` times ``side_count`` sides."""

    muscle: str
    stretch: str
    seconds_per_side: int
    side_count: int

    @property
    def seconds(self):
        return self.seconds_per_side * self.side_count


def routine_minutes(items: Iterable[RoutineItem]) -> int:
    """Whole minutes for the routine, rounded up; zero for no stretches."""
    return math.ceil(sum(item.seconds for item in items) / 60)
