#!/usr/bin/env bash
# Runs every check, setting everything up first when needed: Qt's system libraries for
# the offscreen platform (Debian), .venv, and `pip install -e '.[test]'`.
#   ./run-tests.sh              all checks
#   ./run-tests.sh -k consent   arguments go to pytest; the other checks run as usual
# Runs all checks even when one fails, prints one line per check at the end, and exits
# non-zero if any failed. pytest running no tests (its exit code 5) counts as a failure.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

# shellcheck source=scripts/setup-env.sh
source scripts/setup-env.sh
setup_env test

# CUPS with the cups-pdf printer for tests/test_printing.py: installed and started as
# root (CI), skipped with a one-line note otherwise. If it fails, the printing tests say
# so (they fail on CI, skip elsewhere) and the other checks still run.
bash scripts/setup-cups.sh </dev/null ||
    printf 'Setting up CUPS failed (see above); the printing tests will fail or be skipped.\n'

# Medplum's FHIR engine (Node.js and npm packages) for the FHIR delivery tests: installed
# when missing. If it fails, those tests say so (they fail on CI, skip elsewhere).
bash scripts/setup-fhir-server.sh </dev/null ||
    printf 'Setting up the FHIR server failed (see above); the delivery tests will fail or be skipped.\n'

# Xvfb, the AT-SPI bus and pyatspi for tests/test_atspi.py, which reads and drives the
# kiosk as a screen reader does: installed as root (CI), skipped with a one-line note
# otherwise. If it fails, those tests say so (they fail on CI, skip elsewhere).
bash scripts/setup-atspi.sh </dev/null ||
    printf 'Setting up AT-SPI failed (see above); the screen-reader tests will fail or be skipped.\n'

# PyInstaller for the frozen build and Debian package tests: installed into .venv on CI
# only (elsewhere those tests skip and say why).
bash scripts/setup-build-tools.sh </dev/null ||
    printf 'Setting up the build tools failed (see above); the packaging tests will fail or be skipped.\n'

export QT_QPA_PLATFORM=offscreen

summary=()
failed=0

# check NAME COMMAND...: runs the command and records "NAME: ok" or "NAME: FAILED".
check() {
    local name=$1 rc=0
    shift
    printf '\n== %s: %s\n' "$name" "$*"
    "$@" || rc=$?
    if [ "$rc" -eq 0 ]; then
        summary+=("$name: ok")
    else
        failed=1
        if [ "$name" = pytest ] && [ "$rc" -eq 5 ]; then
            summary+=("$name: FAILED (no tests ran)")
        else
            summary+=("$name: FAILED (exit code $rc)")
        fi
    fi
}

# Newer import-linter prints a large logo first; hide it where the option exists.
lint_imports=(.venv/bin/lint-imports)
case "$(.venv/bin/lint-imports --help 2>/dev/null || true)" in
    *--no-logo*) lint_imports+=(--no-logo) ;;
esac

check pytest .venv/bin/python -m pytest "$@"
check "import layers" "${lint_imports[@]}"
check ruff .venv/bin/ruff check .
check mypy .venv/bin/mypy

printf '\n== Summary\n'
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
    printf 'Some checks failed; see their output above.\n'
    exit 1
fi
printf 'All checks passed.\n'
