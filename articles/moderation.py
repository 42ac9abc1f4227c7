"""Rules for readers' comments that need no database or request: cleaning text and spotting
comments an editor should read first.

A comment is marked for priority review when it mentions a red-flag symptom
(the list in the site's safety rules) or asks for a diagnosis. The patterns
are deliberately broad: a false alarm costs an editor a minute, a miss could
cost a reader much more.
"""

import re
import unicodedata

# Bidirectional embedding, override and isolate controls: they can make text display in a different
# order from how it reads ("Trojan Source"). Plain comments never need them.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
KEPT_CONTROLS = {"\n", "\t"}
# Letters and symbols that draw nothing, used to pass "not empty" checks (Hangul fillers, the blank
# Braille pattern); zero-width characters are category Cf and handled by ``has_visible_text``.
BLANK_CHARACTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}

RED_FLAGS = [
    (
        "saddle numbness",
        r"saddle|numb\w*\s+(?:\w+\s+){0,4}(?:groin|genital|privates|bum|buttock|bottom|inner thigh|crotch)"
        r"|(?:groin|genitals|privates|bum|buttocks|bottom|inner thighs|crotch)\s+(?:\w+\s+){0,4}numb",
    ),
    (
        "bladder or bowel control",
        r"bladder|bowel|incontinen\w*"
        r"|(?:can'?t|cannot|trouble|problems?|unable to)\s+(?:\w+\s+){0,2}(?:pee|wee|urinat\w*)"
        r"|wet (?:my ?self|the bed)|passing urine",
    ),
    (
        "weakness or numbness in both legs",
        r"both (?:my )?legs|weak(?:ness)? in (?:my )?legs"
        r"|legs? (?:\w+\s+){0,3}(?:weak|numb|giving way|gave way|collaps)\w*",
    ),
    ("fever with back pain", r"fever|chills|high temperature|feverish"),
    ("a fall or accident", r"\bfell\b|\bfall(?:en)?\b|accident|car crash|crashed"),
    ("osteoporosis or long-term steroids", r"osteoporo\w*|steroid\w*|brittle bones"),
    ("history of cancer", r"cancer|tumou?r|chemo\w*|malignan\w*|oncolog\w*"),
    ("unexplained weight loss", r"weight loss|los(?:t|ing) (?:a lot of |some )?weight"),
    ("constant pain at night", r"(?:pain|hurts?|ache)\s+(?:\w+\s+){0,3}(?:at|every|all) night|night pain|wakes? me up"),
    ("weakened immune system or injected drugs", r"immun\w*|inject\w* drugs?|\bhiv\b"),
]
DIAGNOSIS_REQUESTS = (
    r"do i have|what do i have|what(?:'s| is) wrong with me|could (?:it|this) be"
    r"|is (?:it|this) (?:an? )?(?:slipped|herniated|bulging|trapped|pinched|sciatica|disc|serious)"
    r"|diagnos\w*|what should i (?:do|take)|should i (?:see|go to) (?:a|the) (?:doctor|gp|hospital)"
)

_RED_FLAG_PATTERNS = [(label, re.compile(pattern)) for label, pattern in RED_FLAGS]
_DIAGNOSIS_PATTERN = re.compile(DIAGNOSIS_REQUESTS)


def clean_text(text):
    """Return ``text`` fit to store: control characters removed (tabs and line breaks kept), line
    endings unified, bidirectional overrides dropped, surrounding white space trimmed.

    NUL bytes never reach here: the form rejects them outright, as a sign of a
    broken client or an attack rather than a typo.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(BIDI_CONTROLS)
    text = "".join(char for char in text if char in KEPT_CONTROLS or unicodedata.category(char) not in {"Cc", "Cs"})
    return text.strip()


def has_visible_text(text):
    """Whether ``text`` shows anything: not only spaces, zero-width and other format characters, or blanks.

    Such characters are kept inside real text (a zero-width joiner builds emoji and some scripts need
    them); only text made of nothing else counts as empty.
    """
    return any(
        not char.isspace() and unicodedata.category(char) != "Cf" and char not in BLANK_CHARACTERS for char in text
    )


def _normalise(text):
    # Fold compatibility forms (full-width letters, ligatures), case and curly apostrophes so
    # "Ｃancer" and "I’ve" match like their plain spellings.
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    return " ".join(text.split())


def priority_reasons(text):
    """Return why a comment needs an editor first, as short phrases; an empty list when it does not."""
    text = _normalise(text)
    reasons = [f"mentions {label}" for label, pattern in _RED_FLAG_PATTERNS if pattern.search(text)]
    if _DIAGNOSIS_PATTERN.search(text):
        reasons.append("asks for a diagnosis or personal advice")
    return reasons


def describe_reasons(reasons):
    """Join reasons into the sentence editors see in the admin (at most 300 characters)."""
    sentence = "; ".join(reasons)
    return sentence[:1].upper() + sentence[1:300]
