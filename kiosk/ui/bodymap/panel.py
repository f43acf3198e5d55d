"""Beside the body map: the chosen place's numbers, and a chip for each place marked."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.ui.screens.scale import ScoreScale
from kiosk.ui.widgets import BigButton, Text, set_role


def _score_name(score: int, word: str) -> str:
    return f"{score}: {word}" if word else str(score)


class MarkedPanel(QFrame):
    """The chosen place's name and its numbers, then the places marked so far.

    The screen owns the answer and shows it here with ``show_marks``.

    Signals:
        chip_toggled(str, bool): a marked place's chip was tapped (to edit that place).
    """

    chip_toggled = Signal(str, bool)

    def __init__(
        self,
        anchors: Sequence[tuple[int, str]],
        marked_title: str,
        edit_word: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        set_role(self, "map-panel")
        self._edit_word = edit_word
        side = QVBoxLayout(self)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(12)
        self.title = Text("", "label")
        self.title.setObjectName("panel-title")
        side.addWidget(self.title)
        self.scale = ScoreScale(anchors, _score_name)
        self.scale.setObjectName("panel-scale")
        side.addWidget(self.scale)
        self.marked_title = Text(marked_title, "hint")
        side.addWidget(self.marked_title)
        self.chips_host = QWidget()
        self.chips = QVBoxLayout(self.chips_host)
        self.chips.setContentsMargins(0, 0, 0, 0)
        self.chips.setSpacing(8)
        side.addWidget(self.chips_host)
        self.chip_buttons: dict[str, BigButton] = {}

    def show_marks(
        self, title: str, current: str | None, score: int | None, marked: list[tuple[str, str]]
    ) -> None:
        """``marked``: (region id, words) of each marked place, in content order."""
        self.title.setText(title)
        self.scale.setVisible(current is not None)
        self.scale.set_value(score)
        kept = {region_id for region_id, _ in marked}
        for region_id in list(self.chip_buttons):
            if region_id not in kept:
                chip = self.chip_buttons.pop(region_id)
                self.chips.removeWidget(chip)
                chip.deleteLater()
        for index, (region_id, words) in enumerate(marked):
            chip = self.chip_buttons.get(region_id) or self._new_chip(region_id)
            self.chips.insertWidget(index, chip)
            chip.setText(words)
            chip.setAccessibleName(f"{self._edit_word}: {words}")
            chip.setChecked(region_id == current)
        self.marked_title.setVisible(bool(marked))

    def _new_chip(self, region_id: str) -> BigButton:
        chip = BigButton("", "secondary")
        chip.setObjectName(f"chip-{region_id}")
        chip.setCheckable(True)
        # toggled, not clicked: a screen reader's toggle action sends only toggled.
        chip.toggled.connect(functools.partial(self._on_chip_toggled, region_id))
        self.chip_buttons[region_id] = chip
        return chip

    def _on_chip_toggled(self, region_id: str, checked: bool) -> None:
        self.chip_toggled.emit(region_id, checked)
