"""The body map: named regions (content) and their shapes (the SVG drawings in assets/body/).

Regions are content: ``regions.toml`` gives each its id, view, side, plain name,
SNOMED CT body-site code and groups; the loader reads them into ``Region`` objects.
Shapes are drawings: ``assets/body/front.svg`` and ``back.svg`` hold one
``<path id="region-<id>">`` per region and one ``<path id="outline">``.
``kiosk.content.drawings`` reads a drawing into a ``BodyDrawing``; this module only
parses and measures, so the Qt screen and the PDF use the very same shapes.

Paths may use only absolute ``M``, ``L``, ``C``, ``Q`` and ``Z`` commands; anything
else is refused with the file, the path id and the reason.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

VIEWS = ("front", "back")
SIDES = ("left", "right")
#: Shapes of regions carry this prefix in their SVG id.
REGION_PREFIX = "region-"
OUTLINE_ID = "outline"
#: Region scores: the 0 to 10 numeric rating scale.
SCORE_MIN, SCORE_MAX = 0, 10

Point = tuple[float, float]


@dataclass(frozen=True)
class Region:
    """One place on the body the patient can mark."""

    id: str
    #: Plain words, in the content's language ("Left shoulder").
    name: str
    view: str  # "front" or "back"
    side: str | None  # the patient's "left" or "right"; None in the middle
    #: SNOMED CT body structure, when one is known to fit.
    snomed_code: str | None = None
    snomed_display: str | None = None
    groups: tuple[str, ...] = ()

    def matches(self, names: Iterable[str]) -> bool:
        """True when ``names`` (region or group ids) includes this region."""
        wanted = set(names)
        return self.id in wanted or not wanted.isdisjoint(self.groups)


@dataclass(frozen=True)
class Command:
    """One path command with absolute coordinates: ``M``/``L`` one point, ``Q`` two
    (control, end), ``C`` three (control, control, end), ``Z`` none."""

    op: str
    points: tuple[Point, ...]


#: A subpath: commands from one ``M`` to the next (``Z`` closes it).
Subpath = tuple[Command, ...]


@dataclass(frozen=True)
class Shape:
    id: str
    subpaths: tuple[Subpath, ...]

    @functools.cached_property
    def polygons(self) -> tuple[tuple[Point, ...], ...]:
        """Each subpath as a closed polygon, curves flattened into short lines."""
        return tuple(flatten(sub) for sub in self.subpaths)

    def contains(self, x: float, y: float) -> bool:
        """Whether (x, y), in the drawing's units, is inside (even-odd over subpaths)."""
        x0, y0, x1, y1 = self.bounds
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return False
        inside = False
        for poly in self.polygons:
            if _in_polygon(poly, x, y):
                inside = not inside
        return inside

    @functools.cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y)."""
        xs = [p[0] for poly in self.polygons for p in poly]
        ys = [p[1] for poly in self.polygons for p in poly]
        return min(xs), min(ys), max(xs), max(ys)

    @functools.cached_property
    def label_point(self) -> Point:
        """A point well inside the shape, for a number or a label.

        The point farthest from the shape's edges among a grid of points inside it
        (an approximation of the "pole of inaccessibility"), refined once around the
        best: it sits in the thickest part, never on an edge or outside.
        """
        x0, y0, x1, y1 = self.bounds
        edges = [
            (poly[i], poly[(i + 1) % len(poly)]) for poly in self.polygons for i in range(len(poly))
        ]

        def clearance(x: float, y: float) -> float:
            return min(_segment_distance(x, y, a, b) for a, b in edges)

        best = ((x0 + x1) / 2, (y0 + y1) / 2)
        best_clearance = -1.0
        steps = 16
        dx, dy = (x1 - x0) / steps, (y1 - y0) / steps
        for _ in range(2):  # a coarse grid over the shape, then a finer one around the best
            cx, cy = best if best_clearance >= 0 else (x0, y0)
            ox, oy = (cx - dx * steps / 2, cy - dy * steps / 2) if best_clearance >= 0 else (x0, y0)
            for i in range(steps + 1):
                for j in range(steps + 1):
                    x, y = ox + dx * (i + 0.5), oy + dy * (j + 0.5)
                    if self.contains(x, y):
                        c = clearance(x, y)
                        if c > best_clearance:
                            best, best_clearance = (x, y), c
            dx, dy = dx * 2 / steps, dy * 2 / steps
        return best


@dataclass(frozen=True)
class BodyDrawing:
    """One view of the body, as read from its SVG file."""

    view: str
    #: (min x, min y, width, height) of the SVG viewBox.
    viewbox: tuple[float, float, float, float]
    outline: Shape
    #: Region shapes by region id, in the order of the file.
    regions: Mapping[str, Shape]

    def region_at(self, x: float, y: float) -> str | None:
        """The id of the region under (x, y), in viewBox units, or None."""
        for region_id, shape in self.regions.items():
            if shape.contains(x, y):
                return region_id
        return None


class ShapeError(ValueError):
    """A body drawing cannot be read. The message names the file, the path id and why."""


# ------------------------------------------------------------------ reading SVG

_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 1, "L": 1, "Q": 2, "C": 3, "Z": 0}


def parse_path(d: str) -> tuple[Subpath, ...]:
    """Parse a path's ``d`` attribute; raise ``ValueError`` saying what is wrong."""
    leftover = _TOKEN.sub(" ", d).replace(",", " ").strip()
    if leftover:
        raise ValueError(f"unexpected text {leftover[:20]!r}")
    tokens = _TOKEN.findall(d)
    subpaths: list[Subpath] = []
    current: list[Command] = []
    i = 0
    op = ""
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            if token not in _ARITY:
                kind = "relative " if token.lower() in "mlqcz" else ""
                raise ValueError(
                    f'{kind}command "{token}" is not allowed (use absolute M, L, C, Q, Z only)'
                )
            op = token
            i += 1
            if op == "Z":
                if not current:
                    raise ValueError('"Z" before any "M"')
                current.append(Command("Z", ()))
                subpaths.append(tuple(current))
                current = []
                continue
        elif not op or op == "Z":
            raise ValueError(f"number {token} without a command before it")
        # One set of coordinates for ``op`` (SVG allows repeating them after one letter).
        need = _ARITY[op] * 2
        values = tokens[i : i + need]
        if len(values) < need or any(v.isalpha() for v in values):
            raise ValueError(f'"{op}" needs {need} numbers')
        numbers = [float(v) for v in values]
        points = tuple((numbers[k], numbers[k + 1]) for k in range(0, need, 2))
        i += need
        if op == "M":
            if current:
                subpaths.append(tuple(current))
            current = [Command("M", points)]
            op = "L"  # further pairs after M are lines, as in SVG
        else:
            if not current:
                raise ValueError(f'"{op}" before any "M"')
            current.append(Command(op, points))
    if current:
        subpaths.append(tuple(current))
    if not subpaths:
        raise ValueError("the path is empty")
    return tuple(subpaths)


# ------------------------------------------------------------------ geometry


def flatten(subpath: Subpath, steps: int = 8) -> tuple[Point, ...]:
    """A subpath as a polygon: lines kept, curves cut into ``steps`` lines each."""
    points: list[Point] = []
    for command in subpath:
        if command.op in ("M", "L"):
            points.append(command.points[0])
        elif command.op in ("Q", "C") and points:
            start = points[-1]
            controls = (start, *command.points)
            points.extend(_bezier(controls, k / steps) for k in range(1, steps + 1))
    return tuple(points)


def _bezier(controls: tuple[Point, ...], t: float) -> Point:
    pts = list(controls)
    while len(pts) > 1:  # de Casteljau
        pts = [
            (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for a, b in itertools.pairwise(pts)
        ]
    return pts[0]


def _in_polygon(poly: tuple[Point, ...], x: float, y: float) -> bool:
    inside = False
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < cross:
                inside = not inside
    return inside


def _segment_distance(x: float, y: float, a: Point, b: Point) -> float:
    (ax, ay), (bx, by) = a, b
    vx, vy = bx - ax, by - ay
    length = vx * vx + vy * vy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - ax) * vx + (y - ay) * vy) / length))
    px, py = ax + t * vx - x, ay + t * vy - y
    return float((px * px + py * py) ** 0.5)


def score_words(score: int) -> str:
    """A score as it reads on review screens and the summary: ``"7/10"``."""
    return f"{score}/{SCORE_MAX}"


__all__ = [
    "OUTLINE_ID",
    "REGION_PREFIX",
    "SCORE_MAX",
    "SCORE_MIN",
    "SIDES",
    "VIEWS",
    "BodyDrawing",
    "Command",
    "Region",
    "Shape",
    "ShapeError",
    "parse_path",
    "score_words",
]
