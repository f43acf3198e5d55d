"""The screens, one module per kind. Each is built fresh for one step and deleted when the
patient moves on; ``registry.build_screen`` picks the class for a step.

Journey screens are views: built from the content item and a read-only ``StepView``,
they hand back a typed result on Next and never touch the session (see ``base``).
"""

from kiosk.ui.screens.base import COLUMN_WIDTH, JourneyScreen, Screen, arrows, fallback_note
from kiosk.ui.screens.check import CheckScreen
from kiosk.ui.screens.consent import ConsentScreen
from kiosk.ui.screens.education import EducationScreen
from kiosk.ui.screens.identity import IdentityScreen
from kiosk.ui.screens.message import MessageScreen, saving_screen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.scale import ScaleScreen
from kiosk.ui.screens.signer import SignerScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.screens.withhold import WithholdCard

__all__ = [
    "COLUMN_WIDTH",
    "CheckScreen",
    "ConsentScreen",
    "EducationScreen",
    "IdentityScreen",
    "JourneyScreen",
    "MessageScreen",
    "QuestionScreen",
    "ReviewScreen",
    "ScaleScreen",
    "Screen",
    "SignerScreen",
    "WelcomeScreen",
    "WithholdCard",
    "arrows",
    "fallback_note",
    "saving_screen",
]
