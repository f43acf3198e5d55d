"""The log rotates, is private, and never holds a patient's data."""

from __future__ import annotations

import io
import logging
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.logs import LOG_NAME, reset_logging, setup_logging
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import (
    Choice,
    current,
    draw,
    settle,
    signature_strokes,
    tap,
    tap_next,
    walk_to_consent,
)
from kiosk.ui.app import apply_look, create_window
from kiosk.ui.screens import ConsentScreen, QuestionScreen

NAME = "Quetzalcoatl Zyxwvutsrq"
DOB = ("13", "7", "1937")
TEXT_ANSWER = "Obsidianbutterfly kneecap"
DATE_ANSWER = "2011-09-17"
#: Every form in which this patient's data could leak.
SECRETS = (
    NAME,
    "Quetzalcoatl",
    "Zyxwvutsrq",
    "1937-07-13",
    "13 July 1937",
    "13 Jul 1937",
    "13/07/1937",
    "13.07.1937",
    "07/13/1937",
    TEXT_ANSWER,
    "Obsidianbutterfly",
    DATE_ANSWER,
    "17 September 2011",
    "17 Sep 2011",
)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    reset_logging()
    root.setLevel(level)


def _log_text(folder: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file())


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(
    tmp_path: Path, restore_logging: None
) -> None:
    path = setup_logging(tmp_path, max_bytes=2_000, backups=3, stream=io.StringIO())
    assert path == tmp_path / "logs" / LOG_NAME
    log = logging.getLogger("kiosk.test")
    for i in range(300):
        log.info("line %03d %s", i, "x" * 80)
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == [LOG_NAME, f"{LOG_NAME}.1", f"{LOG_NAME}.2", f"{LOG_NAME}.3"]
    for file in path.parent.iterdir():
        assert file.stat().st_size <= 2_000
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # The newest lines are in kiosk.log, the ones before in kiosk.log.1.
    assert "line 299" in path.read_text(encoding="utf-8")
    assert "line 299" not in (path.parent / f"{LOG_NAME}.1").read_text(encoding="utf-8")


def test_setting_up_twice_logs_each_line_once(tmp_path: Path, restore_logging: None) -> None:
    stream = io.StringIO()
    setup_logging(tmp_path, stream=stream)
    path = setup_logging(tmp_path, stream=stream)
    logging.getLogger("kiosk.test").warning("only once")
    assert _log_text(path.parent).count("only once") == 1
    assert stream.getvalue().count("only once") == 1


def test_an_existing_console_handler_is_not_doubled(tmp_path: Path, restore_logging: None) -> None:
    stream = io.StringIO()
    console = logging.StreamHandler(stream)  # as logging.basicConfig would have added
    root = logging.getLogger()
    root.addHandler(console)
    try:
        setup_logging(tmp_path, stream=stream)
        logging.getLogger("kiosk.test").warning("once on the console")
        assert stream.getvalue().count("once on the console") == 1
    finally:
        root.removeHandler(console)


def test_an_old_wider_log_file_is_made_private(tmp_path: Path, restore_logging: None) -> None:
    (tmp_path / "logs").mkdir()
    old = tmp_path / "logs" / LOG_NAME
    old.write_text("from an older version\n", encoding="utf-8")
    old.chmod(0o644)
    setup_logging(tmp_path, stream=io.StringIO())
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_text_that_is_not_valid_unicode_is_still_logged(
    tmp_path: Path, restore_logging: None
) -> None:
    path = setup_logging(tmp_path, stream=io.StringIO())
    logging.getLogger("kiosk.test").error("a lone surrogate %s here", "\ud800")
    assert "a lone surrogate ? here" in _log_text(path.parent)


class _Stop(Exception):
    pass


def test_no_log_file_or_file_name_holds_the_patients_data(
    qtbot, content: Content, tmp_path: Path, restore_logging: None
) -> None:
    """A whole journey with a save failure and its retry, then a walk-away, at DEBUG."""
    data_dir, output = tmp_path / "data", tmp_path / "summaries"
    config = Config(
        clinic_name="Test Clinic",
        output_dir=output,
        data_dir=data_dir,
        idle_seconds=5,
        countdown_seconds=3,
    )
    log_file = setup_logging(data_dir, logging.DEBUG, stream=io.StringIO())
    output.write_text("a file where the folder should be: the first save fails")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_look(app)
    win = create_window(config, content, (), PdfSummaryWriter(output, config.clinic_name))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)

    # 1. The patient answers, signs; the save fails, then the retry saves it.
    choices: dict[str, Choice] = {
        "blood_thinner": ("yes",),
        "surgery_or_implant": ("yes",),
        "surgery_what": TEXT_ANSWER,
        "surgery_when": DATE_ANSWER,
    }
    walk_to_consent(win, NAME, DOB, choices)
    consent = current(win)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    del consent
    tap_next(win)
    assert not list(tmp_path.glob("**/*.pdf")), "the save should have failed"
    output.unlink()
    with qtbot.waitSignal(win.summary_saved, timeout=10_000) as saved:
        win.retry_timer.timeout.emit()
    found = re.search(r"DN-[0-9A-Z]{8}", saved.args[0].pdf.name)
    assert found is not None
    document_id = found[0]
    win.reset()

    # 2. The same patient starts again, types everything, and walks away.
    def stop_at_text_answer(screen: object) -> None:
        if isinstance(screen, QuestionScreen) and screen.question.id == "surgery_what":
            raise _Stop

    with pytest.raises(_Stop):
        walk_to_consent(win, NAME, DOB, choices, on_screen=stop_at_text_answer)
    assert win.overlay is not None
    win.idle.timer.setInterval(50)
    win.idle.timer.start()
    win.overlay.ticker.setInterval(10)
    with qtbot.waitSignal(win.session_reset, timeout=5_000):
        pass
    settle()

    text = _log_text(log_file.parent)
    # The log did record what happened (or this test would prove nothing) ...
    assert document_id in text
    assert " ERROR " in text  # the failed save
    assert "still there" in text  # the walk-away
    # ... and nothing of who it happened to, in any file of the data folder.
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        content_text = path.read_bytes().decode("utf-8", errors="replace")
        for secret in SECRETS:
            assert secret not in content_text, f"{secret!r} in {path}"
    names = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")]
    assert any(name.endswith(".pdf") for name in names)
    for name in names:
        for secret in SECRETS:
            assert secret not in name, f"{secret!r} in the file name {name}"
