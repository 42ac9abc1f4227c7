"""
Turn a reader's answers into the patterns their home checks fit, a side, and a bedtime routine.

Pure functions on plain data: no database, no request, so every rule can be tested on its own.
The rules claim only what the checks show:

- only home checks are evidence; where it hurts and everyday habits are context, shown to the
  reader but never scored;
- a pattern is suggested only when at least one home check is clearly positive for it; a weak sign
  (a normal variant such as a belt line lower at the front, or a supporting sign such as a deeper
  waist crease) adds points but is never enough on its own;
- checks that point to opposite patterns (a forward and a backward tilt) are reported as
  disagreeing, with no plan for either;
- when too few checks gave a clear answer, the honest outcome is "not enough to go on";
- for a one-sided pattern the side comes from the direct checks (the ones that look at the side
  itself); indirect signs decide only when no direct check does, and only when they all agree.
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
# Patterns that cannot both be true: a plan for both would stretch and strengthen the same muscles.
OPPOSED = (frozenset({ANTERIOR, POSTERIOR}),)

LEFT, RIGHT, UNCLEAR = "left", "right", "unclear"

# What one answer to a home check shows.
NORMAL = "normal"  # the check found nothing
POSITIVE = "positive"  # clearly fits a pattern: enough, on its own, to suggest it
WEAK = "weak"  # a normal variant or a supporting sign: adds points, never enough alone
UNSURE = "unsure"  # "not sure" or "couldn't do it"
FINDINGS = (NORMAL, POSITIVE, WEAK, UNSURE)

# How a check's side vote is read.
DIRECT = "direct"  # looks at the side itself: which hip is higher, which side is forward
INDIRECT = "indirect"  # a sign that often goes with a side: a deeper waist crease, a hip drop

# Outcome kinds. SEVERAL is stored as "tie", the name earlier results were saved with.
SINGLE, SEVERAL, NONE, DISAGREE, NOT_ENOUGH = "single", "tie", "none", "disagree", "unsure"


@dataclass(frozen=True)
class Answer:
    """One chosen answer, as plain data.

    ``weights`` are points per pattern and ``side_vote`` the side it points to; ``finding`` says what
    it shows (one of ``FINDINGS``); ``context`` marks answers about pain and habits, never scored;
    ``side_evidence`` says whether its side vote is ``DIRECT`` or ``INDIRECT``.
    """

    question: str
    label: str
    weights: Mapping[str, int] = field(default_factory=dict)
    side_vote: str = ""
    finding: str = NORMAL
    context: bool = False
    side_evidence: str = INDIRECT

    def supports(self, code):
        """True when this is a home-check answer that gives points to ``code``."""
        return not self.context and int(self.weights.get(code, 0)) > 0


@dataclass(frozen=True)
class Outcome:
    """The decision: ``kind`` is one of the outcome kinds; ``leaders`` are the suggested patterns, strongest first."""

    kind: str
    leaders: tuple[str, ...] = ()

    @property
    def code(self):
        """The value stored on a saved result: a pattern's code, or the kind."""
        return self.leaders[0] if self.kind == SINGLE else self.kind


@dataclass(frozen=True)
class Reason:
    """A home-check answer that supported a pattern, how many points it gave, and what it showed."""

    imbalance: str
    question: str
    label: str
    points: int
    finding: str


def checks(answers: Iterable[Answer]) -> list[Answer]:
    """The answers that are evidence: home checks, not context."""
    return [answer for answer in answers if not answer.context]


def score(answers: Iterable[Answer], imbalances: Iterable[str] = IMBALANCES) -> dict[str, int]:
    """Add up each pattern's points over the home checks; context and unknown codes add nothing."""
    totals = dict.fromkeys(imbalances, 0)
    for answer in checks(answers):
        for code, points in answer.weights.items():
            if code in totals:
                totals[code] += int(points)
    return totals


def candidates(answers: Iterable[Answer]) -> set[str]:
    """The patterns with at least one clearly positive home check."""
    return {code for answer in answers if answer.finding == POSITIVE for code in IMBALANCES if answer.supports(code)}


def conflicts(answers: Iterable[Answer]) -> list[frozenset]:
    """The pairs of opposite patterns that both have support, at least one of them clearly."""
    answers = list(answers)
    fits = candidates(answers)
    supported = {code for code in IMBALANCES if any(answer.supports(code) for answer in answers)}
    return [pair for pair in OPPOSED if pair <= supported and pair & fits]


def rank(scores: Mapping[str, int], codes: Iterable[str]) -> list[str]:
    """``codes`` from the most points to the fewest; equal points keep the order of ``IMBALANCES``."""
    return sorted(codes, key=lambda code: (-scores.get(code, 0), IMBALANCES.index(code)))


def decide(answers: Iterable[Answer]) -> Outcome:
    """Say which patterns the home checks fit, that they disagree, that they fit none, or that they are too unsure."""
    answers = checks(answers)
    if conflicts(answers):
        return Outcome(DISAGREE)
    fits = candidates(answers)
    if fits:
        leaders = tuple(rank(score(answers), fits))
        return Outcome(SINGLE if len(leaders) == 1 else SEVERAL, leaders)
    clear = [answer for answer in answers if answer.finding != UNSURE]
    if not answers or 2 * len(clear) < len(answers):
        return Outcome(NOT_ENOUGH)
    return Outcome(NONE)


def decide_side(answers: Iterable[Answer], code: str) -> str:
    """The side of pattern ``code``: from the direct checks, else from indirect signs that all agree.

    Direct checks that disagree with each other make the side unclear, whatever their points: a
    guess could stretch the side a direct check found low. Indirect signs never outvote a direct
    check, and when they disagree with each other the side is unclear, never the other side.
    """
    votes = [a for a in checks(answers) if a.supports(code) and a.side_vote in (LEFT, RIGHT)]
    direct = {a.side_vote for a in votes if a.side_evidence == DIRECT}
    indirect = {a.side_vote for a in votes if a.side_evidence != DIRECT}
    found = direct or indirect
    return found.pop() if len(found) == 1 else UNCLEAR


def sides(answers: Iterable[Answer], imbalances: Iterable[str] = SIDED) -> dict[str, str]:
    """For each one-sided pattern, its side (see ``decide_side``)."""
    answers = list(answers)
    return {code: decide_side(answers, code) for code in imbalances}


def explain(answers: Iterable[Answer], outcome: Outcome) -> list[Reason]:
    """The home-check answers behind the result, strongest first, for "what your checks showed".

    For suggested patterns: the answers that supported them. When the checks disagree: the answers
    on each side of the disagreement.
    """
    answers = checks(answers)
    codes = outcome.leaders
    if outcome.kind == DISAGREE:
        codes = tuple(code for pair in conflicts(answers) for code in IMBALANCES if code in pair)
    reasons = [
        Reason(code, answer.question, answer.label, int(answer.weights[code]), answer.finding)
        for code in codes
        for answer in answers
        if answer.supports(code)
    ]
    order = {code: index for index, code in enumerate(codes)}
    return sorted(reasons, key=lambda reason: (order[reason.imbalance], reason.finding != POSITIVE, -reason.points))


@dataclass(frozen=True)
class RoutineItem:
    """One stretch in the bedtime routine: ``set_seconds`` for one set, done on ``side_count`` sides.

    A stretch done with both legs at once, or on one named side, has a ``side_count`` of 1.
    """

    muscle: str
    stretch: str
    set_seconds: int
    side_count: int

    @property
    def seconds(self):
        return self.set_seconds * self.side_count


def routine_minutes(items: Iterable[RoutineItem]) -> int:
    """Whole minutes for the routine, rounded up; zero for no stretches."""
    return math.ceil(sum(item.seconds for item in items) / 60)
