#!/usr/bin/env bash
# Shared set-up for ./run-kiosk.sh and ./run-tests.sh.
#
# Source this file from the repository root, then call:
#   setup_env run    # system libraries for Qt on a screen (xcb) and offscreen, `pip install -e .`
#   setup_env test   # system libraries for offscreen Qt, `pip install -e '.[test]'`
# It can also be run on its own: scripts/setup-env.sh run|test
#
# Each step is skipped when there is nothing to do: the Debian packages are checked with
# dpkg-query, .venv is created only when missing, and pip runs only when pyproject.toml
# (or the extra) changed since the last successful install (a stamp file in .venv).

# Qt's offscreen platform (the tests, the screenshot tool) needs these.
KIOSK_APT_OFFSCREEN=(
    libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0 libdbus-1-3
    fonts-dejavu-core
)
# A real window (xcb, on X11 or under Xvfb) needs these as well.
KIOSK_APT_XCB=(
    libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-shape0
    libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1
    libx11-xcb1 libxrender1 libxi6 libsm6 libice6
)
# Read-aloud: PySide6's QtTextToSpeech cannot even be imported without libpulse. The
# voices (speech-dispatcher, espeak-ng) are the clinic's choice: docs/deployment.md.
KIOSK_APT_SPEECH=(libpulse0)

KIOSK_VENV=.venv

_say() { printf '%s\n' "$*"; }
_die() {
    printf 'Error: %s\n' "$*" >&2
    exit 1
}

# True when the Debian package is installed (not merely known or half-removed).
_pkg_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

# True when python3 can build a venv with pip (Debian ships ensurepip in python3-venv).
_python_can_venv() {
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1
}

# True when .venv exists and its interpreter runs.
_venv_ok() {
    [ -x "$KIOSK_VENV/bin/python" ] && "$KIOSK_VENV/bin/python" -c 'import pip' >/dev/null 2>&1
}

# Installs the missing Debian packages among "$@": as root with apt-get, otherwise
# names them and the command to run, and exits non-zero.
_ensure_apt_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        _say "Not a Debian-based system: skipping the check for Qt's system libraries."
        return 0
    fi
    local missing=() pkg
    for pkg in "$@"; do
        _pkg_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0

    if [ "$(id -u)" -ne 0 ]; then
        _die "the kiosk needs system packages that are not installed (${missing[*]}); install them with \"sudo apt-get install -y --no-install-recommends ${missing[*]}\" and run this command again."
    fi

    _say "Installing system packages: ${missing[*]}..."
    local log
    log=$(mktemp)
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "${missing[@]}"; } >"$log" 2>&1 </dev/null; then
        tail -n 15 "$log" >&2
        rm -f "$log"
        _die "apt-get could not install ${missing[*]} (its last messages are above)."
    fi
    rm -f "$log"
}

# The hash that the stamp file holds: pyproject.toml plus the extra that was installed.
_install_hash() {
    { cat pyproject.toml; printf '\nextra=%s\n' "$1"; } | sha256sum | cut -d' ' -f1
}

# setup_env run|test
setup_env() {
    local mode=${1:-}
    local packages=() extra spec
    case "$mode" in
        run)
            packages=("${KIOSK_APT_OFFSCREEN[@]}" "${KIOSK_APT_XCB[@]}" "${KIOSK_APT_SPEECH[@]}")
            extra=""
            spec="."
            ;;
        test)
            packages=("${KIOSK_APT_OFFSCREEN[@]}")
            extra="test"
            spec=".[test]"
            ;;
        *) _die "setup_env needs 'run' or 'test', not '$mode'." ;;
    esac

    # Python itself, and the venv module, come from Debian when they are missing.
    if ! _venv_ok; then
        if ! command -v python3 >/dev/null 2>&1; then
            packages+=(python3 python3-venv)
        elif ! _python_can_venv; then
            packages+=(python3-venv)
        fi
    fi

    _ensure_apt_packages "${packages[@]}"

    if ! _venv_ok; then
        command -v python3 >/dev/null 2>&1 || _die "python3 was not found; install Python 3.11 or newer."
        python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
            _die "the kiosk needs Python 3.11 or newer, but python3 is $(python3 -V 2>&1 | cut -d' ' -f2)."
        _python_can_venv ||
            _die "python3 ($(command -v python3)) cannot create virtual environments; install its venv module (on Debian: python3-venv)."
        if [ -e "$KIOSK_VENV" ]; then
            _say "The existing $KIOSK_VENV does not work; recreating it."
            rm -rf "$KIOSK_VENV"
        fi
        _say "Setting up Python environment in $KIOSK_VENV (first run takes a few minutes)..."
        if ! python3 -m venv "$KIOSK_VENV" </dev/null; then
            rm -rf "$KIOSK_VENV"
            _die "python3 -m venv could not create $KIOSK_VENV (see the message above)."
        fi
    fi

    local stamp="$KIOSK_VENV/.dn-kiosk-install-${mode}" hash
    hash=$(_install_hash "$extra")
    if [ "$(cat "$stamp" 2>/dev/null || true)" != "$hash" ]; then
        _say "Installing the kiosk's Python packages into $KIOSK_VENV (pip install -e '$spec')..."
        rm -f "$KIOSK_VENV"/.dn-kiosk-install-*
        # pip's messages go to a log, shown only when it fails, so a good run stays quiet.
        local log="$KIOSK_VENV/pip-install.log"
        if ! PIP_NO_INPUT=1 "$KIOSK_VENV/bin/python" -m pip install -q \
            --disable-pip-version-check -e "$spec" </dev/null >"$log" 2>&1; then
            grep -v "^WARNING: Location '.*' is ignored" "$log" | tail -n 25 >&2 || true
            _die "pip could not install the project (its last messages are above; all of them are in $log)."
        fi
        printf '%s\n' "$hash" >"$stamp"
        # The test extra is a superset of the plain install: the run command needs no pip.
        if [ "$mode" = test ]; then
            _install_hash "" >"$KIOSK_VENV/.dn-kiosk-install-run"
        fi
    fi
}

# Run directly: scripts/setup-env.sh run|test
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
    setup_env "${1:-}"
fi
