#!/bin/sh
# CUPS keeps no copy of what the kiosk prints when encryption at rest is on.
#   /opt/dn-kiosk/lockdown-cups.sh [SETTINGS] [CUPSD_CONF]
#   (defaults: /etc/dn-kiosk/kiosk.toml and /etc/cups/cupsd.conf)
#
# CUPS's default (PreserveJobFiles 86400) keeps each printed document in /var/spool/cups
# for a day: a readable copy of a summary the kiosk otherwise keeps encrypted. When the
# settings turn on encryption_password, this sets "PreserveJobFiles No" in cupsd.conf
# and reloads CUPS. It changes nothing otherwise, and nothing when the line is already
# there; it never turns the setting back on. Run by the package's postinst and, as root,
# before each start of the kiosk (ExecStartPre in dn-kiosk.service), so a password added
# later is locked down at the next start. Without CUPS installed it does nothing.
set -eu

SETTINGS=${1:-/etc/dn-kiosk/kiosk.toml}
CUPSD_CONF=${2:-/etc/cups/cupsd.conf}

[ -f "$CUPSD_CONF" ] || exit 0
[ -f "$SETTINGS" ] || exit 0
# An uncommented, non-empty encryption_password (TOML: basic or literal string).
grep -Eq "^[[:space:]]*encryption_password[[:space:]]*=[[:space:]]*(\"[^\"]|'[^'])" "$SETTINGS" || exit 0
grep -Eiq '^[[:space:]]*PreserveJobFiles[[:space:]]+No[[:space:]]*$' "$CUPSD_CONF" && exit 0

tmp="$CUPSD_CONF.dn-kiosk.$$"
{
    grep -Eiv '^[[:space:]]*PreserveJobFiles[[:space:]]' "$CUPSD_CONF" || true
    echo "# dn-kiosk: encryption at rest is on, so CUPS keeps no copy of printed summaries."
    echo "PreserveJobFiles No"
} >"$tmp"
chmod --reference="$CUPSD_CONF" "$tmp" 2>/dev/null || chmod 0644 "$tmp"
chown --reference="$CUPSD_CONF" "$tmp" 2>/dev/null || true
mv "$tmp" "$CUPSD_CONF"
echo "dn-kiosk: set PreserveJobFiles No in $CUPSD_CONF (encryption at rest is on)"
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl try-reload-or-restart cups.service >/dev/null 2>&1 || true
fi
exit 0
