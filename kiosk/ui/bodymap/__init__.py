"""Where it hurts: the body map screen (see ``view``); being split into view and screen."""

from kiosk.ui.bodymap.view import BodyMapScreen, BodyMapView

__all__ = ["BodyMapScreen", "BodyMapView"]
