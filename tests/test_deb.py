"""The Debian package (scripts/build-deb.sh): what it holds, what dpkg is told, and what
its maintainer scripts do.

Slow (marked ``deb``): it needs the frozen build (the ``frozen_folder`` fixture,
tests/frozen_build.py: skipped without PyInstaller, built on CI) and builds the package
from it into ``tmp_path``. It then reads the package with ``dpkg-deb``; installs it with
dpkg into a throwaway root and dpkg database, upgrades it to a second build with a bumped
version (records and the clinic's edit of the settings file survive), removes it (the
records stay) and purges it (they go), with the maintainer scripts run outside a chroot
against ``DPKG_ROOT`` and every command that would change this machine (adduser,
install, chown, systemctl, runuser ...) replaced by a stub that records its arguments;
and runs the unpacked program.

On CI (as root), the package is also installed for real with ``apt-get install``, so its
dependencies resolve from Debian; the kiosk's user runs check-config, validate-content,
render and the kiosk itself (offscreen, 10 s); the package is upgraded to a bumped build
with an account, a summary and a queued delivery kept, then removed with the records
kept, and purged to leave the machine as it was. Not done (see docs/deployment.md): a
boot under systemd and cage (systemd is not PID 1 on CI). ``systemd-analyze verify`` runs on
the unit where it is installed; where cage is not, its one complaint (that ExecStart's
program is missing) is allowed.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.app.archive import Archive
from kiosk.app.config import config_from_settings, declared_settings
from kiosk.content.paths import bundled_content_dir
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.conffile import PACKAGE_VALUES, settings_file
from tests.test_clinic import NOW, make_record

pytestmark = pytest.mark.deb

REPO = Path(__file__).resolve().parent.parent
VERSION = "9.8.7"
DATA = REPO / "tests" / "data"


@dataclass(frozen=True)
class Package:
    deb: Path
    control: Path  # dpkg-deb -e
    root: Path  # dpkg-deb -x

    def field(self, name: str) -> str:
        return run("dpkg-deb", "-f", str(self.deb), name).strip()


def run(*args: str, **kwargs: object) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return str(done.stdout)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, frozen_folder: Path) -> Package:
    if shutil.which("dpkg-deb") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("dpkg-deb is missing: CI must build the Debian package")
        pytest.skip("dpkg-deb is missing (not a Debian system)")
    work = tmp_path_factory.mktemp("deb")
    started = time.monotonic()
    out = run(
        "nice",
        "-n",
        "19",
        str(REPO / "scripts" / "build-deb.sh"),
        "--frozen",
        str(frozen_folder),
        "--version",
        VERSION,
        "--out",
        str(work / "out"),
        "--work",
        str(work / "scratch"),
        "--fast",
    )
    print(f"build-deb.sh: {time.monotonic() - started:.0f} s; {out.strip()}")  # noqa: T201
    deb = work / "out" / f"dn-kiosk_{VERSION}_amd64.deb"
    assert deb.is_file(), out
    run("dpkg-deb", "-e", str(deb), str(work / "control"))
    run("dpkg-deb", "-x", str(deb), str(work / "root"))
    return Package(deb, work / "control", work / "root")


def test_control_fields(package: Package) -> None:
    assert package.field("Package") == "dn-kiosk"
    assert package.field("Version") == VERSION
    assert package.field("Architecture") == "amd64"
    depends = {d.strip().split(" ")[0] for d in package.field("Depends").split(",")}
    assert {"cage", "libpulse0", "cups-client", "fonts-dejavu-core", "libegl1"} <= depends
    recommends = {d.strip() for d in package.field("Recommends").split(",")}
    assert {"speech-dispatcher", "espeak-ng"} <= recommends
    assert "adduser" in package.field("Pre-Depends")
    assert int(package.field("Installed-Size")) > 100_000  # KiB: Qt is in there


def test_contents(package: Package) -> None:
    listing = run("dpkg-deb", "-c", str(package.deb))
    entries = {}
    for line in listing.splitlines():
        perms, owner, *_, name = line.split(None, 5)[:2] + line.split(None, 5)[5:]
        entries[name.split(" -> ")[0]] = (perms, owner, name)
    for path in (
        "./opt/dn-kiosk/dn-kiosk",
        "./opt/dn-kiosk/lockdown-cups.sh",
        "./usr/bin/dn-kiosk",
        "./lib/systemd/system/dn-kiosk.service",
        "./etc/dn-kiosk/kiosk.toml",
        "./etc/pam.d/dn-kiosk",
        "./usr/share/doc/dn-kiosk/deployment.md",
    ):
        assert path in entries, f"{path} is not in the package"
    assert all(owner == "root/root" for _, owner, _ in entries.values())
    assert entries["./usr/bin/dn-kiosk"][2].endswith("-> ../../opt/dn-kiosk/dn-kiosk")
    assert entries["./opt/dn-kiosk/dn-kiosk"][0] == "-rwxr-xr-x"
    # The clinic's records are never files of the package, so dpkg never removes them.
    assert not [name for name in entries if name.startswith("./var/")]


def test_conffiles_and_maintainer_scripts(package: Package) -> None:
    conffiles = (package.control / "conffiles").read_text(encoding="utf-8").split()
    assert conffiles == ["/etc/dn-kiosk/kiosk.toml", "/etc/pam.d/dn-kiosk"]
    for name in ("postinst", "prerm", "postrm"):
        script = package.control / name
        assert os.access(script, os.X_OK), name
        assert script.read_text(encoding="utf-8").startswith("#!/bin/sh\n"), name
        run("sh", "-n", str(script))
        if shutil.which("dash"):
            run("dash", "-n", str(script))


def test_the_settings_file_lists_every_setting_and_sets_only_the_folders(
    package: Package,
) -> None:
    text = (package.root / "etc" / "dn-kiosk" / "kiosk.toml").read_text(encoding="utf-8")
    assert text == settings_file()  # written from the declaration, not by hand
    set_here = tomllib.loads(text)
    assert set_here == PACKAGE_VALUES
    for s in declared_settings():
        if s.name not in PACKAGE_VALUES:
            assert re.search(rf"^# {s.name} = ", text, re.MULTILINE), s.name
    # Every commented line, uncommented, is a valid value for its setting (settings
    # that only work together, such as the FHIR ones, are checked together elsewhere).
    kinds = {s.name: s.kind for s in declared_settings()}
    for line in re.findall(r"^# (\w+ = .*)$", text, re.MULTILINE):
        ((key, value),) = tomllib.loads(line).items()
        kinds[key].parse(value, Path("/etc/dn-kiosk"))
    config = config_from_settings(set_here, Path("/etc/dn-kiosk/kiosk.toml"))
    assert config.data_dir == Path("/var/lib/dn-kiosk")


def test_the_unit_starts_the_kiosk_under_cage_on_tty1(package: Package) -> None:
    unit = package.root / "lib" / "systemd" / "system" / "dn-kiosk.service"
    text = unit.read_text(encoding="utf-8")
    for line in (
        "User=dn-kiosk",
        "TTYPath=/dev/tty1",
        "Conflicts=getty@tty1.service",
        "Restart=always",
        "StartLimitIntervalSec=0",
        "PAMName=dn-kiosk",
        "ExecStart=/usr/bin/cage -- /opt/dn-kiosk/dn-kiosk --kiosk "
        "--config /etc/dn-kiosk/kiosk.toml",
        "WantedBy=graphical.target",
        "ExecStartPre=-+/opt/dn-kiosk/lockdown-cups.sh /etc/dn-kiosk/kiosk.toml",
    ):
        assert f"\n{line}\n" in text, line
    if shutil.which("systemd-analyze") is None:
        return  # not a systemd system: the lines above are all that is checked
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    # It checks that ExecStart's program exists; cage is the package's dependency and may
    # not be installed where the tests run. Any other complaint fails.
    complaints = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip()
        and not (
            not Path("/usr/bin/cage").exists() and "Command /usr/bin/cage is not executable" in line
        )
    ]
    assert not complaints, "\n".join(complaints)


def test_install_upgrade_remove_purge_with_dpkg_in_a_throwaway_root(
    package: Package, tmp_path: Path, stubs: Path
) -> None:
    """dpkg itself, with its own database in ``tmp_path`` and the maintainer scripts run
    outside a chroot (``--force-script-chrootless``: they prefix their paths with
    ``DPKG_ROOT``); the commands that would change this machine are stubs (``stubs``),
    and rm removes only what is inside the throwaway root."""
    if shutil.which("dpkg") is None:
        pytest.skip("dpkg is missing")
    root = tmp_path / "root"
    admin = root / "var" / "lib" / "dpkg"
    (admin / "updates").mkdir(parents=True)
    (admin / "info").mkdir()
    (admin / "status").touch()
    log = stubs.parent / "calls.log"
    guarded_rm = stubs / "rm"
    guarded_rm.write_text(
        "#!/bin/sh\n"
        f'echo "rm $*" >> "{log}"\n'
        'for a in "$@"; do case "$a" in -*) ;; '
        f'"{root}"/*) ;; *) echo "REFUSED rm $a" >> "{log}"; exit 1 ;; esac; done\n'
        'exec /bin/rm "$@"\n',
        encoding="utf-8",
    )
    newer = tmp_path / "newer"
    run(
        "nice", "-n", "19", str(REPO / "scripts" / "build-deb.sh"),
        "--frozen", str(package.root / "opt" / "dn-kiosk"),
        "--version", f"{VERSION}.1", "--out", str(newer), "--work", str(tmp_path / "scratch"),
        "--fast",
    )  # fmt: skip
    upgrade = newer / f"dn-kiosk_{VERSION}.1_amd64.deb"
    env = {"PATH": f"{stubs}:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"}

    def dpkg(*args: str) -> str:
        if args[0] != "--status":
            log.unlink(missing_ok=True)  # each step's own calls
        return run(
            "dpkg",
            f"--root={root}",
            f"--admindir={admin}",
            "--force-not-root",
            "--force-depends",
            "--force-script-chrootless",
            "--no-triggers",
            "--force-unsafe-io",
            *args,
            env=env,
        )

    def calls() -> str:
        return log.read_text(encoding="utf-8") if log.exists() else ""

    dpkg("--install", str(package.deb))
    assert f"Version: {VERSION}\n" in dpkg("--status", "dn-kiosk")
    assert "deb-systemd-helper enable dn-kiosk.service" in calls()
    assert f"install -d -o dn-kiosk -g dn-kiosk -m 0700 {root}/var/lib/dn-kiosk " in calls()
    assert (root / "opt" / "dn-kiosk" / "dn-kiosk").is_file()
    # Records made before the upgrade (install -d is a stub, so the folders are made
    # here), and the clinic's own edit of the settings.
    data = root / "var" / "lib" / "dn-kiosk"
    records = {
        data / "clinic.sqlite3": "accounts and the outbox",
        data / "summaries" / "DN-1.pdf": "a summary",
        data / "spool" / "DN-2.json": "a spooled summary",
    }
    for path, text in records.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    settings = root / "etc" / "dn-kiosk" / "kiosk.toml"
    edited = settings.read_text(encoding="utf-8").replace(
        '# clinic_name = "Physiotherapy clinic"', 'clinic_name = "Riverside Physiotherapy"'
    )
    settings.write_text(edited, encoding="utf-8")

    dpkg("--install", str(upgrade))
    assert f"Version: {VERSION}.1\n" in dpkg("--status", "dn-kiosk")
    assert settings.read_text(encoding="utf-8") == edited  # dpkg kept the clinic's edit
    assert not list(settings.parent.glob("*.dpkg-*"))
    for path, text in records.items():
        assert path.read_text(encoding="utf-8") == text, path
    # The schema is migrated now, as the kiosk's user (runuser is a stub here).
    assert f"runuser -u dn-kiosk -- {root}/opt/dn-kiosk/dn-kiosk --config {settings}" in calls()

    said = dpkg("--remove", "dn-kiosk")
    assert not (root / "opt" / "dn-kiosk").exists()
    assert not (root / "usr" / "bin" / "dn-kiosk").exists()
    for path, text in records.items():
        assert path.read_text(encoding="utf-8") == text, path
    assert settings.exists()  # remove keeps conffiles
    assert "rm " not in calls()
    assert "records are kept" in said + calls() or data.exists()

    dpkg("--purge", "dn-kiosk")
    assert "REFUSED" not in calls()
    assert not data.exists()
    assert not settings.exists()


def test_the_unpacked_program_runs_through_its_link(package: Package, tmp_path: Path) -> None:
    program = package.root / "usr" / "bin" / "dn-kiosk"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [str(program), "validate-content"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "is valid" in done.stdout
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f"output_dir = '{tmp_path / 'summaries'}'\ndata_dir = '{tmp_path / 'data'}'\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.pdf"
    response = DATA / "three-flags.response.json"
    args = ["--config", str(config), "render", str(response), "-o", str(out)]
    done = subprocess.run(
        [str(program), *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(out).pages) >= 1


# ------------------------------------------------------------ maintainer scripts

#: Commands the maintainer scripts may run that change the machine: each is replaced by
#: a stub that appends its name and arguments to a log. getent answers "not found".
STUBBED = (
    "getent",
    "addgroup",
    "adduser",
    "install",
    "chown",
    "chmod",
    "runuser",
    "deb-systemd-helper",
    "deb-systemd-invoke",
    "systemctl",
    "rm",
)


@pytest.fixture
def stubs(tmp_path: Path) -> Path:
    folder = tmp_path / "stubs"
    folder.mkdir()
    log = tmp_path / "calls.log"
    for name in STUBBED:
        status = 2 if name == "getent" else 0
        stub = folder / name
        stub.write_text(
            f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexit {status}\n', encoding="utf-8"
        )
        stub.chmod(0o755)
    return folder


def run_script(package: Package, stubs: Path, name: str, *args: str) -> tuple[list[str], str]:
    log = stubs.parent / "calls.log"
    log.unlink(missing_ok=True)
    done = subprocess.run(
        ["sh", str(package.control / name), *args],
        env={"PATH": f"{stubs}:/usr/bin:/bin", "LC_ALL": "C"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{name} {args}: {done.stderr}"
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return calls, done.stdout + done.stderr


def test_install_creates_the_user_and_folders_and_enables_the_unit(
    package: Package, stubs: Path
) -> None:
    calls, _ = run_script(package, stubs, "postinst", "configure", "")
    joined = "\n".join(calls)
    assert re.search(r"^adduser --system .*--shell /usr/sbin/nologin .*dn-kiosk$", joined, re.M)
    assert "--disabled-password" not in joined  # a system user has no password anyway
    assert re.search(
        r"^install -d -o dn-kiosk -g dn-kiosk -m 0700 /var/lib/dn-kiosk ", joined, re.M
    )
    assert "deb-systemd-helper enable dn-kiosk.service" in calls
    assert not [c for c in calls if c.startswith(("runuser", "rm "))]  # nothing to migrate


def test_remove_stops_the_kiosk_and_deletes_nothing(package: Package, stubs: Path) -> None:
    calls, _ = run_script(package, stubs, "prerm", "remove")
    # deb-systemd-invoke runs only under systemd (/run/systemd/system); never rm.
    assert not [c for c in calls if c.startswith("rm ")]
    calls, _ = run_script(package, stubs, "postrm", "remove")
    assert not [c for c in calls if c.startswith("rm ")]
    assert "deb-systemd-helper mask dn-kiosk.service" in calls


def test_purge_says_what_it_deletes(package: Package) -> None:
    text = (package.control / "postrm").read_text(encoding="utf-8")
    purge = text.split("purge)")[1]
    said = purge.index("deleting $DATA")
    assert said < purge.index('rm -rf "$DATA"')
    assert "remove)" in text
    assert "rm " not in text.split("purge)")[0].split("remove)")[1]


def test_the_scripts_name_no_path_outside_the_kiosks_own() -> None:
    """A stray rm -rf in a maintainer script is the worst bug a package can have."""
    for name in ("postinst", "prerm", "postrm"):
        text = (REPO / "packaging" / "debian" / name).read_text(encoding="utf-8")
        for target in re.findall(r"rm -rf? (\S+)", text):
            assert target == '"$DATA"', (name, target)
        assert 'DATA="${DPKG_ROOT:-}/var/lib/dn-kiosk"' in text or "rm " not in text, name


# ------------------------------------------------- apt-get install on this machine

#: Set to 1 to run the real installation outside CI. It changes the machine it runs on:
#: it installs the package's dependencies (cage, ...), creates the dn-kiosk user and
#: /var/lib/dn-kiosk, and purges the package again at the end.
INSTALL_HERE = "DN_KIOSK_TEST_INSTALL_HERE"
APT_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "DEBIAN_FRONTEND": "noninteractive",
    "LC_ALL": "C.UTF-8",
}


def as_kiosk_user(
    *args: str, stdin: str = "", seconds: float = 120
) -> subprocess.CompletedProcess[str]:
    """``dn-kiosk ARGS`` from the PATH as the kiosk's user, as the clinic's IT would."""
    return subprocess.run(
        ["runuser", "-u", "dn-kiosk", "--", "env", "HOME=/var/lib/dn-kiosk",
         "QT_QPA_PLATFORM=offscreen", *[f"{k}={v}" for k, v in APT_ENV.items()],
         "dn-kiosk", *args],
        input=stdin, capture_output=True, text=True, timeout=seconds, check=False,
    )  # fmt: skip


def kept(folder: Path) -> dict[Path, bytes]:
    """Every file under ``folder``, with its bytes."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def apt_get(*args: str) -> str:
    """apt-get, with what it and the maintainer scripts said (both streams)."""
    done = subprocess.run(
        ["apt-get", "-y", "-q", "-o", "Dpkg::Use-Pty=0", *args],
        env=APT_ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"apt-get {' '.join(args)}:\n{done.stdout[-6000:]}"
    return done.stdout


@pytest.fixture
def this_machine() -> Iterator[None]:
    """Only on CI (or when asked) and as root, never over a kiosk already installed
    here; purges the package afterwards, whatever happened."""
    if os.environ.get("CI") != "true" and os.environ.get(INSTALL_HERE) != "1":
        pytest.skip(f"installs on this machine: runs on CI, or with {INSTALL_HERE}=1")
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        reason = "needs root and apt-get (a Debian machine)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install the package for real: {reason}")
        pytest.skip(reason)
    status = subprocess.run(
        ["dpkg-query", "-W", "-f", "${db:Status-Status}", "dn-kiosk"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    if status not in ("", "not-installed") or Path("/var/lib/dn-kiosk").exists():
        pytest.skip("a dn-kiosk is already installed here (or its records are): not touched")
    try:
        yield
    finally:
        subprocess.run(["apt-get", "-y", "-q", "purge", "dn-kiosk"], env=APT_ENV,
                       capture_output=True, check=False, timeout=300)  # fmt: skip
        subprocess.run(["deluser", "--system", "dn-kiosk"], capture_output=True, check=False)
        shutil.rmtree("/var/lib/dn-kiosk", ignore_errors=True)


def test_apt_get_install_upgrade_and_remove_on_this_machine(
    package: Package, tmp_path: Path, content: Content, this_machine: None
) -> None:
    """What the clinic's IT does, for real (as root on CI; systemd is not PID 1 there,
    so the service is enabled but not started: the kiosk is started by hand instead)."""
    apt_get("update")
    said = apt_get("install", str(package.deb))  # a path: apt resolves its Depends
    assert "dn-kiosk" in said
    assert shutil.which("cage"), "apt-get did not install the package's dependencies"
    user = run("getent", "passwd", "dn-kiosk").strip().split(":")
    assert user[5:] == ["/var/lib/dn-kiosk", "/usr/sbin/nologin"]
    data = Path("/var/lib/dn-kiosk")
    assert (data.stat().st_mode & 0o777, data.owner()) == (0o700, "dn-kiosk")
    settings = Path("/etc/dn-kiosk/kiosk.toml")
    assert (settings.stat().st_mode & 0o777, settings.owner()) == (0o600, "dn-kiosk")
    assert Path("/etc/systemd/system/multi-user.target.wants/dn-kiosk.service").exists() or (
        Path("/etc/systemd/system/graphical.target.wants/dn-kiosk.service").exists()
    ), "the service is not enabled"

    # The kiosk's user runs every command the docs name.
    for args in (("check-config",), ("validate-content",)):
        done = as_kiosk_user(*args)
        assert done.returncode == 0, f"dn-kiosk {args}: {done.stdout}{done.stderr}"
    response = data / "three-flags.response.json"
    shutil.copy(DATA / "three-flags.response.json", response)
    shutil.chown(response, "dn-kiosk", "dn-kiosk")
    done = as_kiosk_user("render", str(response), "-o", str(data / "rendered.pdf"))
    assert done.returncode == 0, done.stderr
    text = "".join(p.extract_text() for p in PdfReader(data / "rendered.pdf").pages)
    assert "Maria Fernández" in text
    assert "Document DN-GOLD0001" in text
    kiosk = subprocess.Popen(
        ["runuser", "-u", "dn-kiosk", "--", "env", "HOME=/var/lib/dn-kiosk",
         "QT_QPA_PLATFORM=offscreen", "dn-kiosk"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        time.sleep(10)
        assert kiosk.poll() is None, f"the kiosk stopped within 10 s:\n{kiosk.communicate()[0]}"
    finally:
        kiosk.terminate()
        out = kiosk.communicate(timeout=30)[0]
    assert "Traceback" not in out, out

    # Records made before the upgrade: an account, a summary, and its delivery queued
    # (the saving side of the kiosk, as a patient finishing would; no server is set up,
    # so the delivery waits).
    done = as_kiosk_user("add-clinician", "Dr Ada Quist", stdin="correct horse 42\n" * 2)
    assert done.returncode == 0, done.stdout + done.stderr
    archive = Archive(data / "clinic.sqlite3", content, bundled_content_dir(), "", deliver=True)
    writer = PdfSummaryWriter(data / "summaries", "Clinic", data / "spool", "", archive=archive)
    saved = writer(content, make_record(content, "Zoë Ŝmith", NOW, {"blood_thinner": "yes"}))
    archive.close()
    run("chown", "-R", "dn-kiosk:dn-kiosk", str(data))
    before = kept(data / "summaries")
    assert saved.pdf in before

    def queued() -> int:
        with sqlite3.connect(data / "clinic.sqlite3") as db:
            return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])

    assert queued() == 1
    edited = settings.read_text(encoding="utf-8").replace(
        '# clinic_name = "Physiotherapy clinic"', 'clinic_name = "Riverside Physiotherapy"'
    )
    settings.write_text(edited, encoding="utf-8")

    newer = tmp_path / "newer"
    run(
        "nice", "-n", "19", str(REPO / "scripts" / "build-deb.sh"),
        "--frozen", str(package.root / "opt" / "dn-kiosk"),
        "--version", f"{VERSION}.2", "--out", str(newer), "--work", str(tmp_path / "scratch"),
        "--fast",
    )  # fmt: skip
    apt_get("install", str(newer / f"dn-kiosk_{VERSION}.2_amd64.deb"))
    assert f"{VERSION}.2" in run("dpkg-query", "-W", "-f", "${Version}", "dn-kiosk")
    assert settings.read_text(encoding="utf-8") == edited
    assert kept(data / "summaries") == before
    assert queued() == 1
    listed = as_kiosk_user("list-clinicians")
    assert "Dr Ada Quist" in listed.stdout, listed.stdout + listed.stderr

    said = apt_get("remove", "dn-kiosk")
    assert "records are kept in /var/lib/dn-kiosk" in said
    assert not Path("/opt/dn-kiosk").exists()
    assert shutil.which("dn-kiosk") is None
    assert kept(data / "summaries") == before
    assert queued() == 1
    assert settings.is_file()  # remove keeps conffiles; purge (the fixture) deletes it
