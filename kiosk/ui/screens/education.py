"""An education page: title, picture, paragraphs, bullet lists and a table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QWidget,
)

from kiosk.app.journey import StepView
from kiosk.content.paths import asset
from kiosk.domain.model import Content, EducationPage
from kiosk.ui.illustration import Illustration
from kiosk.ui.screens.base import JourneyScreen, fallback_note
from kiosk.ui.widgets import (
    Text,
    set_role,
)


class EducationScreen(JourneyScreen):
    def __init__(self, content: Content, view: StepView, page: EducationPage) -> None:
        super().__init__(content, view, f"education-{page.id}")
        self.page = page
        fallback_note(self, page.id in content.fallback_pages)
        self.body.addWidget(Text(page.title, "title"))
        #: The picture's words, for read-aloud; empty when the page has no picture.
        self.illustration_alt = page.image_alt if page.image else ""
        self.illustration: Illustration | None = None
        if page.image:
            self.illustration = Illustration(asset(page.image), page.image_alt)
            self.illustration.setObjectName("illustration")
            self.body.addWidget(self.illustration)
        for paragraph in page.body:
            if paragraph.startswith("- "):
                items = [line[2:] for line in paragraph.splitlines()]
                for item in items:
                    row = QHBoxLayout()
                    bullet = Text("\u2022", "body")
                    bullet.setFixedWidth(28)
                    bullet.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
                    row.addWidget(bullet, 0, Qt.AlignmentFlag.AlignTop)
                    row.addWidget(Text(item, "body"), 1)
                    self.body.addLayout(row)
            else:
                self.body.addWidget(Text(paragraph, "body"))
        if page.table:
            self.body.addWidget(_table(page.table.columns, page.table.rows))
        # The controller counts the page as read when it is shown (``JourneyController.view``).
        self.finish_body()


def _table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> QWidget:
    frame = QFrame()
    set_role(frame, "table")
    grid = QGridLayout(frame)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(0)
    for col, heading in enumerate(columns):
        cell = Text(heading, "th")
        grid.addWidget(cell, 0, col)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            cell = Text(value, "th" if col == 0 else "td")
            grid.addWidget(cell, r, col)
    grid.setColumnStretch(0, 2)
    for col in range(1, len(columns)):
        grid.setColumnStretch(col, 3)
    return frame
