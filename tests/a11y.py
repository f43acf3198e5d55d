"""Acting on widgets the way assistive technology does: through Qt's accessibility API.

AT-SPI's Press, Toggle and SetFocus actions reach a widget as
``QAccessibleActionInterface.doAction`` (the bridge calls exactly that), with no mouse,
touch or key event. These helpers call the same function offscreen, so a test proves
what a switch or a screen reader would get without needing the AT-SPI bus.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

PRESS = "Press"
TOGGLE = "Toggle"
SET_FOCUS = "SetFocus"


def act(widget: QWidget, action: str) -> None:
    """Run the accessibility action ``action`` on ``widget``, then let events run."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, f"{widget.objectName()!r} is not accessible"
    actions = interface.actionInterface()
    assert actions is not None, f"{widget.objectName()!r} has no actions"
    assert action in actions.actionNames(), (
        f"{widget.objectName()!r} offers {actions.actionNames()}, not {action}"
    )
    actions.doAction(action)
    # Press is an animated click: its clicked signal comes about 100 ms later.
    if action == PRESS:
        from PySide6.QtTest import QTest

        QTest.qWait(200)
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
