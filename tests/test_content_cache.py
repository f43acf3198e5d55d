"""Validated content kept between starts (kiosk.content.cache): the same content as the
files give, read again whenever a file changes, never kept when it has problems."""

from __future__ import annotations

from pathlib import Path

import pytest

import kiosk.content.cache as cache
from kiosk.content.loader import ContentInvalid, load_content
from kiosk.content.paths import assets_dir
from kiosk.domain.model import Content


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders ``load_content`` really read, in order."""
    seen: list[Path] = []

    def counted(folder: Path, assets: Path) -> Content:
        seen.append(folder)
        return load_content(folder, assets)

    monkeypatch.setattr(cache, "load_content", counted)
    return seen


def test_the_second_start_reads_the_cache_and_gets_the_same_content(
    content_copy: Path, tmp_path: Path, loads: list[Path]
) -> None:
    first = cache.load_content_cached(content_copy, assets_dir(), tmp_path / "cache")
    second = cache.load_content_cached(content_copy, assets_dir(), tmp_path / "cache")
    assert loads == [content_copy]  # the files were read once
    assert second == first == load_content(content_copy, assets_dir())
    assert second.for_language("ar").text("welcome.start") == first.for_language("ar").text(
        "welcome.start"
    )
    assert len(list((tmp_path / "cache").glob("content-*.pickle"))) == 1


@pytest.mark.parametrize("name", ["strings.toml", "locales/es.toml"])
def test_an_edited_file_is_read_again(
    content_copy: Path, tmp_path: Path, loads: list[Path], name: str
) -> None:
    before = cache.load_content_cached(content_copy, assets_dir(), tmp_path / "cache")
    path = content_copy / name
    text = path.read_text(encoding="utf-8")
    old = '"welcome.start" = "Start"' if name == "strings.toml" else '"welcome.start" = "Empezar"'
    assert old in text, f"{name} has no {old!r}: the test needs another line to edit"
    path.write_text(text.replace(old, old.replace('= "', '= "Please ')), encoding="utf-8")
    after = cache.load_content_cached(content_copy, assets_dir(), tmp_path / "cache")
    assert loads == [content_copy, content_copy]
    language = "en" if name == "strings.toml" else "es"
    assert after.for_language(language).text("welcome.start").startswith("Please ")
    assert not before.for_language(language).text("welcome.start").startswith("Please ")
    # The older cache file is gone; only the new one is kept.
    assert len(list((tmp_path / "cache").glob("content-*.pickle"))) == 1


def test_content_with_problems_is_never_cached(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / "manifest.toml").write_text("version = 3\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentInvalid):
            cache.load_content_cached(content_copy, assets_dir(), tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("content-*"))


def test_a_damaged_cache_is_ignored_and_written_again(
    content_copy: Path, tmp_path: Path, loads: list[Path]
) -> None:
    cache.load_content_cached(content_copy, assets_dir(), tmp_path / "cache")
    (written,) = (tmp_path / "cache").glob("content-*.pickle")
    written.write_bytes(b"not a pickle")
    again = cache.load_content_cached(content_copy, assets_dir(), tmp_path / "cache")
    assert again == load_content(content_copy, assets_dir())
    assert loads == [content_copy, content_copy]
    assert written.read_bytes() != b"not a pickle"


def test_a_cache_that_cannot_be_written_costs_only_the_time(
    content_copy: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    content = cache.load_content_cached(content_copy, assets_dir(), blocked / "cache")
    assert content == load_content(content_copy, assets_dir())
