"""The clinician's side: sign-in, the list of summaries, the PDF viewer, printing.

Reached only by the staff gesture (a 3-second press on the top-left corner of the
welcome screen) or Ctrl+Alt+S. It signs out after a quiet spell and always returns to
the patient welcome screen; the patient side has no way in. Everything it does goes
through the clinic's services, which are handed in (``kiosk.app.clinic.ClinicServices``),
so the tests can drive it with real services over a temporary database and a real CUPS.

- ``gesture``: the staff gesture that opens clinician mode.
- ``mode``: ``ClinicianMode``, the stack of pages and its idle sign-out.
- ``pages``: sign-in, the list and the viewer.
- ``autoprint``: printing each new summary off the UI thread.
"""

from kiosk.app.clinic import ClinicServices
from kiosk.ui.clinician.autoprint import AutoPrinter
from kiosk.ui.clinician.gesture import CORNER, HOLD_MS, StaffGesture
from kiosk.ui.clinician.mode import ClinicianMode
from kiosk.ui.clinician.pages import LEVEL_COLOURS, ListPage, SignInPage, ViewerPage

# ClinicServices lives in the application layer; it is named here too because
# ClinicianMode and AutoPrinter take one, so their callers need not know where it lives.
__all__ = [
    "CORNER",
    "HOLD_MS",
    "LEVEL_COLOURS",
    "AutoPrinter",
    "ClinicServices",
    "ClinicianMode",
    "ListPage",
    "SignInPage",
    "StaffGesture",
    "ViewerPage",
]
