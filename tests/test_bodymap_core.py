"""The body map's core: the SVG shapes, the regions content, and body-map and scale answers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kiosk.content.drawings import bundled_drawing, load_shapes
from kiosk.content.loader import ContentInvalid, load_content
from kiosk.content.paths import assets_dir
from kiosk.domain.answers import Answer, AnswerError, check_answer, describe
from kiosk.domain.bodymap import (
    VIEWS,
    BodyDrawing,
    ShapeError,
    parse_path,
)
from kiosk.domain.model import Content
from kiosk.domain.record import canonical_json

TODAY = dt.date(2026, 11, 27)


# ---------------------------------------------------------------- the drawings


@pytest.mark.parametrize("view", VIEWS)
def test_regions_tile_the_body_without_overlap_or_gaps(view: str) -> None:
    """Every point inside the silhouette is in exactly one region, and no region spills out.

    Tapping inside a shape must name one region, never two, and every part of the
    drawn body must answer a tap. The grid is offset so it never sits on an edge.
    """
    drawing = bundled_drawing(view)
    x0, y0, width, height = drawing.viewbox
    overlaps, gaps, outside, inside = [], [], [], 0
    for j in range(int(height // 3)):
        y = y0 + 0.37 + 3 * j
        for i in range(int(width // 3)):
            x = x0 + 0.41 + 3 * i
            hits = [r for r, shape in drawing.regions.items() if shape.contains(x, y)]
            in_body = drawing.outline.contains(x, y)
            inside += in_body
            if len(hits) > 1:
                overlaps.append((x, y, hits))
            elif in_body and not hits:
                gaps.append((x, y))
            elif hits and not in_body:
                outside.append((x, y, hits))
    assert inside > 5000, "the silhouette is missing or tiny"
    assert overlaps == []
    assert gaps == []
    assert outside == []


def test_the_views_have_the_regions_of_the_content(content: Content) -> None:
    for view in VIEWS:
        drawn = set(bundled_drawing(view).regions)
        assert drawn == {r.id for r in content.regions if r.view == view}
    assert 40 <= len(content.regions) <= 60


@pytest.mark.parametrize("view", VIEWS)
def test_every_label_point_is_inside_its_own_region(view: str) -> None:
    drawing = bundled_drawing(view)
    for region_id, shape in drawing.regions.items():
        x, y = shape.label_point
        assert drawing.region_at(x, y) == region_id


def test_left_and_right_are_the_patients_own(content: Content) -> None:
    """From the front the patient's left is on the viewer's right; from the back, the left."""
    middle = bundled_drawing("front").viewbox[2] / 2
    for region in content.regions:
        if region.side is None:
            continue
        x = bundled_drawing(region.view).regions[region.id].label_point[0]
        on_viewers_right = x > middle
        patients_left = region.side == "left"
        assert on_viewers_right == (patients_left == (region.view == "front")), region.id
        assert region.id.endswith(f"_{region.side}")


def test_tapping_names_the_region_under_the_finger() -> None:
    front, back = bundled_drawing("front"), bundled_drawing("back")
    assert front.region_at(200, 60) == "head_jaw"
    assert front.region_at(230, 220) == "chest_left"  # viewer's right: patient's left
    assert front.region_at(170, 220) == "chest_right"
    assert back.region_at(170, 220) == "upper_back_left"  # from behind it is the other way
    assert front.region_at(20, 20) is None


# ---------------------------------------------------------------- the path parser


def test_the_parser_reads_lines_and_curves() -> None:
    (sub,) = parse_path("M 0 0 L 10 0 Q 20 5 10 10 C 8 12 2 12 0 10 Z")
    assert [c.op for c in sub] == ["M", "L", "Q", "C", "Z"]
    assert sub[2].points == ((20.0, 5.0), (10.0, 10.0))
    two = parse_path("M0,0 L1,0 1,1Z M 5 5 L 6 5 6 6 Z")
    assert len(two) == 2
    assert [c.op for c in two[0]] == ["M", "L", "L", "Z"]


def test_a_curved_shape_contains_the_bulge_of_its_curve(tmp_path: Path) -> None:
    svg = tmp_path / "front.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<path id="outline" d="M 0 0 L 100 0 L 100 100 L 0 100 Z"/>'
        '<path id="region-bulge" d="M 10 10 L 50 10 Q 90 30 50 50 L 10 50 Z"/></svg>',
        encoding="utf-8",
    )
    drawing = load_shapes(svg)
    assert isinstance(drawing, BodyDrawing)
    assert drawing.view == "front"
    assert drawing.viewbox == (0.0, 0.0, 100.0, 100.0)
    assert drawing.region_at(65, 30) == "bulge"  # inside the curve, right of the straight chord
    assert drawing.region_at(80, 45) is None


@pytest.mark.parametrize(
    ("d", "reason"),
    [
        ("M 0 0 l 10 0 Z", 'relative command "l"'),
        ("M 0 0 A 5 5 0 0 1 10 10 Z", 'command "A" is not allowed'),
        ("M 0 0 L 10 Z", '"L" needs 2 numbers'),
        ("L 10 10 Z", '"L" before any "M"'),
        ("M 0 0 L 1 1 3 Z", '"L" needs 2 numbers'),
        ("", "empty"),
    ],
)
def test_a_bad_path_names_file_id_and_reason(tmp_path: Path, d: str, reason: str) -> None:
    svg = tmp_path / "back.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        f'<path id="outline" d="M 0 0 L 1 0 L 1 1 Z"/><path id="region-knee_left" d="{d}"/></svg>',
        encoding="utf-8",
    )
    with pytest.raises(ShapeError) as caught:
        load_shapes(svg)
    problem = caught.value.problem
    assert problem.where == str(svg)
    assert problem.key == 'path "region-knee_left"'
    assert reason in problem.reason
    assert str(caught.value) == f"{svg}: {problem.key}: {problem.reason}"


def test_a_drawing_without_outline_or_viewbox_is_refused(tmp_path: Path) -> None:
    svg = tmp_path / "front.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>', "utf-8")
    with pytest.raises(ShapeError, match="outline"):
        load_shapes(svg)
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    with pytest.raises(ShapeError, match="viewBox"):
        load_shapes(svg)


# ---------------------------------------------------------------- content checks


def _problems(folder: Path, assets: Path | None = None) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        load_content(folder, assets or assets_dir())
    return [str(p) for p in caught.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _assets_copy(tmp_path: Path) -> Path:
    target = tmp_path / "assets"
    shutil.copytree(assets_dir() / "body", target / "body")
    return target


def test_a_region_without_a_shape_is_named(content_copy: Path, tmp_path: Path) -> None:
    assets = _assets_copy(tmp_path)
    _edit(assets / "body" / "back.svg", 'id="region-calf_left"', 'id="calf_left_old"')
    found = _problems(content_copy, assets)
    assert any(
        p.startswith("regions.toml") and "calf_left" in p and "has no shape" in p for p in found
    ), found


def test_a_shape_without_a_region_is_named(content_copy: Path, tmp_path: Path) -> None:
    assets = _assets_copy(tmp_path)
    _edit(assets / "body" / "front.svg", 'id="region-knee_left"', 'id="region-kneecap_left"')
    found = _problems(content_copy, assets)
    assert any("kneecap_left" in p and "no front region" in p for p in found), found
    assert any("knee_left" in p and "has no shape" in p for p in found), found


def test_a_region_on_the_wrong_view_is_named(content_copy: Path) -> None:
    _edit(
        content_copy / "regions.toml",
        'id = "calf_left"\nview = "back"',
        'id = "calf_left"\nview = "front"',
    )
    found = _problems(content_copy)
    assert any("calf_left" in p and "drawn on the back view" in p for p in found), found


def test_a_group_that_is_also_a_region_id_is_refused(content_copy: Path) -> None:
    _edit(content_copy / "regions.toml", 'groups = ["head_neck"]', 'groups = ["abdomen"]')
    assert any('"abdomen" is both a region id and a group id' in p for p in _problems(content_copy))


def test_an_unknown_place_in_a_rule_names_file_rule_and_reason(content_copy: Path) -> None:
    _edit(
        content_copy / "rules.toml",
        'regions_any_of = ["left_arm"]',
        'regions_any_of = ["left_amr"]',
    )
    found = _problems(content_copy)
    assert any(
        p.startswith("rules.toml")
        and '"lymph_left_arm"' in p
        and '"left_amr" is not a region id or group' in p
        for p in found
    ), found


def test_a_body_area_question_must_name_places(content_copy: Path) -> None:
    _edit(
        content_copy / "questions.toml",
        '{ code = "head_neck", label = "Head or neck" },',
        '{ code = "head_and_neck", label = "Head or neck" },',
    )
    found = _problems(content_copy)
    assert any(
        '"skin_problem_at_marked_site"' in p and 'option "head_and_neck"' in p for p in found
    ), found


def test_a_translation_must_name_every_region(content_copy: Path) -> None:
    _edit(content_copy / "locales" / "es.toml", 'knee_left = "Rodilla izquierda"\n', "")
    _edit(content_copy / "locales" / "ar.toml", "[region]\n", '[region]\nelbow_middle = "x"\n')
    found = _problems(content_copy)
    assert "locales/es.toml: region.knee_left: is missing" in found
    assert "locales/ar.toml: region.elbow_middle: is not a region in regions.toml" in found


def test_regions_are_content_in_every_language(content: Content) -> None:
    assert content.region("shoulder_left").name == "Left shoulder"
    assert content.region("shoulder_left").snomed_code == "91775009"
    assert content.region("wrist_hand_left").snomed_code is None
    assert "left_arm" in content.region("upper_arm_back_left").groups
    spanish = content.for_language("es")
    assert spanish.region("shoulder_left").name == "Hombro izquierdo"
    assert [r.id for r in spanish.regions] == [r.id for r in content.regions]
    body_map = spanish.question("pain_where")
    assert body_map.option("knee_left") is not None
    assert body_map.option("knee_left").label == "Rodilla izquierda"  # type: ignore[union-attr]
    assert dict(spanish.question("pain_now").anchors)[10] == "El peor dolor que pueda imaginar"


# ---------------------------------------------------------------- answers


def test_a_body_map_answer_is_kept_in_content_order_and_reads_in_words(content: Content) -> None:
    question = content.question("pain_where")
    answer = check_answer(question, Answer.of_regions({"shoulder_left": 7, "neck_front": 4}), TODAY)
    assert answer.codes == ("neck_front", "shoulder_left")
    assert answer.scores == (("neck_front", 4), ("shoulder_left", 7))
    assert describe(question, answer, content) == (
        "Front and sides of the neck 4/10, Left shoulder 7/10"
    )


def test_nothing_marked_is_not_sure(content: Content) -> None:
    question = content.question("pain_where")
    assert check_answer(question, Answer(), TODAY).is_unsure
    assert check_answer(question, Answer.unsure(), TODAY).is_unsure
    assert describe(question, Answer.unsure(), content) == "Not sure"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer.of_regions({"elbow_middle": 3}), "unknown region"),
        (Answer.of_regions({"knee_left": 11}), "from 0 to 10"),
        (Answer.of_regions({"knee_left": -1}), "from 0 to 10"),
        (Answer.of_regions({"knee_left": True}), "whole number"),
        (Answer(codes=("knee_left",), scores=(("knee_right", 3),)), "not marked"),
        (Answer(codes=("knee_left", "knee_left")), "marked twice"),
        (Answer(codes=("knee_left",), scores=(("knee_left", 1), ("knee_left", 2))), "two scores"),
        (Answer(codes=("unsure", "knee_left")), "Not sure"),
        (Answer(text="my knee"), "not text"),
    ],
)
def test_a_bad_body_map_answer_is_refused(content: Content, answer: Answer, reason: str) -> None:
    with pytest.raises(AnswerError, match=reason):
        check_answer(content.question("pain_where"), answer, TODAY)


def test_a_region_may_be_marked_before_it_has_a_score(content: Content) -> None:
    question = content.question("pain_where")
    answer = check_answer(question, Answer(codes=("calf_right",)), TODAY)
    assert answer.score("calf_right") is None
    assert describe(question, answer, content) == "Right calf"


def test_the_scale_takes_0_to_10_and_says_the_words_at_its_anchors(content: Content) -> None:
    question = content.question("pain_now")
    for n in range(11):
        assert check_answer(question, Answer.of_score(n), TODAY).score_value == n
    for bad in (11, -1, 7.5, True):
        with pytest.raises(AnswerError):
            check_answer(question, Answer(score_value=bad), TODAY)  # type: ignore[arg-type]
    for codes in (("7",), ("seven",)):
        with pytest.raises(AnswerError):  # a score is a number, not a code
            check_answer(question, Answer(codes=codes), TODAY)
    with pytest.raises(AnswerError):
        check_answer(question, Answer.of("3", "4"), TODAY)
    with pytest.raises(AnswerError, match="no scores"):
        check_answer(question, Answer(codes=("3",), scores=(("3", 3),)), TODAY)
    assert describe(question, Answer.of_score(7), content) == "7/10"
    assert describe(question, Answer.of_score(10), content) == "10/10 (Worst pain you can imagine)"
    assert describe(question, Answer.of_score(0), content) == "0/10 (No pain)"


def test_scores_enter_the_record_check(content: Content) -> None:
    from tests.test_fhir import full_record

    record = full_record(content)
    answers = dict(record.answers)
    first = canonical_json(record)
    assert b'"scores":[["shoulder_left",7],["wrist_hand_right",0]]' in first
    answers["pain_where"] = Answer(
        codes=answers["pain_where"].codes, scores=(("shoulder_left", 6), ("wrist_hand_right", 0))
    )
    from dataclasses import replace

    assert canonical_json(replace(record, answers=answers)) != first
    # Answers without scores keep the form they always had.
    assert b'"blood_thinner":{"codes":["yes"],"text":""}' in first


def test_a_follow_up_cannot_depend_on_a_marked_place(content_copy: Path) -> None:
    """Places are for rules: a follow-up asked because of a place has no FHIR form."""
    _edit(
        content_copy / "questions.toml",
        'enable_when = [{ question = "skin_problem", any_of = ["yes"] }]',
        'enable_when = [{ regions_any_of = ["chest"] }]',
    )
    found = _problems(content_copy)
    assert any(
        '"skin_problem_where"' in p and "regions_any_of: is not a known key here" in p
        for p in found
    ), found
