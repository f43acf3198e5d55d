"""Touch-first building blocks: big buttons, wrapped text, date fields, the signature pad.

Looks come from ``assets/styles/kiosk.qss`` through the ``role`` property each widget
sets; nothing here hard-codes a colour.

- ``base``: the touch target size, roles, reading order, ``Text``, ``BigButton``,
  ``ChoiceButton``.
- ``scroll``: ``ScrollPage`` and the one touch-scrolling gesture.
- ``dates``: ``DateFields`` and month names.
- ``signature``: ``SignaturePad``.
"""

from kiosk.ui.widgets.base import (
    GLYPH_OVERHANG,
    MIN_TARGET,
    BigButton,
    ChoiceButton,
    Text,
    centred,
    laid_out_children,
    reading_order,
    set_reading_order,
    set_role,
)
from kiosk.ui.widgets.dates import DateFields, MonthField, month_names
from kiosk.ui.widgets.scroll import ScrollPage, grab_touch_scrolling
from kiosk.ui.widgets.signature import SignaturePad

__all__ = [
    "GLYPH_OVERHANG",
    "MIN_TARGET",
    "BigButton",
    "ChoiceButton",
    "DateFields",
    "MonthField",
    "ScrollPage",
    "SignaturePad",
    "Text",
    "centred",
    "grab_touch_scrolling",
    "laid_out_children",
    "month_names",
    "reading_order",
    "set_reading_order",
    "set_role",
]
