"""Screenshots of the body map, the 0-10 scale and the illustrated education pages.

    QT_QPA_PLATFORM=offscreen python docs/screens/body-map/shoot.py

Writes PNGs next to this file and into ../illustrated/. A made-up patient walks the real
kiosk window (1280 x 800) with the bundled content.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.app.config import Config
from kiosk.content.loader import load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, settle, tap, tap_next, walk_to_consent
from kiosk.ui.app import apply_look, create_window
from kiosk.ui.bodymap import BodyMapScreen
from kiosk.ui.screens import EducationScreen, ReviewScreen, ScaleScreen

HERE = Path(__file__).resolve().parent
ILLUSTRATED = HERE.parent / "illustrated"


class Reached(Exception):
    pass


def open_window(app: QApplication, language: str = "en", size: str = "normal"):
    content = load_content(bundled_content_dir(), assets_dir())
    config = Config(clinic_name="Riverside Physiotherapy", output_dir=Path(tempfile.mkdtemp()))
    window = create_window(config, content, (), PdfSummaryWriter(config.output_dir, "x"))
    window.resize(1280, 800)
    window.show()
    settle()
    welcome = current(window)
    if language != "en":
        tap(welcome.findChild(QAbstractButton, f"language-{language}"))
    if size != "normal":
        tap(current(window).findChild(QAbstractButton, f"size-{size}"))
    return window, content


def walk_until(window, content, kind: type, choices=None) -> QWidget:
    """Walk from the welcome screen to the first screen of ``kind``, unanswered."""

    def stop(screen: QWidget) -> None:
        if isinstance(screen, kind):
            raise Reached

    where = next(q.id for q in content.questions if q.type.value == "body_map")
    try:
        walk_to_consent(
            window, "Ana Lima", ("3", "4", "1950"), {where: (), **(choices or {})}, stop
        )
    except Reached:
        return current(window)
    raise AssertionError(f"no {kind.__name__} on the way")


def shoot(widget: QWidget, path: Path) -> None:
    settle()
    widget.grab().save(str(path))
    sys.stdout.write(f"{path.relative_to(HERE.parent.parent.parent)}\n")


def main() -> int:
    app = QApplication(sys.argv[:1])
    apply_look(app)

    window, content = open_window(app)
    screen = walk_until(window, content, BodyMapScreen)
    assert isinstance(screen, BodyMapScreen)
    shoot(window, HERE / "empty.png")
    for region, score in (("knee_left", 7), ("lower_back_right", 4), ("shoulder_right", 5)):
        screen.toggle_region(region)
        tap(screen.panel_scale.buttons[score])
    shoot(window, HERE / "marked-with-scores.png")
    tap(screen.list_button)
    tap(screen.toggles["neck_back"])
    tap(screen.list_scales["neck_back"].buttons[3])
    shoot(window, HERE / "list-mode.png")
    tap(screen.map_button)
    tap_next(window)
    scale = current(window)
    assert isinstance(scale, ScaleScreen)
    shoot(window, HERE / "pain-now-scale.png")
    window.close()

    window, content = open_window(app)
    review = walk_until(
        window, content, ReviewScreen, {"pain_where": ("knee_left=7", "upper_back_right=4")}
    )
    for label in review.findChildren(QWidget, "change-pain_where"):
        review.scroll_area.ensureWidgetVisible(label, 0, 200)
    shoot(window, HERE / "review.png")
    window.close()

    for language, size, name in (("ar", "normal", "arabic"), ("en", "extra_large", "extra-large")):
        window, content = open_window(app, language, size)
        screen = walk_until(window, content, BodyMapScreen)
        assert isinstance(screen, BodyMapScreen)
        for region, score in (("wrist_hand_left", 6), ("calf_right", 3)):
            screen.toggle_region(region)
            tap(screen.panel_scale.buttons[score])
        shoot(window, HERE / f"marked-{name}.png")
        window.close()

    window, content = open_window(app)
    tap(current(window).findChild(QAbstractButton, "start"))
    while isinstance(current(window), EducationScreen):
        page = current(window)
        if page.illustration is not None:
            shoot(window, ILLUSTRATED / f"{page.page.id}.png")
        tap_next(window)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
