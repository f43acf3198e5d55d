"""Render every screen of the kiosk to PNG, offscreen, to look at them.

    python -m kiosk.tools.screenshots OUT_DIR [--width 1280 --height 800]

A made-up patient walks the whole journey with the bundled content; the walk-away
prompt, the save failure, the thank-you and the broken-content screens are captured
too. A sample summary PDF is saved in OUT_DIR as well, to render with pdftoppm.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.app.config import Config
from kiosk.app.storage import Saved
from kiosk.content.loader import load_content
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.domain.consent import ConsentDecision, SignerRole
from kiosk.domain.model import Content
from kiosk.domain.record import Record
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import (
    Choice,
    current,
    draw,
    find_button,
    settle,
    signature_strokes,
    tap,
    tap_next,
    type_into,
    walk_to_consent,
)
from kiosk.ui.app import apply_look, create_window
from kiosk.ui.screens import ConsentScreen, SignerScreen
from kiosk.ui.window import KioskWindow

CHOICES: dict[str, Choice] = {
    "blood_thinner": ("yes",),
    "blood_thinner_which": ("warfarin", "aspirin"),
    "surgery_or_implant": ("yes",),
    "surgery_what": "Right hip replacement",
    "surgery_when": "2025-03-14",
    "lymphoedema": ("unsure",),
    "needle_fear": ("nervous",),
}


class _FailingWriter(PdfSummaryWriter):
    def __call__(self, content: Content, record: Record) -> Saved:
        raise OSError(28, "No space left on device")


def shoot_clinician(
    app: QApplication,
    config: Config,
    content: Content,
    summaries: Path,
    scratch: Path,
    shoot: Callable[[QWidget, str], None],
    width: int,
    height: int,
) -> None:
    """Sign-in (with a wrong password), the list, the viewer and a printer fault."""
    from argon2 import PasswordHasher

    from kiosk.app.accounts import Accounts
    from kiosk.app.audit import Audit
    from kiosk.app.clinic import ClinicServices
    from kiosk.app.db import ClinicDb
    from kiosk.app.printing import PrintResult
    from kiosk.app.queue import PrintQueue
    from kiosk.app.summaries import SummaryIndex
    from kiosk.ui.clinician import ClinicianMode, ListPage, SignInPage, ViewerPage

    db = ClinicDb(scratch / "clinic.sqlite3")
    accounts = Accounts(db, hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    for name in ("Dr Ada Quist", "Sam Okafor"):
        accounts.add(name, "a long enough password")

    def no_printer(pdf: Path, title: str) -> PrintResult:
        return PrintResult(
            False, "Printer 'Reception' is not known to CUPS, or CUPS is not running", None
        )

    services = ClinicServices(
        db=db,
        accounts=accounts,
        audit=Audit(db),
        index=SummaryIndex(db, summaries, content),
        queue=PrintQueue(db),
        folder=summaries,
        print_file=no_printer,
    )
    window = create_window(
        config, content, (), PdfSummaryWriter(scratch, config.clinic_name), services
    )
    window.resize(width, height)
    window.show()
    window.gesture.triggered.emit()
    mode = current(window)
    assert isinstance(mode, ClinicianMode)
    shoot(window, "clinician-sign-in")
    page = mode.page
    assert isinstance(page, SignInPage)
    page._choose("Dr Ada Quist")
    type_into(page.password, "not it")
    tap(page.submit)
    shoot(window, "clinician-wrong-password")
    type_into(page.password, "a long enough password")
    tap(page.submit)
    listing = mode.page
    assert isinstance(listing, ListPage)
    tap(listing.all)
    shoot(window, "clinician-list")
    listing.table.cellClicked.emit(0, 1)
    settle()
    viewer = mode.page
    assert isinstance(viewer, ViewerPage)
    # QtPdf renders pages on a worker thread: give it a moment before the picture.
    for _ in range(50):
        app.processEvents()
        QThread.msleep(20)
    shoot(window, "clinician-viewer")
    tap(viewer.review)
    tap(viewer.print_button)
    deadline = 200
    while viewer.print_button.isEnabled() is False and deadline:
        app.processEvents()
        QThread.msleep(10)
        deadline -= 1
    for _ in range(50):
        app.processEvents()
        QThread.msleep(20)
    shoot(window, "clinician-print-failed")
    mode.sign_out()
    window.close()
    db.close()


def shoot_consent_endings(
    config: Config,
    content: Content,
    out: Path,
    shoot: Callable[[QWidget, str], None],
    choose: Callable[[QWidget], None],
    size: tuple[int, int],
) -> None:
    """The consent's two endings without a signature: the buttons under the pad, the
    card that makes sure, and the kind closing screen of each."""
    window = create_window(config, content, (), PdfSummaryWriter(out, config.clinic_name))
    window.resize(*size)
    window.show()
    for decision in (ConsentDecision.TALK_FIRST, ConsentDecision.DECLINED):
        choose(window)
        walk_to_consent(window, "Sam Lee", ("1", "1", "1980"), {}, None)
        consent = current(window)
        assert isinstance(consent, ConsentScreen)
        if decision is ConsentDecision.TALK_FIRST:
            bar = consent.scroll_area.verticalScrollBar()
            bar.setValue(bar.maximum())
            shoot(window, "consent-other-endings")
        tap(consent.ending_buttons[decision])
        shoot(window, f"withhold-{decision.value}")
        tap(consent.card.confirm_button)
        shoot(window, f"done-{decision.value}")
        window.reset()
    shoot_signer(window, shoot, choose)
    window.close()


class _AtSigner(Exception):
    pass


def shoot_signer(
    window: KioskWindow,
    take: Callable[[QWidget, str], None],
    choose: Callable[[QWidget], None],
) -> None:
    """A 15-year-old's journey: "Who is signing?", a parent typing their name on the
    on-screen keyboard, and the consent in the third person."""

    def stop(screen: QWidget) -> None:
        if isinstance(screen, SignerScreen):
            raise _AtSigner

    choose(window)
    today = dt.date.today()
    dob = (str(min(today.day, 28)), str(today.month), str(today.year - 15))
    with contextlib.suppress(_AtSigner):
        walk_to_consent(window, "Tomás Reyes", dob, {}, stop)
    # The walk answered it: back to the review and in again, as the patient finds it.
    tap(find_button(current(window), window.patient_content.text("nav.back")))
    tap_next(window)
    screen = current(window)
    assert isinstance(screen, SignerScreen)
    take(window, "signer")
    tap(screen.buttons[SignerRole.GUARDIAN])
    type_into(screen.name, "Ana Reyes", touch=True)
    take(window, "signer-guardian")
    type_into(screen.relationship, "mother", touch=True)
    tap_next(window)
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    consent.scroll_area.ensureWidgetVisible(consent.pad, 0, 24)
    take(window, "consent-guardian")
    window.reset()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument(
        "--language", default="", help="a language code, as the patient would choose"
    )
    parser.add_argument("--size", choices=["normal", "large", "extra_large"], default="normal")
    parser.add_argument("--high-contrast", action="store_true")
    parser.add_argument("--patient-only", action="store_true", help="skip the clinician screens")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_look(app)
    content = load_content(bundled_content_dir(), assets_dir())
    count = 0

    def shoot(widget: QWidget, name: str) -> None:
        nonlocal count
        count += 1
        settle()
        widget.grab().save(str(out / f"{count:02d}-{name}.png"))

    with tempfile.TemporaryDirectory() as scratch:
        config = Config(clinic_name="Riverside Physiotherapy", output_dir=Path(scratch))
        window = create_window(config, content, (), PdfSummaryWriter(out, config.clinic_name))
        window.resize(args.width, args.height)
        window.show()

        def choose(win: QWidget) -> None:
            """Make the patient's choices on the welcome screen, as a patient would."""
            for name in (
                f"language-{args.language}" if args.language else "",
                f"size-{args.size}" if args.size != "normal" else "",
                "contrast" if args.high_contrast else "",
            ):
                button = current(win).findChild(QAbstractButton, name) if name else None  # type: ignore[arg-type]
                if button is not None:
                    tap(button)

        choose(window)
        shoot(window, "welcome")

        def on_screen(screen: QWidget) -> None:
            shoot(window, screen.objectName())

        walk_to_consent(window, "Zoë Quintanilla-Øberg", ("29", "2", "1964"), CHOICES, on_screen)
        consent = current(window)
        assert isinstance(consent, ConsentScreen)
        tap(consent.agree)
        tap_next(window)  # no signature yet: the kind refusal
        shoot(window, "consent-refused")
        draw(consent.pad, signature_strokes())
        consent.scroll_area.verticalScrollBar().setValue(
            consent.scroll_area.verticalScrollBar().maximum()
        )
        shoot(window, "consent-signed")
        tap_next(window)
        shoot(window, "done")
        window.reset()

        # Walk-away prompt, over a question screen.
        window.idle.timer.setInterval(10)
        choose(window)
        walk_to_consent(window, "Sam Lee", ("1", "1", "1980"), {}, None)
        window.idle.timer.start()
        app.processEvents()
        settle()
        while window.overlay is not None and not window.overlay.isVisible():
            app.processEvents()
        shoot(window, "still-there")
        window.overlay.stop() if window.overlay else None
        window.idle.disarm()

        # A full disk: the patient is asked to tell the front desk.
        window.saver.delivery.archive = _FailingWriter(Path(scratch), config.clinic_name)
        consent = current(window)
        assert isinstance(consent, ConsentScreen)
        tap(consent.agree)
        draw(consent.pad, signature_strokes())
        tap_next(window)
        shoot(window, "save-failed")
        window.retry_timer.stop()
        window.close()

        if not args.patient_only:
            shoot_clinician(
                app, config, content, out, Path(scratch), shoot, args.width, args.height
            )

        broken = create_window(
            config,
            None,
            (
                'rules.toml: rule[3] "pregnancy".level: "warning" is not a level '
                "(use contraindication, precaution or note)",
                'questions.toml: question[7] "pregnant_weeks".enable_when[0].question: '
                '"pregnant" is not an earlier question',
            ),
            PdfSummaryWriter(Path(scratch), config.clinic_name),
        )
        broken.resize(args.width, args.height)
        broken.show()
        shoot(broken, "content-broken")
        broken.close()
        # Last, so the screens above keep their numbers.
        shoot_consent_endings(config, content, out, shoot, choose, (args.width, args.height))
    print(f"{count} screenshots and a sample summary PDF in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
