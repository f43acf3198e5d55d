#!/usr/bin/env bash
# Starts the kiosk with its bundled content, setting everything up first when needed:
# Qt's system libraries (Debian), .venv, and `pip install -e .`.
#   ./run-kiosk.sh                      a 1280x800 window
#   ./run-kiosk.sh --kiosk              full screen
#   ./run-kiosk.sh --config kiosk.toml  settings from a TOML file (see README.md)
# Every argument goes to main.py; its exit code is this script's.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

# shellcheck source=scripts/setup-env.sh
source scripts/setup-env.sh
setup_env run

exec .venv/bin/python main.py "$@"
