"""The old page's claims, stated as fact, do not come back in any template or shipped content file.

CONTENT.md's evidence section is the yardstick: pelvis position is not shown to cause back pain, no
stretch keeps a muscle relaxed for hours, contract-relax and static holds give similar gains over weeks
(most of the quick gain is better tolerance of the stretch), and Laird 2014 is a systematic review in
which only 3 of 43 studies measured standing pelvic tilt.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    [*(ROOT / "templates").rglob("*.html"), *(ROOT / "templates").rglob("*.txt")]
    + [*(ROOT / "articles" / "site_content").rglob("*.md"), *(ROOT / "articles" / "site_content").rglob("*.yaml")]
    + [*(ROOT / "assessment" / "site_content").rglob("*.yaml")]
)

# Each claim, with close variants. Matched against a file's text with whitespace folded, case ignored.
OVERCLAIMS = {
    "pelvis position decides which muscles are tight": r"depends? on (how|the way|where) your pelvis",
    "a few muscles cause most back pain": r"most (lower )?back pain involves only",
    "the wrong side makes an imbalance worse": r"wrong side[^.]{0,80}(worse|harm|add to|keeps? the difference)",
    "an imbalance made worse by stretching": r"make (an|the|your) imbalance worse",
    "stretching the low side adds to a tilt": r"low side (may|can|will) add to",
    "a muscle stays relaxed for hours": r"(stay|stays|staying|keep|keeps|kept)( it| them| the muscle| a muscle)? "
    r"relaxed (for (hours|longer|the night)|all night|through the night|overnight)",
    "relaxed for hours": r"relax\w* for hours|hours to stay relaxed|hours while you rest",
    "contract-relax lets a muscle go within seconds": r"(relax\w*|let\w*( a| the)?( muscle)? go|lets go) within seconds"
    r"|often within seconds|in seconds rather than minutes",
    "contract-relax relaxes a muscle more deeply": r"relax\w* more deeply",
    "a muscle let go quickly": r"let\w*( a| the)?( tight)?( muscle)? (to )?let go quickly|help\w* a muscle let go",
    "imbalance blamed for overworked muscles": r"(overwork\w*|work\w* overtime)[^.]{0,60}(pelvis|imbalance|balance)",
    "an imbalanced pelvis as a cause": r"imbalanced pelvis",
    "a systematic review takes every good study": r"all the good[- ]quality studies",
    "Laird 2014 described by its 43 studies alone": r"(review|looked at|pulled together)( of)? 43 studies",
}

# The honest denials the site uses, removed before matching so that saying "no" is allowed.
DENIALS = [
    r"no stretch (keeps|has been shown to keep) a muscle relaxed for hours",
]


def folded(text):
    text = " ".join(text.split()).lower()
    for denial in DENIALS:
        text = re.sub(denial, "", text)
    return text


def claims_in(text):
    text = folded(text)
    return sorted(name for name, pattern in OVERCLAIMS.items() if re.search(pattern, text))


def test_the_shipped_files_are_found():
    names = {path.name for path in SHIPPED}
    assert {"home.html", "muscle_list.html", "result.html", "muscles.yaml", "self_tests.yaml"} <= names
    assert {"effective-lower-back-stretches.md", "contact.md"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_overclaim_in_a_shipped_file(path):
    assert claims_in(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "old",
    [
        "Most lower back pain involves only two or three tight muscles. Which ones depends on how your pelvis sits.",
        "Stretching the wrong side can make an imbalance worse.",
        "stretching the wrong muscle, or the wrong side, may make an imbalance worse.",
        "Stretching both sides equally can leave the difference in place, and stretching the low side may add to it.",
        "Just before bed, so the muscle stays relaxed for hours.",
        "at night it stays relaxed for hours.",
        "Stretching just before bed gives it hours to stay relaxed.",
        "the muscle can stay relaxed for hours while you rest.",
        "Doing this just before bed may help the muscle stay relaxed for longer.",
        "contract-relax stretching that lets a muscle go within seconds.",
        "Many people feel a muscle let go within seconds.",
        "Many people find that a muscle relaxes within seconds this way, rather than minutes.",
        "it often relaxes more deeply than before.",
        "Contract-relax stretching can help a muscle let go quickly",
        "They often end up overworked when the pelvis is out of balance.",
        "These muscles often work overtime when the pelvis is out of balance.",
        "An imbalanced pelvis, which may leave them working harder all day.",
        "A systematic review gathers up all the good-quality studies on a question.",
        "A 2014 review by Laird and colleagues looked at 43 studies.",
        "a large review of 43 studies",
    ],
)
def test_the_old_wording_would_be_caught(old):
    """The patterns match the claims as the old pages put them, so the test above can fail."""
    assert claims_in(old), old


def test_the_honest_denial_is_allowed():
    assert claims_in("It is a habit, not a proven effect: no stretch keeps a muscle relaxed for hours.") == []


def test_the_march_test_says_about_twenty_steps_everywhere():
    """The march-and-stop check once said "a few seconds" in one place and 20-30 steps in another."""
    for path in SHIPPED:
        text = folded(path.read_text(encoding="utf-8"))
        for sentence in re.split(r"(?<=[.!?])\s", text):
            if "march" in sentence:
                assert "few seconds" not in sentence, (path.name, sentence)
                assert not re.search(r"20 to 30 steps|20-30 steps", sentence), (path.name, sentence)
    tests = (ROOT / "assessment" / "site_content" / "self_tests.yaml").read_text(encoding="utf-8")
    assert "about 20 steps" in tests


def test_laird_is_described_with_the_three_studies_that_measured_tilt():
    article = (ROOT / "articles/site_content/articles/what-the-evidence-says-about-posture.md").read_text()
    assert "systematic review" in article and "Only 3 of the 43 studies measured standing pelvic tilt" in article


@pytest.mark.parametrize(
    "name",
    ["contact.md", "trigger-points-and-referred-pain.md", "effective-lower-back-stretches.md"],
)
def test_pages_point_to_the_full_warning_sign_list_rather_than_a_short_one(name):
    (path,) = [p for p in SHIPPED if p.name == name]
    text = path.read_text(encoding="utf-8")
    assert "/articles/when-back-pain-needs-a-doctor/" in text and "(/assessment/)" in text
    # The old, shorter lists named saddle numbness and bladder trouble but none of the other 999 signs.
    assert "trouble passing urine" not in text and "bladder or bowel" not in text


def test_the_habits_replace_the_rules_on_the_stretches_page(client, db):
    from django.urls import reverse

    text = " ".join(client.get(reverse("articles:stretches")).content.decode().split())
    assert "Three useful habits" in text and "Three rules" not in text
    assert "Choose a few stretches that suit you." in text
    assert "Do them well." in text and "Make a calm routine of them." in text
    assert "not a proven effect" in text
