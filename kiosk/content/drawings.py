"""Reading the body drawings (``assets/body/*.svg``) and checking them against the regions.

The shapes themselves, their parsing and their geometry are the domain's
(``kiosk.domain.bodymap``); this module does the file reading and the content checks.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

from kiosk.content.loader_support import Reader
from kiosk.content.paths import asset
from kiosk.domain.bodymap import (
    OUTLINE_ID,
    REGION_PREFIX,
    SCORE_MAX,
    SCORE_MIN,
    VIEWS,
    BodyDrawing,
    Region,
    Shape,
    ShapeError,
    parse_path,
)

_SVG_NS = "{http://www.w3.org/2000/svg}"


def _viewbox(root: ET.Element, where: str) -> tuple[float, float, float, float]:
    raw = root.get("viewBox")
    if raw is None:
        raise ShapeError(f"{where}: the <svg> element needs a viewBox")
    try:
        parts = tuple(float(v) for v in raw.replace(",", " ").split())
    except ValueError:
        parts = ()
    if len(parts) != 4 or parts[2] <= 0 or parts[3] <= 0:
        raise ShapeError(f'{where}: viewBox "{raw}" must be four numbers with a positive size')
    return parts[0], parts[1], parts[2], parts[3]


def load_shapes(path: Path, view: str | None = None) -> BodyDrawing:
    """Read a body drawing. ``view`` defaults to the file's stem ("front", "back")."""
    where = str(path)
    view = view or path.stem
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError as exc:
        raise ShapeError(f"{where}: file is missing") from exc
    except (ET.ParseError, OSError) as exc:
        raise ShapeError(f"{where}: is not a readable SVG file: {exc}") from exc
    viewbox = _viewbox(root, where)
    outline: Shape | None = None
    regions: dict[str, Shape] = {}
    for element in root.iter():
        if element.tag not in (f"{_SVG_NS}path", "path"):
            continue
        ident = element.get("id")
        if ident is None or not (ident == OUTLINE_ID or ident.startswith(REGION_PREFIX)):
            continue
        try:
            shape = Shape(ident, parse_path(element.get("d", "")))
        except ValueError as exc:
            raise ShapeError(f'{where}: path "{ident}": {exc}') from exc
        if ident == OUTLINE_ID:
            if outline is not None:
                raise ShapeError(f'{where}: path "{ident}": appears more than once')
            outline = shape
            continue
        region_id = ident[len(REGION_PREFIX) :]
        if region_id in regions:
            raise ShapeError(f'{where}: path "{ident}": appears more than once')
        if not region_id:
            raise ShapeError(f'{where}: path "{ident}": has no region id after "region-"')
        regions[region_id] = shape
    if outline is None:
        raise ShapeError(f'{where}: has no <path id="{OUTLINE_ID}"> (the body\'s silhouette)')
    return BodyDrawing(view, viewbox, outline, regions)


@functools.cache
def bundled_drawing(view: str) -> BodyDrawing:
    """The kiosk's own drawing of one view, read once per process."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    return load_shapes(asset(f"body/{view}.svg"), view)


def check_shapes(
    regions: Iterable[Region], drawings: Mapping[str, BodyDrawing]
) -> list[tuple[str, str]]:
    """Mismatches between regions and drawings, as (region id, reason) pairs."""
    problems: list[tuple[str, str]] = []
    regions = list(regions)
    for region in regions:
        drawing = drawings.get(region.view)
        if drawing is None:
            continue
        if region.id not in drawing.regions:
            other = [v for v, d in drawings.items() if region.id in d.regions]
            hint = f" (it is drawn on the {other[0]} view)" if other else ""
            problems.append(
                (
                    region.id,
                    f"has no shape: assets/body/{region.view}.svg has no path "
                    f'id="{REGION_PREFIX}{region.id}"{hint}',
                )
            )
    known = {(r.view, r.id) for r in regions}
    for view, drawing in drawings.items():
        for region_id in drawing.regions:
            if (view, region_id) not in known:
                problems.append(
                    (
                        region_id,
                        f'assets/body/{view}.svg has a path id="{REGION_PREFIX}{region_id}" '
                        f"but no {view} region with that id in regions.toml",
                    )
                )
    return problems


def parse_anchors(
    r: Reader, raw: object, where: str, *, required: bool, expected: frozenset[int] | None = None
) -> tuple[tuple[int, str], ...]:
    """Words at points of the 0-10 scale: ``{ 0 = "No pain", 10 = "Worst pain" }``.

    ``expected`` (for translations) is the set of points the main content labels.
    """
    if raw is None:
        if required:
            r.problem(where, 'is missing: give words at some points, like { 0 = "No pain" }')
        return ()
    if not isinstance(raw, dict) or not raw:
        r.problem(where, 'must be a table of points and words, like { 0 = "No pain" }')
        return ()
    out: list[tuple[int, str]] = []
    for key, text in raw.items():
        if not (key.isdigit() and SCORE_MIN <= int(key) <= SCORE_MAX):
            r.problem(f"{where}.{key}", "must be a whole number from 0 to 10")
        elif not isinstance(text, str) or not text.strip():
            r.problem(f"{where}.{key}", "must be text")
        else:
            out.append((int(key), " ".join(text.split())))
    points = {p for p, _ in out}
    if expected is not None:
        for p in sorted(expected - points):
            r.problem(f"{where}.{p}", "is missing")
        for p in sorted(points - expected):
            r.problem(f"{where}.{p}", "is not a point the main content labels")
    return tuple(sorted(out))
