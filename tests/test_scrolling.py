"""Long pages scroll with a finger (QScroller) and say so while there is more below."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QScroller

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, settle, tap
from kiosk.ui.app import create_window
from kiosk.ui.screens import EducationScreen


def test_a_long_page_scrolls_by_touch_and_shows_a_hint_until_the_end(
    qtbot, config: Config, content: Content
) -> None:
    window = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    size = current(window).findChild(QAbstractButton, "size-extra_large")
    assert size is not None
    tap(size)
    start = current(window).findChild(QAbstractButton, "start")
    assert start is not None
    tap(start)
    settle()
    screen = current(window)
    assert isinstance(screen, EducationScreen)
    page = screen.scroll_area
    viewport = page.viewport()
    assert QScroller.hasScroller(viewport)

    bar = page.verticalScrollBar()
    assert bar.maximum() > 0, "extra-large text on the first page should need scrolling"
    assert page.more_hint.isVisible()
    assert "More below" in page.more_hint.text()
    # The hint sits over the bottom of the page, not over Back and Next.
    assert page.more_hint.geometry().bottom() <= viewport.geometry().bottom()

    bar.setValue(bar.maximum())
    settle()
    assert not page.more_hint.isVisible()
    bar.setValue(0)
    settle()
    assert page.more_hint.isVisible()

    # A page that fits shows no hint: the normal-size welcome page on a big screen.
    window.reset()
    window.resize(1920, 1200)
    settle()
    hints = [
        h
        for h in current(window).findChildren(type(page.more_hint))
        if h.property("role") == "scroll_hint"
    ]
    assert hints
    assert not any(h.isVisible() for h in hints)
