#!/usr/bin/env bash
# Builds dn-kiosk_<version>_amd64.deb from this checkout.
#   scripts/build-deb.sh [--frozen DIR] [--version VERSION] [--out DIR]
#
#   --frozen DIR     a one-folder build of packaging/dn-kiosk.spec (its dist/dn-kiosk);
#                    without it, PyInstaller builds one under build/deb/ (about 1.5 min).
#                    PyInstaller is $PYINSTALLER, else `pyinstaller` on the PATH, else
#                    .venv's (pip install -e '.[build]').
#   --version V      the package's version (default: pyproject.toml's)
#   --out DIR        where the .deb goes (default: dist/)
#   --work DIR       a scratch folder, emptied first (default: build/deb/)
#   --fast           gzip -1 instead of xz -6: for tests (xz took 5 min and gave 77 MB on
#                    two busy cores; gzip -1 is much quicker and larger)
#
# What the package holds and does (docs/deployment.md, "Install the package"):
#   /opt/dn-kiosk/                  the frozen program (PyInstaller one-folder build),
#                                   and lockdown-cups.sh (PreserveJobFiles No)
#   /usr/bin/dn-kiosk               a link to it, for check-config, add-clinician, ...
#   /lib/systemd/system/dn-kiosk.service   the kiosk under cage on tty1, restarted always
#   /etc/pam.d/dn-kiosk             the login session that service opens (conffile)
#   /etc/dn-kiosk/kiosk.toml        every setting, commented (conffile; written from the
#                                   settings' declaration by kiosk/tools/conffile.py)
#   /usr/share/doc/dn-kiosk/        the deployment and configuration docs
#   maintainer scripts (packaging/debian/): the dn-kiosk user and /var/lib/dn-kiosk on
#   install, the database migrated on upgrade, data kept on remove, deleted on purge.
#
# It needs bash, python3 (3.11+, standard library only), dpkg-deb and, without --frozen,
# PyInstaller. It does not need root: dpkg-deb --root-owner-group makes every file
# root's in the package.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
REPO=$PWD

frozen=""
version=""
out="$REPO/dist"
work="$REPO/build/deb"
compress=(-Zxz -z6)
while [ "$#" -gt 0 ]; do
    case "$1" in
    --frozen) frozen=$(readlink -f "$2"); shift 2 ;;
    --version) version=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --fast) compress=(-Zgzip -z1); shift ;;
    -h | --help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
    *) printf 'build-deb.sh: unknown argument %s (see --help)\n' "$1" >&2; exit 2 ;;
    esac
done

die() {
    printf 'build-deb.sh: %s\n' "$*" >&2
    exit 1
}

command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb is missing (it comes with dpkg)."
if [ -z "$version" ]; then
    version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
fi
case "$version" in
[0-9]*) ;;
*) die "a Debian version starts with a digit: $version" ;;
esac

rm -rf "$work"
mkdir -p "$work" "$out"

if [ -z "$frozen" ]; then
    pyinstaller=${PYINSTALLER:-}
    if [ -z "$pyinstaller" ]; then
        if command -v pyinstaller >/dev/null 2>&1; then
            pyinstaller=pyinstaller
        elif [ -x .venv/bin/pyinstaller ]; then
            pyinstaller=.venv/bin/pyinstaller
        else
            die "PyInstaller is missing: pip install -e '.[build]', or give --frozen DIR."
        fi
    fi
    printf 'Building the frozen program with %s...\n' "$pyinstaller"
    "$pyinstaller" --noconfirm --log-level WARN --distpath "$work/dist" \
        --workpath "$work/pyinstaller" packaging/dn-kiosk.spec
    frozen="$work/dist/dn-kiosk"
fi
[ -x "$frozen/dn-kiosk" ] || die "no dn-kiosk program in $frozen"

root="$work/root"
mkdir -p "$root/opt" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/pam.d" \
    "$root/etc/dn-kiosk" "$root/usr/share/doc/dn-kiosk" "$root/DEBIAN"

cp -a "$frozen" "$root/opt/dn-kiosk"
install -m 0755 packaging/debian/lockdown-cups.sh "$root/opt/dn-kiosk/lockdown-cups.sh"
# Relative, so that the link also works in a folder the package is unpacked into.
ln -s ../../opt/dn-kiosk/dn-kiosk "$root/usr/bin/dn-kiosk"
install -m 0644 packaging/debian/dn-kiosk.service "$root/lib/systemd/system/dn-kiosk.service"
install -m 0644 packaging/debian/pam "$root/etc/pam.d/dn-kiosk"
PYTHONPATH="$REPO" python3 -m kiosk.tools.conffile "$root/etc/dn-kiosk/kiosk.toml"
chmod 0644 "$root/etc/dn-kiosk/kiosk.toml" # postinst gives it to the kiosk's user, 0600
install -m 0644 docs/deployment.md docs/configuration.md "$root/usr/share/doc/dn-kiosk/"
cat >"$root/usr/share/doc/dn-kiosk/copyright" <<'EOF'
dn-kiosk: proprietary. The bundled fonts keep their own licences (SIL OFL 1.1 and the
DejaVu licence), shipped beside them under /opt/dn-kiosk/_internal/kiosk/assets/fonts.
Qt and PySide6 (LGPL-3.0) and the other Python libraries are under
/opt/dn-kiosk/_internal with their licence files where their wheels carry them.
EOF

for script in postinst prerm postrm; do
    install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"
done
cat >"$root/DEBIAN/conffiles" <<'EOF'
/etc/dn-kiosk/kiosk.toml
/etc/pam.d/dn-kiosk
EOF

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: dn-kiosk
Version: $version
Architecture: amd64
Maintainer: Dry-needling kiosk maintainers <kiosk@localhost>
Installed-Size: $installed_size
Section: misc
Priority: optional
Pre-Depends: adduser
Depends: cage, libegl1, libgl1, libfontconfig1, libfreetype6, libglib2.0-0, libxkbcommon0, libdbus-1-3, libwayland-client0, libwayland-cursor0, libwayland-egl1, libpulse0, fonts-dejavu-core, cups-client, libpam-systemd, util-linux
Recommends: cups, speech-dispatcher, speech-dispatcher-espeak-ng, espeak-ng, libspeechd2
Description: Dry-needling patient-intake kiosk (locked, full screen on tty1)
 Education, a precautions questionnaire, consent and a clinician summary for dry
 needling, on a touch screen in the waiting room. The package starts the kiosk at
 boot under the cage compositor on tty1 as the dn-kiosk user, with its settings in
 /etc/dn-kiosk/kiosk.toml and the clinic's records in /var/lib/dn-kiosk.
 .
 Read-aloud needs speech-dispatcher and espeak-ng, and a sound device.
EOF

deb="$out/dn-kiosk_${version}_amd64.deb"
dpkg-deb --root-owner-group "${compress[@]}" --build "$root" "$deb" >/dev/null
printf '%s (%s MB, %s MB installed)\n' "$deb" "$(($(stat -c %s "$deb") / 1048576))" \
    "$((installed_size / 1024))"
