"""Which screen shows which step: a table from step kind (and question type) to a builder.

Kept apart from the package's ``__init__`` because the body map's screen (``kiosk.ui.bodymap``)
imports the screen bases from this package.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.app.journey import StepView
from kiosk.domain.flow import StepKind
from kiosk.domain.model import Content, QuestionType
from kiosk.ui.bodymap import BodyMapScreen
from kiosk.ui.screens.base import JourneyScreen
from kiosk.ui.screens.check import CheckScreen
from kiosk.ui.screens.consent import ConsentScreen
from kiosk.ui.screens.education import EducationScreen
from kiosk.ui.screens.identity import IdentityScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.scale import ScaleScreen
from kiosk.ui.screens.signer import SignerScreen

Builder = Callable[[Content, StepView], JourneyScreen]


def _education(content: Content, view: StepView) -> JourneyScreen:
    page = next(p for p in content.education if p.id == view.step.id)
    return EducationScreen(content, view, page)


def _check(content: Content, view: StepView) -> JourneyScreen:
    statement = next(s for s in content.statements if s.id == view.step.id)
    return CheckScreen(content, view, statement)


def _question(content: Content, view: StepView) -> JourneyScreen:
    question = content.question(view.step.id)
    kind = QUESTION_SCREENS.get(question.type, QuestionScreen)
    return kind(content, view, question)


#: Question types with a screen of their own; every other type is a ``QuestionScreen``.
QUESTION_SCREENS: dict[QuestionType, type[QuestionScreen | ScaleScreen | BodyMapScreen]] = {
    QuestionType.BODY_MAP: BodyMapScreen,
    QuestionType.SCALE: ScaleScreen,
}

SCREENS: dict[StepKind, Builder] = {
    StepKind.EDUCATION: _education,
    StepKind.CHECK: _check,
    StepKind.IDENTITY: IdentityScreen,
    StepKind.QUESTION: _question,
    StepKind.REVIEW: ReviewScreen,
    StepKind.SIGNER: SignerScreen,
    StepKind.CONSENT: ConsentScreen,
}


def build_screen(view: StepView) -> JourneyScreen:
    """The screen for ``view``'s step, showing ``view``."""
    return SCREENS[view.step.kind](view.content, view)
