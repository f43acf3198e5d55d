"""Dry-needling patient-intake kiosk."""

__version__ = "0.1.0"
