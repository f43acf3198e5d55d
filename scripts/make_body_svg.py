"""Draw kiosk/assets/body/front.svg and back.svg: a calm human outline cut into named regions.

Run ``python scripts/make_body_svg.py`` after changing a point below; the SVG files are
what the kiosk reads (they ship in the package), this script only writes them. It lives
outside the package so the installed kiosk carries the drawings, not their generator.

How the drawing is built, so that regions never overlap and leave no gaps:

* one half of the body (the viewer's right, x >= 200) is described by a few smooth
  contours through key points; the other half is its mirror image;
* each contour is sampled densely (Catmull-Rom), and a region is a polygon made of
  slices of those samples between named stations, joined by straight cut lines;
* two neighbouring regions take their shared edge from the same samples, so edges
  match exactly.

Left and right are the patient's: seen from the front the patient's left is on the
viewer's right; seen from the back it is on the viewer's left. Only absolute M, L and Z
commands are written (the kiosk's parser also reads C and Q).
"""

from __future__ import annotations

import math
from pathlib import Path

Point = tuple[float, float]

WIDTH, HEIGHT = 400, 900
MID = 200.0
SAMPLES = 6  # points per key-point interval

# ------------------------------------------------------------------ key points
# Each contour: (point, station name or "") in order. Viewer's right half only.

# From the base of the neck over the shoulder, down the outside of the arm to the
# fingertips.
OUTER_ARM = [
    ((224, 152), "N1"),
    ((238, 155), ""),
    ((252, 160), "S0"),
    ((268, 165), ""),
    ((282, 172), "S1"),
    ((296, 190), "S2"),
    ((302, 208), ""),
    ((305, 230), "A0"),
    ((308, 261), ""),
    ((311, 292), "A1"),
    ((315, 320), "A2"),
    ((321, 370), ""),
    ((328, 420), "A3"),
    ((333, 442), ""),
    ((338, 468), ""),
    ((336, 492), ""),
    ((326, 509), "TIP"),
]
# From the armpit down the inside of the arm to the fingertips.
INNER_ARM = [
    ((262, 212), "P"),
    ((270, 232), "I0"),
    ((276, 262), ""),
    ((281, 292), "I1"),
    ((287, 320), "I2"),
    ((296, 370), ""),
    ((306, 420), "I3"),
    ((304, 442), ""),
    ((305, 468), ""),
    ((312, 493), ""),
    ((326, 509), "TIP"),
]
# From the armpit down the side of the body and the outside of the leg to the toes.
OUTER_LEG = [
    ((262, 212), "P"),
    ((257, 240), ""),
    ((252, 272), ""),
    ((249, 300), "W"),
    ((249, 330), ""),
    ((253, 358), ""),
    ((258, 382), "H0"),
    ((264, 410), ""),
    ((268, 442), ""),
    ((268, 482), "L0"),
    ((265, 532), ""),
    ((257, 592), "K0"),
    ((255, 620), ""),
    ((254, 648), "K1"),
    ((258, 690), ""),
    ((253, 740), ""),
    ((241, 800), "F0"),
    ((245, 826), ""),
    ((253, 852), ""),
    ((254, 867), ""),
    ((246, 877), "TOE"),
]
# From the crotch down the inside of the leg to the toes.
INNER_LEG = [
    ((200, 462), "C"),
    ((207, 482), "Q"),
    ((210, 532), ""),
    ((213, 592), "K0i"),
    ((214, 648), "K1i"),
    ((212, 700), ""),
    ((211, 750), ""),
    ((215, 800), "F0i"),
    ((212, 830), ""),
    ((210, 862), ""),
    ((216, 877), "TOEi"),
]
SOLE_MID = (231.0, 879.0)
NECK_EDGE = [(220.0, 0.0), (221.0, 136.0), (224.0, 152.0)]  # y of the first is found
HEAD_CENTRE, HEAD_RX, HEAD_RY = (200.0, 78.0), 36.0, 46.0
NECK_HALF = 20.0

# Free points (not on a contour) used by the cuts.
CHEST_BOTTOM_MID = (MID, 300.0)
GROIN = 0.36  # where the hip meets the thigh, along the line from H0 to the crotch
TRAP_LOW_MID = (MID, 190.0)
TRAP_LOW_SIDE = (258.0, 186.0)
BACK_LOW_MID = (MID, 390.0)


def catmull_rom(points: list[Point], samples: int) -> list[Point]:
    """A smooth curve through ``points``: ``samples`` steps per interval, ends included."""
    out: list[Point] = []
    n = len(points)
    for i in range(n - 1):
        p0 = points[max(i - 1, 0)]
        p1, p2 = points[i], points[i + 1]
        p3 = points[min(i + 2, n - 1)]
        for s in range(samples):
            t = s / samples
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[k]
                        + (-p0[k] + p2[k]) * t
                        + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                        + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3
                    )
                    for k in (0, 1)
                )
            )
    out.append(points[-1])
    return out


class Contour:
    """A sampled contour whose stations can be sliced between."""

    def __init__(self, keys: list[tuple[tuple[float, float], str]]) -> None:
        pts = [(float(x), float(y)) for (x, y), _ in keys]
        self.points = catmull_rom(pts, SAMPLES)
        self.index = {name: i * SAMPLES for i, (_, name) in enumerate(keys) if name}

    def between(self, start: str, end: str) -> list[Point]:
        a, b = self.index[start], self.index[end]
        if a <= b:
            return self.points[a : b + 1]
        return self.points[b : a + 1][::-1]

    def at(self, name: str) -> Point:
        return self.points[self.index[name]]


def head_points() -> tuple[list[Point], list[Point], Point]:
    """The head ellipse (closed polygon) and its lower arc between the neck's edges."""
    cx, cy = HEAD_CENTRE
    # Where the neck's sides meet the ellipse.
    dy = HEAD_RY * math.sqrt(1 - (NECK_HALF / HEAD_RX) ** 2)
    join_angle = math.acos(NECK_HALF / HEAD_RX)  # parameter of the right join, y down
    angles = [2 * math.pi * i / 72 for i in range(72)]
    angles += [join_angle, math.pi - join_angle]
    angles.sort()
    ring = [(cx + HEAD_RX * math.cos(a), cy + HEAD_RY * math.sin(a)) for a in angles]
    arc = [
        (cx + HEAD_RX * math.cos(a), cy + HEAD_RY * math.sin(a))
        for a in angles
        if join_angle <= a <= math.pi - join_angle
    ]  # right join -> bottom of the chin -> left join (y grows downwards)
    return ring, arc, (cx + NECK_HALF, cy + dy)


def mirror(points: list[Point]) -> list[Point]:
    return [(2 * MID - x, y) for x, y in points]


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def half_regions(view: str) -> dict[str, list[Point]]:
    """Regions of the viewer's right half, by base name (side added by the caller)."""
    oa, ia, ol, il = Contour(OUTER_ARM), Contour(INNER_ARM), Contour(OUTER_LEG), Contour(INNER_LEG)
    c = il.at("C")
    groin = lerp(ol.at("H0"), c, GROIN)
    arm = "_back" if view == "back" else ""
    leg = {
        "front": ("thigh_front", "knee", "shin", "ankle_foot"),
        "back": ("thigh_back", "knee_back", "calf", "ankle_foot_back"),
    }[view]
    regions: dict[str, list[Point]] = {
        f"upper_arm{arm}": oa.between("A0", "A1") + ia.between("I1", "I0"),
        f"elbow{arm}": oa.between("A1", "A2") + ia.between("I2", "I1"),
        f"forearm{arm}": oa.between("A2", "A3") + ia.between("I3", "I2"),
        f"wrist_hand{arm}": oa.between("A3", "TIP")[:-1] + ia.between("TIP", "I3"),
        leg[1]: ol.between("K0", "K1") + il.between("K1i", "K0i"),
        leg[2]: ol.between("K1", "F0") + il.between("F0i", "K1i"),
        leg[3]: [*ol.between("F0", "TOE"), SOLE_MID, *il.between("TOEi", "F0i")],
    }
    if view == "front":
        regions["shoulder"] = oa.between("S0", "A0") + ia.between("I0", "P")
        regions["chest"] = [
            (MID, 152.0),
            *oa.between("N1", "S0"),
            *ol.between("P", "W"),
            CHEST_BOTTOM_MID,
        ]
        regions["hip"] = [*ol.between("H0", "L0"), groin]
        regions["thigh_front"] = [groin, *ol.between("L0", "K0"), *il.between("K0i", "C")]
    else:
        regions["upper_trapezius"] = [
            (MID, 152.0),
            *oa.between("N1", "S1"),
            TRAP_LOW_SIDE,
            TRAP_LOW_MID,
        ]
        regions["shoulder_back"] = oa.between("S1", "A0") + ia.between("I0", "P") + [TRAP_LOW_SIDE]
        regions["upper_back"] = [
            TRAP_LOW_MID,
            TRAP_LOW_SIDE,
            *ol.between("P", "W"),
            CHEST_BOTTOM_MID,
        ]
        regions["lower_back"] = [CHEST_BOTTOM_MID, *ol.between("W", "H0"), BACK_LOW_MID]
        regions["buttock"] = [BACK_LOW_MID, *ol.between("H0", "L0"), *il.between("Q", "C")]
        regions["thigh_back"] = ol.between("L0", "K0") + il.between("K0i", "Q")
    return regions


def centre_regions(view: str) -> dict[str, list[Point]]:
    """Regions that straddle the midline."""
    ring, arc, join = head_points()
    neck_right = [join, *NECK_EDGE[1:]]
    # The chin's arc (right join -> left join), down the left side, across, up the right.
    neck = list(arc) + mirror(neck_right)[1:] + [(MID, 152.0)] + neck_right[::-1][:-1]
    regions = {("head_jaw" if view == "front" else "head_back"): ring}
    regions["neck_front" if view == "front" else "neck_back"] = neck
    if view == "front":
        ol, il = Contour(OUTER_LEG), Contour(INNER_LEG)
        c = il.at("C")
        groin = lerp(ol.at("H0"), c, GROIN)
        right = [*ol.between("W", "H0"), groin, c]
        left = mirror(right)[::-1]
        regions["abdomen"] = [CHEST_BOTTOM_MID, *right, *left[1:]]
    return regions


def outline() -> list[list[Point]]:
    """The silhouette: the head, and the body as one closed contour."""
    ring, arc, join = head_points()
    oa, ia, ol, il = Contour(OUTER_ARM), Contour(INNER_ARM), Contour(OUTER_LEG), Contour(INNER_LEG)
    right = [
        join,
        NECK_EDGE[1],
        *oa.between("N1", "TIP"),
        *ia.between("TIP", "P")[1:],
        *ol.between("P", "TOE")[1:],
        SOLE_MID,
        *il.between("TOEi", "C"),
    ]
    left = mirror(right)[::-1]
    body = right + left[1:] + arc[::-1][1:-1]
    return [ring, body]


def path_d(polys: list[list[Point]]) -> str:
    parts = []
    for poly in polys:
        cleaned = [p for i, p in enumerate(poly) if i == 0 or p != poly[i - 1]]
        if cleaned[0] == cleaned[-1]:
            cleaned.pop()
        head, *rest = cleaned
        parts.append(
            f"M {head[0]:.1f} {head[1]:.1f} "
            + " ".join(f"L {x:.1f} {y:.1f}" for x, y in rest)
            + " Z"
        )
    return " ".join(parts)


REGION_STYLE = 'fill="#f4efe8" stroke="#8a9bab" stroke-width="1.2" stroke-linejoin="round"'
OUTLINE_STYLE = 'fill="none" stroke="#4a5a6a" stroke-width="2.4" stroke-linejoin="round"'


def svg(view: str) -> str:
    # Front: the viewer's right half is the patient's left. Back: it is their right.
    near, far = ("left", "right") if view == "front" else ("right", "left")
    shapes: list[tuple[str, list[Point]]] = []
    for name, poly in centre_regions(view).items():
        shapes.append((name, poly))
    for name, poly in half_regions(view).items():
        shapes.append((f"{name}_{near}", poly))
        shapes.append((f"{name}_{far}", mirror(poly)[::-1]))
    title = {"front": "Body seen from the front", "back": "Body seen from the back"}[view]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">',
        f"  <title>{title}</title>",
        "  <!-- Made by scripts/make_body_svg.py; edit the script, not this file.",
        "       Each region is one path with id region-<region id> (kiosk/content/regions.toml).",
        f"       Seen from the {view}: the patient's left is on the viewer's "
        f"{'right' if view == 'front' else 'left'}. -->",
        '  <g id="regions">',
    ]
    for name, poly in sorted(shapes, key=lambda s: s[0]):
        lines.append(f'    <path id="region-{name}" {REGION_STYLE} d="{path_d([poly])}"/>')
    lines.append("  </g>")
    lines.append(f'  <path id="outline" {OUTLINE_STYLE} d="{path_d(outline())}"/>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def main() -> None:
    body = Path(__file__).resolve().parent.parent / "kiosk" / "assets" / "body"
    for view in ("front", "back"):
        (body / f"{view}.svg").write_text(svg(view), encoding="utf-8")


if __name__ == "__main__":
    main()
