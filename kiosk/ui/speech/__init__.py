"""Read-aloud: speak a screen's words through ``QTextToSpeech``, never at the UI's expense.

- ``service``: ``ReadAloud``, the UI side, which runs the engines in a child process
  (its docstring says why a process and not a thread).
- ``button``: ``ReadAloudButton`` and ``spoken_words``, what a screen says aloud.
- ``host``: ``SpeechHost``, the child process (``python -m kiosk.ui.speech.host``). It is
  not imported here, so that running it as ``-m`` does not import it twice.
"""

from kiosk.ui.speech.button import SILENT_ROLES, ReadAloudButton, speaker_icon, spoken_words
from kiosk.ui.speech.service import (
    QUIT_TIMEOUT_MS,
    REPLY_TIMEOUT_MS,
    START_TIMEOUT_MS,
    ReadAloud,
)

__all__ = [
    "QUIT_TIMEOUT_MS",
    "REPLY_TIMEOUT_MS",
    "SILENT_ROLES",
    "START_TIMEOUT_MS",
    "ReadAloud",
    "ReadAloudButton",
    "speaker_icon",
    "spoken_words",
]
