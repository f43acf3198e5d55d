"""At every text size and in every language, no button or one-line label is cut off.

Word-wrapped labels are not measured here yet: for labels with contents margins
QLabel.heightForWidth and the height the layout gives disagree by the margins, so a
measurement would not be trustworthy. They grow downwards inside scrolling pages.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWidget

from kiosk.core.config import Config
from kiosk.core.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, settle, tap, walk_to_consent
from kiosk.ui.app import create_window
from kiosk.ui.widgets import ChoiceButton


def cut_off(screen: QWidget) -> list[str]:
    """Every visible label or button whose words need more room than it was given."""
    problems = []
    for widget in screen.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.text():
            metrics = widget.fontMetrics()
            if widget.wordWrap():
                continue  # wrapped text grows downwards; its page scrolls (see the note)
            longest = max(metrics.horizontalAdvance(line) for line in widget.text().splitlines())
            if longest > widget.contentsRect().width() + 1:
                problems.append(
                    f"{screen.objectName()}: label {widget.text()[:40]!r} "
                    f"needs {longest}px wide, has {widget.contentsRect().width()}"
                )
        elif (
            isinstance(widget, QPushButton)
            and not isinstance(widget, ChoiceButton)
            and widget.text()
        ):
            needed = widget.sizeHint().width()
            if needed > widget.width():
                problems.append(
                    f"{screen.objectName()}: button {widget.text()!r} "
                    f"needs {needed}px, has {widget.width()}"
                )
    return problems


@pytest.mark.parametrize("size", ["normal", "extra_large"])
@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_nothing_is_cut_off(
    qtbot, config: Config, content: Content, size: str, language: str
) -> None:
    window = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(window)
    window.show()
    for name in (f"language-{language}", f"size-{size}"):
        button = current(window).findChild(QAbstractButton, name)
        assert button is not None
        if not button.isChecked():
            tap(button)
    settle()
    problems = cut_off(current(window))

    def look(screen: QWidget) -> None:
        settle()
        problems.extend(cut_off(screen))

    walk_to_consent(window, "Nadia Haddad", ("5", "6", "1970"), {}, on_screen=look)
    window.reset()
    assert not problems, "\n".join(problems[:30])
