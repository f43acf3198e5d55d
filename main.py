"""Start the kiosk: ``python main.py [--kiosk] [--config PATH]``. See README.md.

Also the frozen program's entry point (packaging/dn-kiosk.spec): see kiosk/__main__.py.
"""

import sys

from kiosk.__main__ import entry

if __name__ == "__main__":
    sys.exit(entry())
