#!/usr/bin/env bash
# Installs what the packaging tests need (tests/test_frozen.py, tests/test_deb.py):
# PyInstaller (the `build` extra in pyproject.toml) into .venv, and checks that dpkg-deb
# is there (it comes with dpkg on every Debian system).
#   scripts/setup-build-tools.sh
# Run by ./run-tests.sh. It installs only on CI (CI=true), where those tests must run;
# elsewhere it says in one line that they will be skipped unless PyInstaller is already
# installed (or DN_KIOSK_PYINSTALLER names one), and exits 0. A frozen build takes one
# to two minutes; to try it locally without touching .venv, make a separate venv:
#   python3 -m venv /tmp/build-venv && /tmp/build-venv/bin/pip install -e '.[build]'
#   DN_KIOSK_PYINSTALLER=/tmp/build-venv/bin/pyinstaller .venv/bin/python -m pytest -m 'frozen or deb'
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

# shellcheck source=scripts/setup-env.sh
source scripts/setup-env.sh

_has_pyinstaller() {
    "$KIOSK_VENV/bin/python" -c 'import PyInstaller' >/dev/null 2>&1
}

if _has_pyinstaller; then
    _say "PyInstaller is ready for the packaging tests."
elif [ "${CI:-}" = true ]; then
    requirements=$("$KIOSK_VENV/bin/python" -c \
        'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["build"]))')
    _say "Installing $requirements for the packaging tests..."
    # shellcheck disable=SC2086 # one word per requirement
    "$KIOSK_VENV/bin/python" -m pip install -q --disable-pip-version-check $requirements ||
        _die "pip could not install $requirements."
else
    _say "PyInstaller is not installed: the packaging tests will be skipped (CI installs it; see scripts/setup-build-tools.sh)."
fi

if ! command -v dpkg-deb >/dev/null 2>&1; then
    _say "dpkg-deb is missing (not a Debian system): the Debian package tests will be skipped."
fi
