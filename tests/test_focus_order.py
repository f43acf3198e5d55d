"""Tab follows reading order on every patient screen: top to bottom, then along each row
left to right, or right to left in Arabic.

Each screen's focus chain is walked with ``QWidget.nextInFocusChain`` from its first
focusable widget and compared with where the widgets are drawn. The window is made tall
enough that no page scrolls, so positions on the page and in the footer compare directly.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QPushButton, QWidget

from kiosk.app.config import Config
from kiosk.domain.model import Content
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
from kiosk.ui.app import create_window
from kiosk.ui.screens import ConsentScreen
from kiosk.ui.widgets import set_reading_order

#: Rows whose tops differ by less than this many pixels count as one row.
SAME_ROW = 8


def tabbable(widget: QWidget, screen: QWidget) -> bool:
    return (
        screen.isAncestorOf(widget)
        and widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        # A scroll area is the page itself, not an item on it.
        and not isinstance(widget, QAbstractScrollArea)
    )


def where(widget: QWidget, screen: QWidget) -> QRect:
    return QRect(widget.mapTo(screen, QPoint(0, 0)), widget.size())


def reads_before(a: QRect, b: QRect, right_to_left: bool) -> bool:
    """Whether a patient reads ``a`` before ``b``."""
    if a.bottom() < b.top() + SAME_ROW and not _overlap(a, b):
        return True
    if b.bottom() < a.top() + SAME_ROW and not _overlap(a, b):
        return False
    # The same row: along the writing direction.
    if right_to_left:
        return a.center().x() > b.center().x()
    return a.center().x() < b.center().x()


def _overlap(a: QRect, b: QRect) -> bool:
    """Side by side: each reaches well into the other's height."""
    top, bottom = max(a.top(), b.top()), min(a.bottom(), b.bottom())
    return bottom - top > min(a.height(), b.height()) / 2


def focus_chain(screen: QWidget) -> list[QWidget]:
    """The screen's tabbable widgets in focus-chain order, from the first one read."""
    cycle: list[QWidget] = []
    widget: QWidget | None = screen.nextInFocusChain()
    for _ in range(10_000):
        if widget is None or widget is screen:
            break
        if tabbable(widget, screen):
            cycle.append(widget)
        widget = widget.nextInFocusChain()
    if not cycle:
        return []
    rtl = screen.isRightToLeft()
    first = cycle[0]
    for candidate in cycle[1:]:
        if reads_before(where(candidate, screen), where(first, screen), rtl):
            first = candidate
    start = cycle.index(first)
    return cycle[start:] + cycle[:start]


def order_problems(screen: QWidget) -> list[str]:
    settle()
    chain = focus_chain(screen)
    rtl = screen.isRightToLeft()
    expected = {w for w in screen.findChildren(QWidget) if tabbable(w, screen)}
    problems = []
    if set(chain) != expected:
        problems.append(f"{screen.objectName()}: Tab cannot reach every control")
    for a, b in itertools.pairwise(chain):
        if reads_before(where(b, screen), where(a, screen), rtl):
            problems.append(
                f"{screen.objectName()}: Tab goes from {describe(a)} at "
                f"{where(a, screen).topLeft().toTuple()} back to {describe(b)} at "
                f"{where(b, screen).topLeft().toTuple()}"
            )
    return problems


def describe(widget: QWidget) -> str:
    name = widget.accessibleName() or widget.objectName()
    return f"{type(widget).__name__} {name!r}"


#: Opens the text and date follow-ups and a multiple-choice one.
CHOICES: dict[str, Choice] = {"surgery_or_implant": ("yes",), "blood_thinner": ("yes",)}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_tab_follows_reading_order_on_every_patient_screen(
    qtbot, config: Config, content: Content, language: str
) -> None:
    window = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(window)
    window.show()
    if language != content.language:
        button = current(window).findChild(QAbstractButton, f"language-{language}")
        assert button is not None
        tap(button)
    window.resize(1280, 3200)
    settle()
    problems: list[str] = []
    seen: list[str] = []

    def check(screen: QWidget) -> None:
        seen.append(screen.objectName())
        # Grow the window until the page needs no scrolling (the review page is long).
        for page in screen.findChildren(QAbstractScrollArea):
            settle()
            inner = page.widget() if hasattr(page, "widget") else None
            extra = inner.height() - page.viewport().height() if inner is not None else 0
            if extra > 0:
                window.resize(1280, window.height() + extra + 40)
                settle()
        assert screen.isRightToLeft() == (language == "ar")
        problems.extend(order_problems(screen))

    check(current(window))
    walk_to_consent(window, "Ana Lima", ("3", "4", "1950"), CHOICES, check, True)
    assert {"welcome", "identity", "question-surgery_what", "question-surgery_when"} <= set(seen)
    assert "review" in seen
    assert seen[-1] == "consent"
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    tap_next(window)
    assert current(window).objectName() == "done"
    check(current(window))
    window.resize(1280, 800)
    window.reset()
    assert not problems, "\n".join(problems[:20])


def test_the_check_sees_a_wrong_order(qtbot) -> None:
    """Buttons put in the focus chain against their layout order are reported."""
    from PySide6.QtWidgets import QVBoxLayout

    screen = QWidget()
    screen.setObjectName("made-up")
    qtbot.addWidget(screen)
    layout = QVBoxLayout(screen)
    buttons = [QPushButton(str(n)) for n in range(3)]
    # Parented in reverse, so the focus chain runs bottom to top.
    for button in reversed(buttons):
        button.setParent(screen)
    for button in buttons:
        layout.addWidget(button)
    screen.resize(300, 400)
    screen.show()
    assert order_problems(screen)
    set_reading_order(screen)
    assert not order_problems(screen)
