"""``python -m kiosk`` and the frozen program (main.py is PyInstaller's entry point).

Both run the kiosk's command line (:func:`kiosk.cli.main`), except with ``speech-host``
as the first argument: then they are read-aloud's host. A frozen build cannot run
``python -m kiosk.ui.speech.host`` (its ``sys.executable`` is the kiosk, with no ``-m``),
so there the kiosk starts itself with that argument
(``kiosk.ui.speech.service.HOST_ARGUMENT``). It is not in ``--help``: nobody types it.
"""

import sys

SPEECH_HOST = "speech-host"


def entry(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == [SPEECH_HOST]:
        from kiosk.ui.speech.host import host_main

        return host_main(args[1:])
    from kiosk.cli import main

    return main(args)


if __name__ == "__main__":
    sys.exit(entry())
