# ruff: noqa: E501  (pose tables read best one figure to a line)
"""Build the stretch and self-test figures from shared primitives.

Run by hand from the repository root, then commit the output:

    .venv/bin/python static/img/figures/build.py

Every figure uses the same body (head, torso, upper and lower limbs as thick
round-capped strokes), the same line weights and colours, a floor, bed or wall
line, one accent colour for the stretched muscle, an arrow for the movement and,
where it helps, a faded start position. Output: static/img/stretches/*.svg and
static/img/self-tests/*.svg, each a standalone SVG with a title and a description,
no scripts, no event attributes and no external references.
"""

import math
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

ROOT = Path(__file__).resolve().parents[3]
NEAR, FAR, GHOST = "#1f3b57", "#7f95aa", "#1f3b57"
ACCENT, FURN, MARK = "#e0662f", "#b9c4ce", "#0f766e"
W = {"torso": 24, "thigh": 14, "shin": 11, "upper": 10, "fore": 8, "head": 12}


def f(v):
    return f"{v:.0f}" if abs(v - round(v)) < 0.05 else f"{v:.1f}"


def pts(points):
    return " ".join(f"{f(x)},{f(y)}" for x, y in points)


def line(points, width, colour, extra=""):
    return f'<polyline points="{pts(points)}" stroke="{colour}" stroke-width="{width}"{extra}/>'


def curve(a, c, b, width, colour, extra=""):
    d = f"M{f(a[0])},{f(a[1])} Q{f(c[0])},{f(c[1])} {f(b[0])},{f(b[1])}"
    return f'<path d="{d}" stroke="{colour}" stroke-width="{width}"{extra}/>'


def lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def body(p, colour=NEAR, far=FAR):
    """One figure from its joints. p: head, neck, hip (or 'back' Q-control),
    near/far legs (hip, knee, foot) and arms (shoulder, elbow, hand)."""
    out = []
    for key, c in (("far_leg", far), ("far_arm", far)):
        if key in p:
            h, k, ft = p[key]
            w1, w2 = (W["thigh"], W["shin"]) if "leg" in key else (W["upper"], W["fore"])
            out += [line([h, k], w1, c), line([k, ft], w2, c)]
    tw = p.get("torso_w", W["torso"])
    if "back" in p:
        out.append(curve(p["hip"], p["back"], p["neck"], tw, colour))
    else:
        out.append(line([p["hip"], p["neck"]], tw, colour))
    hx, hy = p["head"]
    out.append(f'<circle cx="{f(hx)}" cy="{f(hy)}" r="{W["head"]}" fill="{colour}"/>')
    for key in ("near_leg", "near_arm"):
        if key in p:
            h, k, ft = p[key]
            w1, w2 = (W["thigh"], W["shin"]) if "leg" in key else (W["upper"], W["fore"])
            out += [line([h, k], w1, colour), line([k, ft], w2, colour)]
    return "".join(out)


def ghost(p):
    return f'<g opacity=".22">{body(p, GHOST, GHOST)}</g>'


def hl(a, b, t0=0.1, t1=0.8, width=7):
    return line([lerp(a, b, t0), lerp(a, b, t1)], width, ACCENT)


def hl_curve(a, c, b, width=7):
    return curve(a, c, b, width, ACCENT)


def arrow(points, colour=ACCENT, curved=False):
    """A movement arrow along points (2 points, or 3 for a curve), head at the end."""
    if curved:
        a, c, b = points
        shaft = f'<path d="M{f(a[0])},{f(a[1])} Q{f(c[0])},{f(c[1])} {f(b[0])},{f(b[1])}" stroke="{colour}" stroke-width="3"/>'
        tail = c
    else:
        a, b = points
        shaft = line([a, b], 3, colour)
        tail = a
    ang = math.atan2(b[1] - tail[1], b[0] - tail[0])
    tip = (b[0] + 6 * math.cos(ang), b[1] + 6 * math.sin(ang))
    left = (b[0] + 7 * math.cos(ang + 2.2), b[1] + 7 * math.sin(ang + 2.2))
    r = (b[0] + 7 * math.cos(ang - 2.2), b[1] + 7 * math.sin(ang - 2.2))
    return shaft + f'<polygon points="{pts([tip, left, r])}" fill="{colour}" stroke="none"/>'


def bed(x0, x1, top, legs=True):
    s = f'<rect x="{x0}" y="{top}" width="{x1 - x0}" height="16" rx="5" fill="#e8eef3" stroke="{FURN}" stroke-width="3"/>'
    if legs:
        s += line([(x0 + 10, top + 16), (x0 + 10, 192)], 4, FURN) + line([(x1 - 10, top + 16), (x1 - 10, 192)], 4, FURN)
    return s


def floor(y=192, x0=8, x1=312):
    return line([(x0, y), (x1, y)], 3, FURN)


def pillow(x, y, rx=18, ry=7):
    return f'<ellipse cx="{x}" cy="{y}" rx="{rx}" ry="{ry}" fill="#fff" stroke="{FURN}" stroke-width="3"/>'


def dashed(points, colour=MARK):
    return line(points, 2, colour, ' stroke-dasharray="5 4"')


def svg(slug, title, desc, parts, view="0 0 320 200"):
    t = escape(title)
    d = escape(desc)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view}" role="img" aria-labelledby="t-{slug} d-{slug}">'
        f'<title id="t-{slug}">{t}</title><desc id="d-{slug}">{d}</desc>'
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">' + "".join(parts) + "</g></svg>\n"
    )


# ---------------------------------------------------------------- stretches
def lying(hip, head_right=True, y=None):
    """Joints of a person lying on their back, hips at hip, head to the right."""
    x, yy = hip
    return {"hip": (x, yy), "neck": (x + 78, yy), "head": (x + 100, yy - 4)}


FIG = {}

k = {
    "hip": (135, 128),
    "neck": (140, 72),
    "head": (143, 52),
    "far_leg": ((135, 128), (105, 184), (60, 186)),
    "near_leg": ((135, 128), (190, 132), (192, 186)),
    "near_arm": ((140, 78), (158, 104), (182, 124)),
}
g = dict(
    k,
    hip=(122, 130),
    neck=(132, 73),
    head=(135, 53),
    far_leg=((122, 130), (105, 184), (60, 186)),
    near_leg=((122, 130), (178, 134), (192, 186)),
    near_arm=((132, 79), (150, 104), (172, 126)),
)
FIG["kneeling-hip-flexor-stretch"] = [
    floor(),
    ghost(g),
    body(k),
    hl((135, 128), (105, 184), 0.05, 0.55),
    arrow([(150, 112), (178, 112)]),
]

k = {
    "hip": (140, 112),
    "neck": (222, 112),
    "head": (246, 106),
    "near_leg": ((140, 112), (172, 74), (200, 86)),
    "far_leg": ((140, 112), (96, 140), (102, 188)),
    "near_arm": ((216, 106), (196, 84), (174, 78)),
}
FIG["edge-of-bed-hip-flexor-stretch"] = [
    bed(130, 312, 120),
    floor(),
    pillow(262, 116),
    body(k),
    hl((140, 112), (96, 140), 0.0, 0.8),
    arrow([(80, 132), (80, 160)]),
]

k = {
    "hip": (160, 118),
    "neck": (240, 116),
    "head": (264, 110),
    "far_leg": ((160, 124), (108, 130), (60, 128)),
    "near_leg": ((160, 116), (106, 106), (140, 84)),
    "near_arm": ((236, 112), (196, 96), (146, 84)),
}
FIG["side-lying-front-thigh-contract-relax"] = [
    bed(30, 300, 136),
    floor(),
    pillow(266, 128),
    body(k),
    line([(156, 110), (114, 101)], 6, ACCENT),
    arrow([(150, 70), (128, 66)]),
]


def strap_leg(angle_deg, hip=(160, 128)):
    a = math.radians(angle_deg)
    knee = (hip[0] - 45 * math.cos(a), hip[1] - 45 * math.sin(a))
    foot = (hip[0] - 88 * math.cos(a), hip[1] - 88 * math.sin(a))
    return knee, foot


def strap_figure(angle):
    knee, foot = strap_leg(angle)
    p = {
        "hip": (160, 128),
        "neck": (238, 128),
        "head": (262, 122),
        "far_leg": ((160, 128), (122, 98), (96, 128)),
        "near_leg": ((160, 128), knee, foot),
        "near_arm": ((232, 124), (206, 104), (182, 94)),
    }
    return p, knee, foot


p, knee, foot = strap_figure(66)
g0, _, _ = strap_figure(40)
strap = line([(182, 94), (foot[0] + 2, foot[1] - 2)], 2.5, MARK) + line(
    [(184, 98), (foot[0] + 6, foot[1] + 3)], 2.5, MARK
)
FIG["lying-hamstring-stretch-strap"] = [
    bed(30, 300, 136),
    floor(),
    pillow(266, 130),
    ghost(g0),
    body(p),
    strap,
    line([lerp((164, 132), (knee[0] + 4, knee[1] + 4), 0.1), (knee[0] + 5, knee[1] + 4)], 6, ACCENT),
    arrow([(112, 100), (96, 60), (115, 38)], curved=True),
]
FIG["hamstring-contract-relax-strap"] = [
    bed(30, 300, 136),
    floor(),
    pillow(266, 130),
    body(p),
    strap,
    line([lerp((164, 132), (knee[0] + 4, knee[1] + 4), 0.1), (knee[0] + 5, knee[1] + 4)], 6, ACCENT),
    arrow([(foot[0] - 8, foot[1] - 4), (foot[0] - 26, foot[1] + 12)]),
]

k = {
    "hip": (162, 172),
    "neck": (240, 172),
    "head": (262, 166),
    "far_leg": ((162, 176), (112, 180), (62, 180)),
    "near_leg": ((162, 172), (146, 124), (142, 74)),
    "near_arm": ((234, 170), (212, 184), (190, 184)),
}
door = '<rect x="118" y="20" width="16" height="168" fill="#e8eef3" stroke="#b9c4ce" stroke-width="3"/>'
FIG["doorway-hamstring-stretch"] = [
    door,
    floor(),
    pillow(266, 182, 16, 5),
    body(k),
    line([(168, 166), (152, 124)], 6, ACCENT),
    arrow([(200, 150), (178, 150)]),
]

# lying butterfly, from above
top = {"hip": (160, 110), "neck": (160, 58), "head": (160, 34), "torso_w": 34}
bf = dict(
    top,
    near_leg=((170, 112), (214, 146), (166, 172)),
    far_leg=((150, 112), (106, 146), (154, 172)),
    near_arm=((176, 58), (190, 84), (194, 110)),
    far_arm=((144, 58), (130, 84), (126, 110)),
)
FIG["lying-butterfly-stretch"] = [
    '<rect x="70" y="10" width="180" height="184" rx="8" fill="#e8eef3" stroke="#b9c4ce" stroke-width="3"/>',
    pillow(160, 30, 26, 10),
    pillow(222, 156, 14, 8),
    pillow(98, 156, 14, 8),
    body(bf, NEAR, NEAR),
    line([(156, 120), (116, 148)], 5, ACCENT),
    line([(164, 120), (204, 148)], 5, ACCENT),
    arrow([(222, 132), (240, 138)]),
    arrow([(98, 132), (80, 138)]),
]

kd = dict(
    top,
    near_leg=((170, 112), (172, 150), (174, 188)),
    far_leg=((150, 112), (102, 142), (160, 152)),
    far_arm=((144, 58), (118, 96), (108, 134)),
    near_arm=((176, 58), (190, 84), (194, 110)),
)
FIG["lying-knee-drop-adductor-contract-relax"] = [
    '<rect x="70" y="6" width="180" height="190" rx="8" fill="#e8eef3" stroke="#b9c4ce" stroke-width="3"/>',
    pillow(160, 30, 26, 10),
    body(kd, NEAR, NEAR),
    line([(152, 122), (112, 146)], 5, ACCENT),
    arrow([(88, 150), (96, 120), (124, 118)], curved=True),
]

# kneeling side-leg adductor, front view
fk = {
    "hip": (160, 122),
    "neck": (160, 64),
    "head": (160, 42),
    "torso_w": 30,
    "far_leg": ((148, 124), (146, 184), (140, 188)),
    "near_leg": ((172, 124), (224, 154), (276, 184)),
    "near_arm": ((176, 68), (196, 96), (174, 118)),
    "far_arm": ((144, 68), (124, 96), (146, 118)),
}
gk = {
    k2: tuple((x, y - 14) for x, y in v) if isinstance(v[0], tuple) else (v[0], v[1] - 14)
    for k2, v in fk.items()
    if k2 != "torso_w"
}
gk["torso_w"] = 30
gk["far_leg"] = ((148, 110), (146, 184), (140, 188))
gk["near_leg"] = ((172, 110), (224, 148), (276, 184))
FIG["kneeling-side-leg-adductor-stretch"] = [
    floor(),
    '<rect x="118" y="184" width="56" height="7" rx="3" fill="#e8eef3" stroke="#b9c4ce" stroke-width="2"/>',
    ghost(gk),
    body(fk, NEAR, NEAR),
    line([(176, 132), (220, 160)], 5, ACCENT),
    arrow([(110, 100), (110, 126)]),
]

# side-lying QL over a pillow roll
ql = {
    "hip": (130, 134),
    "back": (180, 96),
    "neck": (232, 132),
    "head": (256, 128),
    "far_leg": ((130, 140), (82, 144), (34, 146)),
    "near_leg": ((130, 132), (84, 136), (40, 140)),
    "far_arm": ((234, 140), (260, 146), (282, 146)),
    "near_arm": ((228, 124), (262, 104), (298, 100)),
}
FIG["side-lying-ql-stretch-pillow"] = [
    bed(20, 308, 148),
    floor(),
    '<circle cx="180" cy="136" r="12" fill="#fff" stroke="#b9c4ce" stroke-width="3"/>',
    body(ql),
    hl_curve((138, 120), (180, 88), (222, 118), 6),
    arrow([(270, 88), (300, 84)]),
]

# child's pose side reach, from above: hands walked to the figure's right (our right)
cs = {
    "hip": (150, 166),
    "back": (132, 112),
    "neck": (186, 84),
    "head": (204, 74),
    "torso_w": 34,
    "far_leg": ((138, 174), (136, 186), (150, 192)),
    "near_leg": ((162, 174), (164, 186), (150, 192)),
    "far_arm": ((176, 78), (214, 56), (252, 40)),
    "near_arm": ((196, 92), (234, 74), (268, 62)),
}
cg = {
    "hip": (150, 166),
    "neck": (150, 86),
    "head": (150, 66),
    "torso_w": 34,
    "far_arm": ((138, 82), (134, 48), (132, 16)),
    "near_arm": ((162, 82), (166, 48), (168, 16)),
}
FIG["childs-pose-side-reach"] = [
    '<rect x="40" y="4" width="260" height="192" rx="8" fill="#e8eef3" stroke="#b9c4ce" stroke-width="3"/>',
    ghost(cg),
    body(cs, NEAR, NEAR),
    hl_curve((130, 160), (110, 110), (168, 74), 6),
    arrow([(186, 20), (222, 10), (250, 22)], curved=True),
]

# standing side bend, front view: leaning to the figure's right (our left)
sb = {
    "hip": (160, 118),
    "back": (160, 84),
    "neck": (140, 62),
    "head": (132, 44),
    "torso_w": 28,
    "far_leg": ((166, 122), (156, 156), (140, 188)),
    "near_leg": ((154, 122), (152, 156), (152, 188)),
    "far_arm": ((128, 66), (104, 50), (114, 16)),
    "near_arm": ((152, 58), (154, 24), (118, 12)),
}
sg = {
    "hip": (160, 118),
    "neck": (160, 60),
    "head": (160, 40),
    "torso_w": 28,
    "near_arm": ((172, 58), (174, 30), (168, 6)),
}
FIG["standing-side-bend-contract-relax"] = [
    floor(),
    line([(238, 20), (238, 192)], 4, FURN),
    ghost(sg),
    body(sb),
    hl_curve((170, 112), (174, 80), (154, 58), 6),
    arrow([(186, 64), (208, 64)]),
]

kc = {
    "hip": (150, 128),
    "neck": (228, 130),
    "head": (252, 124),
    "near_leg": ((150, 128), (182, 90), (148, 86)),
    "far_leg": ((150, 124), (176, 86), (142, 80)),
    "near_arm": ((222, 126), (206, 102), (174, 92)),
}
kg = dict(
    kc,
    near_leg=((150, 128), (112, 96), (88, 128)),
    far_leg=((150, 124), (116, 92), (90, 126)),
    near_arm=((222, 126), (190, 136), (162, 136)),
)
FIG["knees-to-chest"] = [
    bed(30, 300, 136),
    floor(),
    pillow(256, 130),
    ghost(kg),
    body(kc),
    line([(154, 134), (196, 136)], 6, ACCENT),
    arrow([(110, 80), (128, 54), (166, 60)], curved=True),
]

cp = {
    "hip": (236, 124),
    "back": (196, 82),
    "neck": (150, 126),
    "head": (130, 136),
    "far_leg": ((236, 124), (196, 142), (250, 146)),
    "near_leg": ((236, 124), (198, 142), (252, 146)),
    "near_arm": ((156, 124), (112, 132), (64, 142)),
    "far_arm": ((156, 126), (112, 134), (66, 144)),
}
FIG["childs-pose"] = [
    bed(20, 300, 154),
    floor(),
    body(cp),
    hl_curve((228, 110), (198, 70), (160, 110), 6),
    arrow([(250, 96), (264, 106), (264, 120)], curved=True),
]

sf = {
    "hip": (196, 102),
    "back": (186, 54),
    "neck": (146, 76),
    "head": (126, 92),
    "near_leg": ((196, 104), (138, 106), (136, 188)),
    "far_leg": ((196, 100), (140, 102), (142, 186)),
    "near_arm": ((150, 80), (134, 112), (130, 146)),
}
sfg = {"hip": (196, 102), "neck": (190, 44), "head": (188, 22), "near_arm": ((190, 50), (180, 78), (160, 100))}
FIG["seated-forward-bend-contract-relax"] = [
    bed(180, 312, 110),
    floor(),
    ghost(sfg),
    body(sf),
    hl_curve((192, 88), (182, 50), (154, 66), 6),
    arrow([(210, 72), (214, 50)]),
]

# ---------------------------------------------------------------- self-tests
tt = {
    "hip": (140, 112),
    "neck": (222, 112),
    "head": (246, 106),
    "near_leg": ((140, 112), (172, 74), (200, 86)),
    "far_leg": ((140, 112), (98, 124), (100, 186)),
    "near_arm": ((216, 106), (196, 84), (174, 78)),
}
FIG["thomas-test"] = [
    bed(130, 312, 120),
    floor(),
    pillow(262, 116),
    dashed([(30, 120), (130, 120)]),
    body(tt),
    '<circle cx="126" cy="122" r="12" stroke="#e0662f" stroke-width="3"/>',
]

kx = {
    "hip": (150, 160),
    "neck": (230, 160),
    "head": (254, 154),
    "far_leg": ((150, 164), (100, 166), (52, 166)),
    "near_leg": ((150, 160), (150, 104), (120, 62)),
    "near_arm": ((224, 156), (196, 132), (158, 112)),
}
kxg = dict(kx, near_leg=((150, 160), (150, 104), (100, 104)))
FIG["knee-extension-90-90"] = [
    floor(176),
    '<path d="M150,104 L150,50 L125,58 Z" fill="#e0662f" fill-opacity=".35" stroke="none"/>',
    ghost(kxg),
    body(kx),
    dashed([(150, 104), (150, 30)]),
    arrow([(100, 90), (104, 68), (116, 56)], curved=True),
]

bl = {
    "hip": (150, 112),
    "back": (138, 86),
    "neck": (152, 56),
    "head": (156, 36),
    "torso_w": 26,
    "far_leg": ((150, 112), (152, 150), (150, 188)),
    "near_leg": ((150, 112), (148, 150), (146, 188)),
    "near_arm": ((154, 62), (156, 90), (160, 116)),
}
FIG["belt-line-check"] = [
    floor(),
    '<rect x="230" y="20" width="62" height="168" fill="#eef5f4" stroke="#b9c4ce" stroke-width="3"/>',
    body(bl),
    line([(134, 104), (170, 110)], 4, ACCENT),
    dashed([(120, 104), (186, 104)]),
    f'<circle cx="134" cy="104" r="4" fill="{MARK}"/><circle cx="170" cy="110" r="4" fill="{MARK}"/>',
    '<path d="M132,112 Q124,88 134,66" stroke="#0f766e" stroke-width="2" stroke-dasharray="1 5"/>',
]


def front(cx, hip_y=118, lift=None, hands_hips=True):
    p = {
        "hip": (cx, hip_y),
        "neck": (cx, hip_y - 58),
        "head": (cx, hip_y - 80),
        "torso_w": 28,
        "far_leg": ((cx - 10, hip_y + 4), (cx - 12, hip_y + 38), (cx - 12, 188)),
        "near_leg": ((cx + 10, hip_y + 4), (cx + 12, hip_y + 38), (cx + 12, 188)),
        "far_arm": ((cx - 14, hip_y - 54), (cx - 32, hip_y - 28), (cx - 14, hip_y - 4)),
        "near_arm": ((cx + 14, hip_y - 54), (cx + 32, hip_y - 28), (cx + 14, hip_y - 4)),
    }
    if lift:
        p["near_leg"] = ((cx + 10, hip_y + 4), (cx + 22, hip_y + 34), (cx + 16, hip_y + 62))
    return p


FIG["hip-bone-check"] = [
    floor(),
    body(front(90), NEAR, NEAR),
    dashed([(60, 114), (120, 114)]),
    f'<circle cx="76" cy="114" r="4" fill="{ACCENT}"/><circle cx="104" cy="114" r="4" fill="{ACCENT}"/>',
    '<ellipse cx="240" cy="100" rx="58" ry="34" fill="#e8eef3" stroke="#b9c4ce" stroke-width="3"/>',
    dashed([(204, 80), (276, 80)]),
    f'<circle cx="208" cy="80" r="5" fill="{ACCENT}"/><circle cx="272" cy="80" r="5" fill="{ACCENT}"/>',
    '<circle cx="240" cy="112" r="10" fill="#7f95aa"/>',
]

chair = line([(12, 128), (12, 190)], 4, FURN) + line([(12, 150), (40, 150), (40, 190)], 4, FURN)
FIG["one-leg-stand"] = [
    floor(),
    chair,
    body(front(96), NEAR, NEAR),
    dashed([(70, 114), (122, 114)]),
    body(front(224, lift=True), NEAR, NEAR),
    dashed([(196, 114), (252, 114)]),
    arrow([(268, 106), (268, 128)]),
]

mc = {
    "hip": (110, 112),
    "neck": (112, 54),
    "head": (114, 34),
    "torso_w": 26,
    "far_leg": ((110, 112), (112, 152), (110, 188)),
    "near_leg": ((110, 112), (146, 112), (144, 150)),
    "near_arm": ((112, 60), (100, 86), (96, 110)),
}
feet = (
    '<ellipse cx="234" cy="96" rx="11" ry="26" fill="#1f3b57"/>'
    '<ellipse cx="266" cy="112" rx="11" ry="26" fill="#1f3b57"/>'
)
FIG["march-and-stop"] = [
    floor(),
    line([(30, 128), (30, 190)], 4, FURN) + line([(30, 150), (58, 150), (58, 190)], 4, FURN),
    body(mc),
    '<rect x="200" y="50" width="100" height="100" rx="8" stroke="#b9c4ce" stroke-width="3"/>',
    feet,
    dashed([(212, 70), (290, 70)]),
    dashed([(212, 86), (290, 86)]),
    arrow([(292, 80), (292, 84)], MARK),
]


def main():
    stretches = {}
    for muscle in yaml.safe_load((ROOT / "articles/site_content/muscles.yaml").read_text()):
        for s in muscle.get("stretches", []):
            stretches[Path(s["illustration"]).stem] = (s["illustration"], s["illustration_alt"], s["name"])
    for t in yaml.safe_load((ROOT / "assessment/site_content/self_tests.yaml").read_text()):
        stretches[Path(t["illustration"]).stem] = (t["illustration"], t["illustration_alt"], t["title"])
    for slug, parts in FIG.items():
        path, alt, name = stretches[slug]
        (ROOT / "static" / path).write_text(svg(slug, name, alt, parts))
    missing = set(stretches) - set(FIG)
    if missing:
        raise SystemExit(f"no figure for {sorted(missing)}")


if __name__ == "__main__":
    main()
