"""``dn-kiosk review``: the clinician's list and viewer in an ordinary desktop window, for a
desk in a treatment room, reading every kiosk's summaries from the clinic's FHIR server.

The same clinician mode as on a kiosk (sign-in with the desk's own clinician accounts,
the list, the viewer, printing through CUPS), over ``kiosk.app.review.ServerSummaries``:
not full screen, no patient journey, no lockdown. Signing out (or the idle sign-out)
returns to the sign-in; "Close" or the window's own close button ends it.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk.app.clinic import ClinicServices
from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.ui.app import DEFAULT_SIZE, apply_look
from kiosk.ui.clinician import ClinicianMode

log = logging.getLogger("kiosk.ui")

#: A desk's search takes a name, or a date (the day signed, or the date of birth).
SEARCH_HINT = "Search by name or date (2026-11-27)"


class ReviewWindow(QWidget):
    """Clinician mode in a window of its own, started again after each sign-out."""

    def __init__(self, services: ClinicServices) -> None:
        super().__init__()
        self.setObjectName("review")
        self.setWindowTitle("Dry-needling summaries (review)")
        self.services = services
        self.mode: ClinicianMode | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._start()

    def _start(self) -> None:
        old, self.mode = (
            self.mode,
            ClinicianMode(self.services, close_label="Close", search_hint=SEARCH_HINT),
        )
        self.mode.finished.connect(self._start)
        self.mode.quit_requested.connect(self.close)
        self._layout.addWidget(self.mode)
        if old is not None:
            old.idle.disarm()
            old.setParent(None)
            old.deleteLater()


def run_review(config: Config, content: Content | None) -> int:
    """Open the review window until it is closed; exit status 2 without a FHIR server or
    content (the content's problems are printed by the caller), 1 when it cannot start."""
    from kiosk.app.review import ServerSummaries, open_review

    if not config.delivery_on or content is None:
        if not config.delivery_on:
            sys.stderr.write("review reads the FHIR server: set fhir_base_url in the settings\n")
        return 2
    try:
        services = open_review(config, content)
    except OSError as exc:
        sys.stderr.write(f"The review cannot start: {exc.strerror or exc}\n")
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("dn-kiosk-review")
    apply_look(app)
    window = ReviewWindow(services)
    window.resize(*DEFAULT_SIZE)
    window.show()
    log.info("review window opened for %s", config.fhir_base_url)
    try:
        return app.exec()
    finally:
        if isinstance(services.index, ServerSummaries):
            services.index.close()  # the PDFs fetched for viewing
        services.db.close()
