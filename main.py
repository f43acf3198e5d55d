"""Start the kiosk: ``python main.py [--kiosk] [--config PATH]``. See README.md."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
