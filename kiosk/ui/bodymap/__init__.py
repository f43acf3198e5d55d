"""Where it hurts: the body map screen.

The patient taps places on a drawing of the body (front and back side by side) to mark
them, taps again to unmark, and gives each marked place a number from 0 to 10. The
same choices are offered as a plain list of named places, grouped by body part, for
screen readers and for anyone who cannot aim at a small shape; both edit one answer.

- ``view``: ``BodyMapView``, the drawing, in the theme's colours.
- ``regionlist``: ``RegionList``, the same places as a list.
- ``panel``: ``MarkedPanel``, the chosen place's numbers and the places marked so far.
- ``screen``: ``BodyMapScreen``, which owns the answer and keeps the three in step.
"""

from kiosk.ui.bodymap.panel import MarkedPanel
from kiosk.ui.bodymap.regionlist import RegionList
from kiosk.ui.bodymap.screen import BodyMapScreen
from kiosk.ui.bodymap.view import BodyMapView

__all__ = ["BodyMapScreen", "BodyMapView", "MarkedPanel", "RegionList"]
