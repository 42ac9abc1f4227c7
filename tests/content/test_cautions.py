"""The shipped stretches carry the cautions patient handouts give, each saying what to do, on the page a reader sees."""

import html
import re

import pytest

from articles.models import Stretch

ACTIONS = re.compile(r"\b(skip|ask|check|don't|do not|avoid|keep|stop|leave|make|widen|sit|lift it no higher)\b", re.I)

HIP_REPLACEMENT = "hip replacement"
OSTEOPOROSIS = "osteoporosis"
PREGNANCY_LYING = "16 weeks"  # lying flat on the back after about 16 weeks
PREGNANCY_INNER_THIGH = "pelvic girdle pain"
BENDING_BACKWARDS = "bending backwards"
DISC = "disc"

REQUIRED = {
    "standing-side-bend-contract-relax": [HIP_REPLACEMENT, OSTEOPOROSIS],
    "childs-pose": [HIP_REPLACEMENT, OSTEOPOROSIS, DISC],
    "childs-pose-side-reach": [HIP_REPLACEMENT, OSTEOPOROSIS, DISC],
    "seated-forward-bend-contract-relax": [HIP_REPLACEMENT, OSTEOPOROSIS, DISC],
    "lying-hamstring-stretch-strap": [HIP_REPLACEMENT, PREGNANCY_LYING, DISC],
    "hamstring-contract-relax-strap": [HIP_REPLACEMENT, PREGNANCY_LYING, DISC],
    "doorway-hamstring-stretch": [HIP_REPLACEMENT, PREGNANCY_LYING, DISC],
    "side-lying-ql-stretch-pillow": [OSTEOPOROSIS],
    "edge-of-bed-hip-flexor-stretch": [PREGNANCY_LYING, BENDING_BACKWARDS],
    "knees-to-chest": [PREGNANCY_LYING, DISC, HIP_REPLACEMENT],
    "lying-butterfly-stretch": [PREGNANCY_LYING],
    "lying-knee-drop-adductor-contract-relax": [PREGNANCY_LYING, PREGNANCY_INNER_THIGH],
    "kneeling-side-leg-adductor-stretch": [PREGNANCY_INNER_THIGH],
    "kneeling-hip-flexor-stretch": [BENDING_BACKWARDS],
    "side-lying-front-thigh-contract-relax": [BENDING_BACKWARDS],
}


def caution_lines(stretch):
    return [line.strip() for line in stretch.cautions.splitlines() if line.strip()]


@pytest.mark.parametrize(("slug", "needed"), sorted(REQUIRED.items()))
def test_the_stretch_carries_its_cautions_and_says_what_to_do(site_content, slug, needed):
    stretch = Stretch.objects.get(slug=slug)
    for words in needed:
        lines = [line for line in caution_lines(stretch) if words in line.lower()]
        assert lines, f"{slug} has no caution about {words!r}"
        assert all(ACTIONS.search(line) for line in lines), (slug, lines)


def test_every_shipped_stretch_is_checked(site_content):
    assert set(REQUIRED) == set(Stretch.objects.values_list("slug", flat=True))


def test_the_crossed_feet_side_bend_tells_a_reader_with_a_new_hip_not_to_cross_them(client, site_content):
    stretch = Stretch.objects.select_related("muscle").get(slug="standing-side-bend-contract-relax")
    assert "Cross your left foot behind your right foot" in " ".join(stretch.steps)
    text = " ".join(html.unescape(client.get(stretch.get_absolute_url()).content.decode()).replace("’", "'").split())
    assert "Hip replacement:</strong> don't cross your feet." in text


def test_the_lunge_page_shows_the_bending_backwards_caution(client, site_content):
    stretch = Stretch.objects.select_related("muscle").get(slug="kneeling-hip-flexor-stretch")
    text = " ".join(html.unescape(client.get(stretch.get_absolute_url()).content.decode()).replace("’", "'").split())
    assert "If bending backwards makes your back pain worse:</strong> keep your tailbone tucked" in text
