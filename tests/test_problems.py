"""One way to say what is wrong: a problem names where, the key and the reason, and every
command lists problems alike (a heading, then one problem a line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.app import config as config_module
from kiosk.domain.problems import Problem, ProblemsFound, format_problem, located, report

#: What every command prints: the heading, then "  where: key: reason" lines.
HEADING = re.compile(r"(?P<count>\d+) problem\(s\) in (?P<subject>.+):")
LINE = re.compile(r"  (?P<where>[^:]+): (?P<rest>.+)")


def test_a_problem_reads_where_key_reason() -> None:
    assert str(Problem("kiosk.toml", "idle_seconds", "too short")) == (
        "kiosk.toml: idle_seconds: too short"
    )
    assert format_problem(Problem("strings.toml", "", "file is missing")) == (
        "strings.toml: file is missing"
    )
    assert str(Problem("", "Patient.name", "is missing")) == "Patient.name: is missing"


def test_located_fills_in_only_a_missing_where() -> None:
    found = located("r.json", [Problem("", "a", "x"), Problem("other.json", "b", "y")])
    assert [p.where for p in found] == ["r.json", "other.json"]


def test_report_and_the_error_carry_every_problem() -> None:
    problems = [Problem("f", "a", "x"), Problem("f", "b", "y")]
    assert report("the thing", problems) == "2 problem(s) in the thing:\n  f: a: x\n  f: b: y"
    error = ProblemsFound("the thing", problems)
    assert error.problems == tuple(problems)
    assert str(error) == report("the thing", problems)


def listed(output: str) -> list[str]:
    """The problems of a command's output, checking the shared form line by line."""
    heading, *lines = output.strip().splitlines()
    match = HEADING.fullmatch(heading)
    assert match, heading
    assert int(match["count"]) == len(lines)
    assert all(LINE.fullmatch(line) for line in lines), lines
    return lines


def test_every_command_lists_problems_the_same_way(
    tmp_path: Path,
    content_copy: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # render reads the settings from the search path: make sure it finds none.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setattr(config_module, "SYSTEM_CONFIG", tmp_path / "etc" / "kiosk.toml")
    (content_copy / "consent.toml").unlink()
    assert cli.main(["validate-content", str(content_copy)]) == 1
    assert listed(capsys.readouterr().out) == ["  consent.toml: file is missing"]

    settings = tmp_path / "kiosk.toml"
    settings.write_text("idle_seconds = 1\n", "utf-8")
    assert cli.main(["check-config", str(settings)]) == 1
    [line] = listed(capsys.readouterr().out)
    assert line.startswith(f"  {settings}: idle_seconds: must be a whole number")

    response = tmp_path / "response.json"
    response.write_text('{"resourceType": "Patient"}', "utf-8")
    assert cli.main(["render", str(response), "-o", str(tmp_path / "out.pdf")]) == 2
    lines = listed(capsys.readouterr().err)
    assert all(line.startswith(f"  {response}: ") for line in lines)
