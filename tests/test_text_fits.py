"""At every text size and in every language, no button or label is cut off.

Word-wrapped labels are measured the way QLabel lays out plain text: the font's
bounding rectangle for the text wrapped at the label's contents width. That is
independent of QLabel.heightForWidth, which counts the contents margins differently
from the layout and so cannot be used to judge the layout.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWidget

from kiosk.app.config import Config
from kiosk.domain.model import Content
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
                problems.extend(_wrapped_cut_off(screen, widget))
                continue
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


def _wrapped_cut_off(screen: QWidget, label: QLabel) -> list[str]:
    """A wrapped label is cut off when its words wrapped at its width need more height
    than it has, or when one word alone is wider than the label."""
    given = label.contentsRect()
    flags = int(label.alignment()) | int(Qt.TextFlag.TextWordWrap)
    needed = label.fontMetrics().boundingRect(
        QRect(0, 0, given.width(), 1_000_000), flags, label.text()
    )
    if needed.height() > given.height() + 1 or needed.width() > given.width() + 1:
        return [
            f"{screen.objectName()}: wrapped label {label.text()[:40]!r} "
            f"needs {needed.width()}x{needed.height()}px, has {given.width()}x{given.height()}"
        ]
    return []


@pytest.mark.parametrize("size", ["normal", "large", "extra_large"])
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


def test_the_measurement_sees_a_clipped_wrapped_label(qtbot) -> None:
    """The check above must be able to fail: a label squeezed below its wrapped height,
    or narrower than its longest word, is reported; one given room is not."""
    from kiosk.ui.widgets import Text

    host = QWidget()
    qtbot.addWidget(host)
    label = Text("Please tell the clinician about any bleeding problems you have.", "body", host)
    host.show()
    label.ensurePolished()  # a stylesheet left by another test may set the font
    label.setFixedWidth(300)
    label.setFixedHeight(label.heightForWidth(300) + 40)
    assert _wrapped_cut_off(host, label) == []

    label.setFixedHeight(label.fontMetrics().height())
    assert _wrapped_cut_off(host, label)

    word = Text("Antiinflammatories", "body", host)
    word.setFixedSize(40, 400)
    assert _wrapped_cut_off(host, word)
