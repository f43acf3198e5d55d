"""``python -m kiosk.ui.speech``: the speech host process."""

import sys

from kiosk.ui.speech.service import host_main

sys.exit(host_main())
