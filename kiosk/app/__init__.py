"""The application layer: what the kiosk does, without Qt (the UI drives it)."""
