"""Read-aloud (see ``service``); being split into service, button and host."""

from kiosk.ui.speech.service import (
    REPLY_TIMEOUT_MS,
    START_TIMEOUT_MS,
    ReadAloud,
    ReadAloudButton,
    SpeechHost,
    spoken_words,
)

__all__ = [
    "REPLY_TIMEOUT_MS",
    "START_TIMEOUT_MS",
    "ReadAloud",
    "ReadAloudButton",
    "SpeechHost",
    "spoken_words",
]
