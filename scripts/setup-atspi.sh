#!/usr/bin/env bash
# Installs what the accessibility tests (tests/test_atspi.py) need: an X server (Xvfb),
# the AT-SPI bus (at-spi2-core, with dbus), pyatspi for the system Python, which
# reads the kiosk's accessibility tree the way a screen reader does, and the libraries
# Qt's xcb platform needs for the kiosk's real window there (setup-env.sh's list; the
# tests run it with the offscreen libraries only otherwise, and Qt cannot start it).
#   scripts/setup-atspi.sh
# Run by ./run-tests.sh (and so by CI, as root). Packages already installed are skipped
# (checked with dpkg-query). Nothing is started here: each test starts its own Xvfb and
# session bus and stops them afterwards.
#
# Without root, or on a system without dpkg and apt-get, it installs nothing: it says in
# one line that the AT-SPI tests will be skipped and exits 0. As root it exits non-zero,
# with the reason, when apt-get fails.
set -euo pipefail

# _say, _die, _pkg_installed and KIOSK_APT_XCB are shared with the Python set-up.
# shellcheck source=scripts/setup-env.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/setup-env.sh"

ATSPI_PACKAGES=(xvfb xauth at-spi2-core dbus python3-pyatspi "${KIOSK_APT_XCB[@]}")

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    _say "Not a Debian-based system: the AT-SPI packages are not installed here, so the AT-SPI tests may be skipped."
    exit 0
fi

missing=()
for pkg in "${ATSPI_PACKAGES[@]}"; do
    _pkg_installed "$pkg" || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
    _say "Xvfb and the AT-SPI bus are ready for the accessibility tests."
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    _say "Not root: ${missing[*]} missing, so the AT-SPI tests will be skipped (run \"sudo scripts/setup-atspi.sh\" to install them)."
    exit 0
fi

_say "Installing the AT-SPI test packages: ${missing[*]}..."
log=$(mktemp)
if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}"; } >"$log" 2>&1 </dev/null; then
    tail -n 15 "$log" >&2
    rm -f "$log"
    _die "apt-get could not install ${missing[*]} (its last messages are above)."
fi
rm -f "$log"
_say "Xvfb and the AT-SPI bus are ready for the accessibility tests."
