"""
The hand-drawn body map: a front and a back figure, the muscle regions and the referred-pain areas.

Pure data and functions: the template ``includes/body_map.html`` draws the SVG.
Both figures share one coordinate system, 160 units wide and 400 tall, the
figure facing the reader, so a shape drawn once can sit on either view.
Shapes are drawn for the figure's left side; ``both_sides`` mirrors them.
"""

from dataclasses import dataclass

FIGURE_WIDTH = 160


def _mirror(points):
    return [(FIGURE_WIDTH - x, y) for x, y in points]


def polygon(points):
    """An SVG path for a closed shape through the given (x, y) points."""
    return "M" + " L".join(f"{x},{y}" for x, y in points) + " Z"


def ellipse(cx, cy, rx, ry):
    """An SVG path for an ellipse, drawn as two arcs."""
    return f"M{cx - rx},{cy} a{rx},{ry} 0 1,0 {2 * rx},0 a{rx},{ry} 0 1,0 {-2 * rx},0 Z"


def both_sides(points):
    """One path with the shape on the figure's left and its mirror image on the right."""
    return polygon(points) + " " + polygon(_mirror(points))


def both_ellipses(cx, cy, rx, ry):
    return ellipse(cx, cy, rx, ry) + " " + ellipse(FIGURE_WIDTH - cx, cy, rx, ry)


# The body: head, then one outline from the left side of the neck round to the right.
_LEFT_OUTLINE = [
    (72, 50), (70, 58), (44, 66), (34, 78), (30, 120), (26, 170), (23, 210), (29, 224), (37, 214),
    (40, 170), (44, 128), (48, 108), (51, 150), (47, 196), (48, 250), (52, 300), (54, 322), (55, 372),
    (50, 392), (73, 394), (73, 372), (73, 322), (74, 300), (78, 234),
]  # fmt: skip
OUTLINE = polygon(_LEFT_OUTLINE + [(80, 228)] + list(reversed(_mirror(_LEFT_OUTLINE))))
HEAD = ellipse(80, 30, 19, 22)

# Details that tell the views apart: a navel and hip creases at the front, the spine and shoulder blades behind.
FRONT_DETAILS = ellipse(80, 168, 2, 2) + " M60,204 L76,226 M100,204 L84,226"
BACK_DETAILS = "M80,62 L80,212 " + both_sides([(56, 84), (72, 90), (70, 118), (58, 112)])

# Where each muscle is, by slug. A muscle without a shape is still listed beside the map.
MUSCLE_SHAPES = {
    "hip-flexors": both_sides([(60, 172), (71, 170), (77, 226), (69, 240), (62, 206)]),
    "adductors": both_sides([(72, 238), (78, 234), (76, 292), (71, 302), (64, 270)]),
    "hamstrings": both_sides([(51, 238), (75, 238), (74, 296), (56, 302)]),
    "quadratus-lumborum": both_sides([(55, 146), (69, 150), (69, 186), (52, 190)]),
    "erector-spinae": both_sides([(70, 88), (78, 88), (78, 200), (71, 200)]),
}

FRONT, BACK = "front", "back"


@dataclass(frozen=True)
class Region:
    """An area of the body where trigger points may send pain, drawn on one or both views."""

    id: str
    label: str
    front: str = ""
    back: str = ""


REGIONS = [
    Region("lower-back", "Lower back", back=polygon([(58, 158), (102, 158), (106, 196), (54, 196)])),
    Region("sacroiliac", "Sacroiliac joints (the dimples at the base of the spine)", back=both_ellipses(72, 206, 5, 6)),
    Region("buttock", "Buttock", back=both_ellipses(63, 224, 14, 15)),
    Region(
        "iliac-crest", "Along the top of the pelvis (iliac crest)",
        back=both_sides([(47, 190), (76, 182), (76, 189), (48, 197)]),
    ),
    Region("outer-hip", "Outer hip", front=both_ellipses(49, 214, 5, 15), back=both_ellipses(49, 214, 5, 15)),
    Region("groin", "Groin", front=both_sides([(64, 208), (78, 226), (74, 234), (60, 216)])),
    Region("inner-thigh", "Inner thigh", front=both_sides([(71, 238), (78, 234), (77, 290), (72, 298)])),
    Region("back-of-thigh", "Back of the thigh", back=both_sides([(51, 240), (75, 240), (74, 298), (55, 300)])),
    Region("front-of-thigh", "Front of the thigh", front=both_sides([(50, 240), (70, 240), (70, 300), (54, 302)])),
    Region("knee", "Knee", front=both_ellipses(63, 313, 9, 10), back=both_ellipses(63, 313, 9, 10)),
    Region("mid-back", "Middle of the back", back=polygon([(62, 100), (98, 100), (96, 146), (64, 146)])),
    Region("abdomen", "Belly (abdomen)", front=ellipse(80, 166, 22, 20)),
]  # fmt: skip
REGIONS_BY_ID = {region.id: region for region in REGIONS}
REGION_CHOICES = [(region.id, region.label) for region in REGIONS]


def referral_areas(region_ids):
    """The known regions among ``region_ids``, in the map's order (unknown ids are ignored)."""
    wanted = set(region_ids or [])
    return [region for region in REGIONS if region.id in wanted]


def muscle_shapes(muscles):
    """Split muscles into front and back lists of (muscle, path) for those with a drawn shape."""
    views = {FRONT: [], BACK: []}
    for muscle in muscles:
        shape = MUSCLE_SHAPES.get(muscle.slug)
        if shape:
            views[FRONT if muscle.body_view == FRONT else BACK].append((muscle, shape))
    return views


def body_map(muscles=(), current=None, referrals=()):
    """Everything the body-map template draws, per view.

    ``muscles`` become links; ``current`` (a muscle) is drawn as the page's subject;
    ``referrals`` (region ids) are shaded as referred-pain areas.
    """
    links = muscle_shapes(muscles)
    subject = muscle_shapes([current] if current else [])
    areas = referral_areas(referrals)
    return {
        "views": [
            {
                "name": name,
                "label": label,
                "x": x,
                "details": details,
                "links": links[name],
                "subject": subject[name],
                "areas": [getattr(region, name) for region in areas if getattr(region, name)],
            }
            for name, label, x, details in [(FRONT, "Front", 10, FRONT_DETAILS), (BACK, "Back", 200, BACK_DETAILS)]
        ],
        "outline": OUTLINE,
        "head": HEAD,
    }
