"""The design tokens (static/css/tokens.css) meet WCAG 2.2 AA: text 4.5:1 on the grounds it is used on, borders of
controls and boxes 3:1 against the page, and the focus ring 3:1 against every ground it can land on. The file is
read and its var() chains resolved here, so changing a colour there is checked at once; Bootstrap's own variables
are pointed at the tokens, with none of its default blue, cyan or green left in the site's stylesheets."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "static" / "css"
TOKENS = CSS / "tokens.css"


def parse_rules(text):
    """``{selector: {property: value}}`` of a stylesheet without nested blocks (tokens.css has none)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    assert "@" not in text, "tokens.css should hold plain rules only, so this test can read every one"
    rules = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = rules.setdefault(" ".join(selector.split()), {})
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
    return rules


RULES = parse_rules(TOKENS.read_text())
ROOT = RULES[":root"]


def resolve(value, scope=None):
    """Follow ``var(--name)`` through ``scope`` (a rule's own declarations), then :root, to a literal value."""
    for _ in range(10):
        found = re.fullmatch(r"var\((--[\w-]+)\)", value)
        if not found:
            return value
        name = found[1]
        value = (scope or {}).get(name) or ROOT[name]
    raise AssertionError(f"var() chain too long: {value}")


def rgb(value, scope=None):
    literal = resolve(value, scope)
    assert re.fullmatch(r"#[0-9a-f]{6}", literal), f"{value} is {literal!r}, not a six-digit hex colour"
    return tuple(int(literal[i : i + 2], 16) for i in (1, 3, 5))


def luminance(colour):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(rgb(a)), luminance(rgb(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def token(name):
    return f"var(--bp-{name})"


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes AA
    assert contrast("#ffffff", "#ffffff") == 1


def test_every_colour_token_is_a_hex_colour_named_once():
    """Each --bp- colour is a hex colour, and no reader stylesheet writes a colour of its own."""
    colours = {name: value for name, value in ROOT.items() if name.startswith("--bp-") and value.startswith("#")}
    assert len(colours) > 40
    for value in colours.values():
        rgb(value)
    # The admin's own stylesheets follow the Django admin's palette, not the site's.
    readers = [path for path in CSS.glob("*.css") if path != TOKENS and not path.name.startswith("admin_")]
    text = "".join(path.read_text() for path in readers)
    stray = set(re.findall(r"#[0-9a-fA-F]{3,6}\b", re.sub(r"/\*.*?\*/", "", text, flags=re.S)))
    assert not stray, f"colours written outside tokens.css: {sorted(stray)}"


# (text, ground) for every pairing the stylesheets use: 4.5:1 each.
TEXT_PAIRS = [
    *[(ink, "white") for ink in ("ink", "ink-soft", "ink-muted", "ink-hint", "ink-step", "navy", "link")],
    *[(ink, "white") for ink in ("link-hover", "teal", "teal-dark", "warn", "error", "same-day-ink", "gp")],
    *[(ink, ground) for ink in ("ink", "ink-soft", "ink-muted", "link", "navy") for ground in ("paper", "mist")],
    *[(ink, "teal-pale") for ink in ("ink", "ink-soft", "link", "navy", "teal", "teal-darker")],
    *[("white", ground) for ground in ("navy", "navy-dark", "teal", "teal-dark", "teal-darker", "warn")],
    *[("white", ground) for ground in ("warn-dark", "warn-darker", "same-day-ink", "same-day-dark")],
    ("warn", "warn-pale"),
    ("warn", "warn-paler"),
    ("warn-dark", "warn-pale"),
    ("ink", "warn-pale"),
    ("ink-soft", "warn-pale"),
    ("link", "warn-paler"),
    ("same-day-ink", "warn-paler"),
    ("gp", "warn-paler"),
    ("same-day-ink", "same-day-pale"),
    ("ink-soft", "same-day-pale"),
    ("gp", "gp-pale"),
    ("gp-ink", "gp-pale"),
    ("ink", "highlight"),
    ("ink", "reply-bg"),
    ("ink", "note-bg"),
]


@pytest.mark.parametrize(("text", "ground"), TEXT_PAIRS)
def test_text_on_its_ground_meets_aa(text, ground):
    assert contrast(token(text), token(ground)) >= 4.5


def component_pairs():
    """(selector, text variable, ground variable) for each state Bootstrap draws from a rule's variables:
    ``--bs-btn-hover-color`` on ``--bs-btn-hover-bg`` and so on, and an alert's links on its ground. Disabled
    states are left out, as WCAG does."""
    pairs = []
    for selector, declarations in RULES.items():
        for name in declarations:
            if name.endswith("-color") and "disabled" not in name:
                ground = name.removesuffix("color") + "bg"
                if ground in declarations:
                    pairs.append((selector, name, ground))
        if "--bs-alert-link-color" in declarations:
            pairs.append((selector, "--bs-alert-link-color", "--bs-alert-bg"))
    return pairs


def test_bootstrap_components_text_meets_aa_in_every_state():
    pairs = component_pairs()
    selectors = {selector for selector, _, _ in pairs}
    assert {".btn-primary", ".btn-outline-primary", ".alert-info, .alert-success", ".pagination"} <= selectors
    assert {".alert-warning", ".alert-danger"} <= selectors and len(pairs) >= 16
    for selector, text, ground in pairs:
        scope = RULES[selector]
        ratio = contrast(resolve(scope[text], scope), resolve(scope[ground], scope))
        assert ratio >= 4.5, f"{selector}: {text} on {ground} is {ratio:.2f}:1"


# Edges that show where a control or a box is, against the ground beside them: 3:1 each.
BORDER_PAIRS = [
    ("control-border", "white"),  # text boxes, radios, checkboxes, pagination
    ("control-border", "paper"),
    ("control-border", "teal-pale"),  # a score bar's track
    ("teal", "white"),  # buttons, a checked radio, a score bar's fill, information boxes
    ("teal", "teal-pale"),  # a score bar's fill on its track
    ("warn", "white"),  # the care box, the warning-signs box, danger boxes
    ("same-day-border", "white"),
    ("error", "white"),  # the error summary, a question with an error
    ("gp", "white"),  # warning boxes, see-a-GP advice
    ("teal-light", "navy"),  # the current menu item's underline
    ("white", "navy"),  # the phone's Menu button
]


@pytest.mark.parametrize(("edge", "ground"), BORDER_PAIRS)
def test_edges_of_controls_and_boxes_meet_3_to_1(edge, ground):
    assert contrast(token(edge), token(ground)) >= 3


def test_alert_and_button_edges_meet_3_to_1_against_the_page():
    for selector in (".btn-primary", ".btn-outline-primary", ".alert-info, .alert-success", ".alert-warning"):
        scope = RULES[selector]
        edge = scope.get("--bs-btn-border-color") or scope["--bs-alert-border-color"]
        assert contrast(resolve(edge, scope), token("white")) >= 3, selector
    assert contrast(RULES[".alert-danger"]["--bs-alert-border-color"], token("white")) >= 3


GROUNDS = ["white", "paper", "mist", "teal-pale", "warn-pale", "warn-paler", "same-day-pale", "gp-pale"]
GROUNDS += ["navy", "navy-dark", "teal", "teal-dark", "warn", "same-day-ink"]


@pytest.mark.parametrize("ground", GROUNDS)
def test_the_focus_ring_stands_out_on_every_ground(ground):
    """The ring is two colours, a yellow outline over a near-black halo: on any ground one of them reaches 3:1."""
    ring, halo = token("focus"), token("focus-shadow")
    assert max(contrast(ring, token(ground)), contrast(halo, token(ground))) >= 3


def test_the_focus_ring_is_built_from_its_two_colours_and_bootstrap_uses_it():
    assert contrast(token("focus"), token("focus-shadow")) >= 3
    assert ROOT["--bp-focus-ring"] == "var(--bp-focus-width) solid var(--bp-focus)"
    assert ROOT["--bp-focus-halo"].endswith("var(--bp-focus-shadow)")
    assert resolve(ROOT["--bs-focus-ring-color"]) == resolve(token("focus"))
    for selector in (".form-check-input:focus-visible", ".btn:focus-visible, .btn-check:focus-visible + .btn"):
        assert RULES[selector]["outline"] == "var(--bp-focus-ring)", selector


def test_bootstrap_s_variables_point_at_the_tokens():
    for name in ("--bs-primary", "--bs-link-color", "--bs-link-hover-color", "--bs-focus-ring-color"):
        assert ROOT[name].startswith("var(--bp-"), name
    for name, value in ROOT.items():
        if name.endswith("-rgb"):
            colour = name.removesuffix("-rgb")
            numbers = tuple(int(n) for n in value.split(","))
            assert numbers == rgb(ROOT[colour]), f"{name} is not {colour} as numbers"
    assert rgb(ROOT["--bs-primary"]) == rgb(token("teal"))
    assert rgb(
        RULES['.form-check-input:checked, .form-check-input[type="checkbox"]:indeterminate']["background-color"]
    ) == rgb(token("teal"))


def test_no_bootstrap_default_blue_cyan_or_green_is_left():
    """Bootstrap's blue (#0d6efd), cyan (#0dcaf0) and green (#198754) and its focus glow: in none of the site's
    stylesheets, and each Bootstrap variable that would carry them is redefined."""
    text = "".join(path.read_text().lower() for path in CSS.glob("*.css"))
    for default in ("#0d6efd", "#0dcaf0", "#198754", "13, 110, 253", "#86b7fe"):
        assert default not in text
    for name in ("--bs-primary", "--bs-info", "--bs-success", "--bs-info-bg-subtle", "--bs-success-text-emphasis"):
        assert name in ROOT, name
    assert ".form-control:focus, .form-select:focus" in RULES and ".pagination" in RULES
