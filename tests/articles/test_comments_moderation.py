"""The pure rules behind moderation: cleaning reader text and spotting comments to read first."""

import pytest

from articles.moderation import clean_text, describe_reasons, has_visible_text, priority_reasons


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Since Tuesday I have saddle numbness and it scares me", "saddle numbness"),
        ("my bum and inner thighs feel numb", "saddle numbness"),
        ("I've gone numb around my groin", "saddle numbness"),
        ("I can't control my bladder since the pain started", "bladder or bowel control"),
        ("Lost control of my bowels yesterday", "bladder or bowel control"),
        ("Both legs feel weak when I walk", "weakness or numbness in both legs"),
        ("my legs keep going numb", "weakness or numbness in both legs"),
        ("I've had a fever and chills with this back pain", "fever with back pain"),
        ("It started after I fell off a ladder", "a fall or accident"),
        ("Back pain since a car accident", "a fall or accident"),
        ("I had breast cancer five years ago", "history of cancer"),
        ("I'm losing weight without trying", "unexplained weight loss"),
        ("The pain is worst at night and wakes me up", "constant pain at night"),
        ("I have osteoporosis, is this stretch safe?", "osteoporosis or long-term steroids"),
        ("I INJECT DRUGS and my back hurts", "weakened immune system or injected drugs"),
        ("Ｃancer survivor here", "history of cancer"),
    ],
)
def test_red_flag_symptoms_are_spotted(text, reason):
    """Each red flag in the site's safety rules marks a comment for priority review, whatever the case or form."""
    reasons = priority_reasons(text)
    if reason is None:
        assert reasons == []
    else:
        assert f"mentions {reason}" in reasons


@pytest.mark.parametrize(
    "text",
    [
        "Do I have sciatica?",
        "What is wrong with me? My back clicks.",
        "what’s wrong with me",
        "Can you diagnose this pain in my hip?",
        "Could it be a slipped disc?",
        "Is it a herniated disc do you think",
        "Should I see a doctor about this?",
    ],
)
def test_requests_for_a_diagnosis_are_spotted(text):
    assert "asks for a diagnosis or personal advice" in priority_reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "Great article, thank you!",
        "The hamstring stretch felt good after a run.",
        "I do these every morning before work and sit less now.",
        "Is this a good stretch for runners?",
    ],
)
def test_ordinary_comments_are_not_flagged(text):
    assert priority_reasons(text) == []


def test_reasons_read_as_a_sentence_for_editors():
    assert describe_reasons(["mentions history of cancer", "asks for a diagnosis"]) == (
        "Mentions history of cancer; asks for a diagnosis"
    )
    assert describe_reasons([]) == ""
    assert len(describe_reasons(["x" * 200, "y" * 200])) == 300


def test_clean_text_drops_control_and_bidi_characters_but_keeps_lines_tabs_and_emoji():
    text = "  Hello\x07 there\r\nsecond\tline \u202eevil\u202c \x85\U0001f600 \ue000  "
    assert clean_text(text) == "Hello there\nsecond\tline evil \U0001f600 \ue000"


def test_clean_text_leaves_nothing_of_whitespace_and_controls():
    assert clean_text(" \t\r\n\x0b\x1b\u202e ") == ""


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("\u200b\u200c\u200d\u2060\ufeff", False),
        ("\u3164\u115f\u1160\uffa0\u2800 \n\t", False),
        ("", False),
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", True),  # a family emoji, joined by zero-width joiners
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", True),  # Persian needs the zero-width non-joiner
        ("\u200bok", True),
    ],
)
def test_has_visible_text_ignores_only_characters_that_draw_nothing(text, visible):
    assert has_visible_text(text) is visible
