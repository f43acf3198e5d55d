#!/usr/bin/env bash
# Sets up CUPS with the cups-pdf virtual printer "PDF", for tests/test_printing.py.
#   scripts/setup-cups.sh
# Run by ./run-tests.sh (and so by CI, as root). Each step is skipped when there is
# nothing to do: the Debian packages are checked with dpkg-query, cupsd is started only
# when `lpstat -r` does not say it is running, and the printer is added only when
# `lpstat -p PDF` does not know it. It always enables the queue and makes it accept
# jobs, so a queue that a test left stopped is fixed by the next run.
#
# The printer names its output after the job's title (TitlePref=1), as TITLE-job_N.pdf,
# in the folder that `Out` in /etc/cups/cups-pdf.conf names (Debian: ${HOME}/PDF of the
# user who printed; the tests read it from there).
#
# Without root, or on a system without dpkg and apt-get, it sets nothing up: it says in
# one line that the printing tests will be skipped and exits 0. As root it exits
# non-zero, with the reason, when a step fails.
set -euo pipefail

# lpstat's messages in English, so that they can be matched.
export LC_ALL=C

CUPS_PRINTER=PDF
CUPS_PACKAGES=(cups printer-driver-cups-pdf cups-ipp-utils)
CUPS_PPD=lsb/usr/cups-pdf/CUPS-PDF_opt.ppd

# _say, _die and _pkg_installed are shared with the Python set-up.
# shellcheck source=scripts/setup-env.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/setup-env.sh"

# True when the CUPS scheduler answers (`lpstat -r` exits 0 even when it does not).
_scheduler_running() {
    command -v lpstat >/dev/null 2>&1 &&
        [ "$(lpstat -r 2>/dev/null || true)" = "scheduler is running" ]
}

# True when CUPS knows the printer.
_printer_known() {
    lpstat -p "$CUPS_PRINTER" >/dev/null 2>&1
}

_ready() {
    _say "CUPS with the $CUPS_PRINTER printer is ready."
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    if _scheduler_running && _printer_known; then
        _ready
    else
        _say "Not a Debian-based system: CUPS is not set up here, so the printing tests will be skipped."
    fi
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if _scheduler_running && _printer_known; then
        _ready
    else
        _say "Not root: CUPS with the $CUPS_PRINTER printer is not set up, so the printing tests will be skipped (run \"sudo scripts/setup-cups.sh\" to set it up)."
    fi
    exit 0
fi

# 1. The packages. --no-install-recommends keeps systemd and avahi out (98 MB against 20 MB).
missing=()
for pkg in "${CUPS_PACKAGES[@]}"; do
    _pkg_installed "$pkg" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    _say "Installing CUPS for the printing tests: ${missing[*]}..."
    log=$(mktemp)
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "${missing[@]}"; } >"$log" 2>&1 </dev/null; then
        tail -n 15 "$log" >&2
        rm -f "$log"
        _die "apt-get could not install ${missing[*]} (its last messages are above)."
    fi
    rm -f "$log"
fi

# 2. The scheduler. Nothing starts it by itself in a container or on CI; without -f,
# cupsd puts itself in the background.
if ! _scheduler_running; then
    cupsd </dev/null || _die "cupsd did not start (see its message above, and /var/log/cups/error_log)."
    for _ in $(seq 50); do
        _scheduler_running && break
        sleep 0.1
    done
    _scheduler_running ||
        _die "cupsd started but did not answer within 5 seconds (see /var/log/cups/error_log)."
fi

# 3. The printer, named after the job's title.
# lpadmin warns that printer drivers are deprecated every time: shown only on failure.
if ! _printer_known; then
    if ! out=$(lpadmin -p "$CUPS_PRINTER" -E -v cups-pdf:/ -m "$CUPS_PPD" -o TitlePref=1 2>&1); then
        printf '%s\n' "$out" >&2
        _die "lpadmin could not add the $CUPS_PRINTER printer (its message is above)."
    fi
elif ! lpoptions -p "$CUPS_PRINTER" -l 2>/dev/null | grep -q '^TitlePref/.*\*1'; then
    # A printer that cups-pdf's own installer added names its files differently.
    if ! out=$(lpadmin -p "$CUPS_PRINTER" -o TitlePref=1 2>&1); then
        printf '%s\n' "$out" >&2
        _die "lpadmin could not set TitlePref=1 on the $CUPS_PRINTER printer (its message is above)."
    fi
fi
cupsenable "$CUPS_PRINTER" || _die "cupsenable $CUPS_PRINTER failed (see its message above)."
cupsaccept "$CUPS_PRINTER" || _die "cupsaccept $CUPS_PRINTER failed (see its message above)."

_ready
