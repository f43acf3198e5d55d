"""Touch-first building blocks (see ``base``); being split by kind of widget."""

from kiosk.ui.widgets.base import (
    GLYPH_OVERHANG,
    MIN_TARGET,
    BigButton,
    ChoiceButton,
    DateFields,
    MonthField,
    ScrollPage,
    SignaturePad,
    Text,
    centred,
    grab_touch_scrolling,
    laid_out_children,
    month_names,
    reading_order,
    set_reading_order,
    set_role,
)

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
