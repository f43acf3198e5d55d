"""The application layer: what the kiosk does, without Qt (journey, archive, printing, clinic)."""
