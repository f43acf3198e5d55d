"""Screenshots for issue 17: the keyboard over the identity screen, the enlarged body
map, and the staff sign-in by touch.

    QT_QPA_PLATFORM=offscreen python docs/screens/a11y/shoot.py

Writes PNGs next to this file. A made-up patient walks the real kiosk window
(1280 x 800) with the bundled content; the sign-in has one made-up account.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from argon2 import PasswordHasher
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.app.accounts import Accounts
from kiosk.app.audit import Audit
from kiosk.app.clinic import ClinicServices
from kiosk.app.config import Config
from kiosk.app.db import ClinicDb
from kiosk.app.printing import PrintResult
from kiosk.app.queue import PrintQueue
from kiosk.app.summaries import SummaryIndex
from kiosk.content.loader import load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, find_button, settle, tap, tap_at, tap_next, type_into
from kiosk.ui.app import apply_look, create_window
from kiosk.ui.bodymap import BodyMapScreen
from kiosk.ui.clinician import ClinicianMode, SignInPage
from kiosk.ui.screens import IdentityScreen

HERE = Path(__file__).resolve().parent


def shoot(widget: QWidget, name: str) -> None:
    settle()
    path = HERE / name
    widget.grab().save(str(path))
    sys.stdout.write(f"{path}\n")


def main() -> int:
    app = QApplication(sys.argv[:1])
    apply_look(app)
    content = load_content(bundled_content_dir(), assets_dir())
    folder = Path(tempfile.mkdtemp())
    config = Config(clinic_name="Riverside Physiotherapy", output_dir=folder / "out")
    db = ClinicDb(folder / "clinic.sqlite3")
    accounts = Accounts(db, hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    accounts.add("Dr Ada Quist", "correct horse battery")
    services = ClinicServices(
        db=db,
        accounts=accounts,
        audit=Audit(db),
        index=SummaryIndex(db, config.output_dir, content),
        queue=PrintQueue(db),
        folder=config.output_dir,
        idle_seconds=120,
        print_file=lambda _pdf, _title: PrintResult(True, "not printed", ""),
    )
    window = create_window(config, content, (), PdfSummaryWriter(config.output_dir, "x"), services)
    window.resize(1280, 800)
    window.show()
    settle()

    # Staff sign-in by touch: a name tapped, the keyboard in its password mode.
    window._on_staff()
    settle()
    mode = current(window)
    assert isinstance(mode, ClinicianMode)
    tap(find_button(mode, "Sign in as Dr Ada Quist"))
    sign_in = mode.page
    assert isinstance(sign_in, SignInPage)
    type_into(sign_in.password, "correct", touch=True)
    shoot(window, "staff-sign-in-by-touch.png")
    mode.close_mode()
    settle()

    # The keyboard over the identity screen, the name being typed.
    tap(current(window).findChild(QAbstractButton, "start"))  # type: ignore[arg-type]
    while not isinstance(current(window), IdentityScreen):
        button = current(window).findChild(QAbstractButton, "choice-true")
        if button is not None:
            tap(button)
        tap_next(window)
    identity = current(window)
    assert isinstance(identity, IdentityScreen)
    type_into(identity.name, "Ana Lima", touch=True)
    shoot(window, "identity-keyboard-en-normal.png")
    from kiosk.tools.journey import pick_date

    pick_date(identity.date, "3", "4", "1950")
    tap_next(window)

    # The body map enlarged around the left hand, one place marked.
    screen = current(window)
    assert isinstance(screen, BodyMapScreen)
    tap(screen.zoom_button)
    shoot(window, "body-map-bigger-on.png")
    tap_at(screen.view, screen.view.point_in("wrist_hand_left"))
    shoot(window, "body-map-enlarged-hand.png")
    tap_at(screen.view, screen.view.point_in("wrist_hand_left"))
    shoot(window, "body-map-enlarged-hand-marked.png")
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
