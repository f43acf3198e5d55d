"""The body map's list: every place as a named button, grouped by body part.

For screen readers and for anyone who cannot aim at a small shape. It edits the same
answer as the drawing: the screen owns the answer and shows it here with
``show_marks``; taps come back as signals.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.domain.bodymap import Region
from kiosk.ui.screens.scale import ScoreScale
from kiosk.ui.widgets import ChoiceButton, Text

#: Body parts of the list view: a heading key and the region groups it gathers.
LIST_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bodymap.group.head_neck", ("head_neck",)),
    ("bodymap.group.trunk", ("chest", "abdomen_area", "back", "lung_area")),
    ("bodymap.group.right_arm", ("right_arm",)),
    ("bodymap.group.left_arm", ("left_arm",)),
    ("bodymap.group.right_leg", ("right_leg",)),
    ("bodymap.group.left_leg", ("left_leg",)),
)


def list_group(region: Region) -> str:
    for key, groups in LIST_GROUPS:
        if not set(groups).isdisjoint(region.groups):
            return key
    return LIST_GROUPS[1][0]


class RegionList(QWidget):
    """A button per place, and the place's numbers under it once it is marked.

    Signals:
        toggled(str, bool): a place's button was checked or unchecked.
        scored(str, int): a number was chosen under a place (``NO_SCORE`` when cleared).
    """

    toggled = Signal(str, bool)
    scored = Signal(str, int)

    def __init__(
        self,
        regions: Sequence[Region],
        anchors: Sequence[tuple[int, str]],
        t: Callable[..., str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._anchors = anchors
        self._t = t
        self._names = {region.id: region.name for region in regions}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(Text(t("bodymap.list_hint"), "hint"))
        self.toggles: dict[str, ChoiceButton] = {}
        #: A place's numbers in the list, built the first time the place is marked: built
        #: for all forty places up front, they were most of the screen's widgets, and
        #: every widget built costs memory that PySide 6.11 never gives back in full.
        self.scales: dict[str, ScoreScale] = {}
        self._cells: dict[str, QVBoxLayout] = {}
        by_group: dict[str, list[Region]] = {key: [] for key, _ in LIST_GROUPS}
        for region in regions:
            by_group[list_group(region)].append(region)
        for key, _ in LIST_GROUPS:
            if not by_group[key]:
                continue
            column.addWidget(Text(t(key), "section"))
            grid = QGridLayout()
            grid.setHorizontalSpacing(14)
            grid.setVerticalSpacing(10)
            for i, region in enumerate(by_group[key]):
                cell = QVBoxLayout()
                toggle = ChoiceButton(region.id, region.name)
                toggle.setObjectName(f"region-{region.id}")
                toggle.toggled.connect(functools.partial(self._on_toggled, region.id))
                cell.addWidget(toggle)
                cell.addStretch(1)
                grid.addLayout(cell, i, 0)
                self.toggles[region.id] = toggle
                self._cells[region.id] = cell
            column.addLayout(grid)

    def show_marks(self, scores: dict[str, int | None]) -> None:
        """Check the marked places and show their numbers; hide the others' numbers."""
        for region_id, toggle in self.toggles.items():
            marked = region_id in scores
            toggle.setChecked(marked)
            if marked:
                scale = self.scale(region_id)
                scale.setVisible(True)
                scale.set_value(scores.get(region_id))
            elif region_id in self.scales:
                self.scales[region_id].setVisible(False)

    def scale(self, region_id: str) -> ScoreScale:
        """The place's numbers under its name, built on first use."""
        scale = self.scales.get(region_id)
        if scale is None:
            scale = ScoreScale(self._anchors, functools.partial(self._button_name, region_id))
            scale.setObjectName(f"scale-{region_id}")
            scale.changed.connect(functools.partial(self._on_scored, region_id))
            self._cells[region_id].insertWidget(1, scale)
            self.scales[region_id] = scale
        return scale

    def _button_name(self, region_id: str, score: int, word: str) -> str:
        name = self._t("bodymap.score_name", region=self._names[region_id], score=score)
        return f"{name}, {word}" if word else name

    def _on_toggled(self, region_id: str, checked: bool) -> None:
        self.toggled.emit(region_id, checked)

    def _on_scored(self, region_id: str, score: int) -> None:
        self.scored.emit(region_id, score)
