"""The settings file: defaults, every problem named by key and reason, the search path,
the machine check (folders, printer, a private password file) and ``check-config``."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.app import config as config_module
from kiosk.app.config import (
    SETTINGS,
    Config,
    ConfigError,
    WholeNumber,
    check_environment,
    config_from_settings,
    config_search_path,
    declared_settings,
    find_config,
    load_config,
    lpstat_printer_known,
)
from kiosk.content.paths import bundled_content_dir
from kiosk.tools import settings_docs

PASSWORD = "correct horse battery"
#: Read before the fixture below points it into tmp_path.
REAL_SYSTEM_CONFIG = config_module.SYSTEM_CONFIG


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the real user's or machine's settings, or writes into their folders."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setattr(config_module, "SYSTEM_CONFIG", tmp_path / "etc" / "kiosk.toml")


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    """Each problem of the settings ``text`` as ``key: reason`` (all name the file)."""
    path = write(tmp_path / "kiosk.toml", text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.path == path
    assert {p.where for p in caught.value.problems} == {str(path)}
    return [str(p).removeprefix(f"{path}: ") for p in caught.value.problems]


def machine_problems(config: Config, config_file: Path | None = None) -> list[str]:
    """What ``check_environment`` finds, as ``key: reason`` lines (no printer asked)."""
    found = check_environment(config, config_file, printer_known=never_called)
    assert {p.where for p in found} <= {str(config_file) if config_file else ""}
    return [f"{p.key}: {p.reason}" for p in found]


# ---------------------------------------------------------------- defaults


def test_every_key_has_its_documented_default(tmp_path: Path) -> None:
    data = tmp_path / "xdg-data" / "dn-kiosk"
    expected = {
        "clinic_name": "Physiotherapy clinic",
        "output_dir": data / "summaries",
        "content_dir": bundled_content_dir(),
        "idle_seconds": 90,
        "countdown_seconds": 20,
        "done_seconds": 10,
        "data_dir": data,
        "printer": "",
        "auto_print": False,
        "retention_days": 30,
        "clinician_idle_seconds": 120,
        "spool_dir": None,
        "language": "en",
        "hide_cursor": False,
        "encryption_password": "",
        "fhir_base_url": "",
        "fhir_token_file": None,
        "fhir_client_id": "",
        "fhir_client_secret_file": None,
        "fhir_token_url": "",
        "fhir_ca_file": None,
        "fhir_timeout_seconds": 30,
    }
    config = load_config(None)
    # A new key without a default checked here fails this test.
    assert set(SETTINGS) == set(expected)
    assert {key: getattr(config, key) for key in SETTINGS} == expected
    assert config.spool_folder == data / "spool"


@pytest.mark.parametrize(("page", "docs_folder"), list(settings_docs.PAGES.items()))
def test_docs_tables_are_the_declared_settings(page: str, docs_folder: str) -> None:
    """README.md and docs/configuration.md show every setting as declared: a missing,
    extra or changed row (name, type, limits, default, meaning) fails here."""
    text = (settings_docs.ROOT / page).read_text("utf-8")
    assert settings_docs.with_table(text, docs_folder) == text, (
        f"{page} differs from the settings declared in kiosk/app/config.py: "
        "run python -m kiosk.tools.settings_docs"
    )
    table = text.split(settings_docs.BEGIN)[1].split(settings_docs.END)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(SETTINGS)


def test_a_changed_setting_is_caught_in_the_docs() -> None:
    """The check above can fail: a table missing a row is rewritten."""
    text = (settings_docs.ROOT / "README.md").read_text("utf-8")
    without = "\n".join(line for line in text.splitlines() if "`hide_cursor` |" not in line)
    assert settings_docs.with_table(without, "docs/") != without


def test_every_setting_declares_kind_default_and_meaning() -> None:
    declared = declared_settings()
    assert [s.name for s in declared] == list(SETTINGS)
    for s in declared:
        assert s.default_text, s.name
        assert s.meaning.endswith("."), s.name
    # Each declared limit is the one the check enforces.
    limits = {s.name: s.kind for s in declared if isinstance(s.kind, WholeNumber)}
    assert set(limits) == {
        "idle_seconds",
        "countdown_seconds",
        "done_seconds",
        "clinician_idle_seconds",
        "retention_days",
        "fhir_timeout_seconds",
    }
    for name, kind in limits.items():
        assert config_from_settings({name: kind.low}, Path("k.toml"))
        assert config_from_settings({name: kind.high}, Path("k.toml"))
        for bad in (kind.low - 1, kind.high + 1):
            with pytest.raises(ConfigError, match=f"from {kind.low} to {kind.high}"):
                config_from_settings({name: bad}, Path("k.toml"))


def test_spool_dir_follows_data_dir_unless_set(tmp_path: Path) -> None:
    assert Config(data_dir=tmp_path / "d").spool_folder == tmp_path / "d" / "spool"
    assert load_config(write(tmp_path / "a.toml", 'data_dir = "d"\n')).spool_folder == (
        tmp_path / "d" / "spool"
    )
    both = load_config(write(tmp_path / "b.toml", 'data_dir = "d"\nspool_dir = "/var/spool/x"\n'))
    assert both.spool_folder == Path("/var/spool/x")


def test_replacing_data_dir_moves_a_spool_that_follows_it(tmp_path: Path) -> None:
    followed = replace(Config(data_dir=tmp_path / "old"), data_dir=tmp_path / "new")
    assert followed.spool_folder == tmp_path / "new" / "spool"
    # A spool set on its own stays where it was set.
    own = Config(data_dir=tmp_path / "old", spool_dir=tmp_path / "spool")
    assert replace(own, data_dir=tmp_path / "new").spool_folder == tmp_path / "spool"


def test_password_is_never_shown(tmp_path: Path) -> None:
    config = Config(encryption_password=PASSWORD)
    assert PASSWORD not in repr(config)
    problems = problems_of(tmp_path, 'encryption_password = "hunter2"')
    assert problems == [
        "encryption_password: must be at least 12 characters long (it has 7), "
        "or empty for no encryption"
    ]
    assert "hunter2" not in problems[0]


# ---------------------------------------------------------------- values from a file


def test_values_and_relative_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = write(
        tmp_path / "conf" / "kiosk.toml",
        """
        clinic_name = "  Riverside  "
        output_dir = "out"
        spool_dir = "../spool"
        data_dir = "~/data"
        content_dir = "/srv/content"
        idle_seconds = 120
        printer = "Reception"
        auto_print = true
        hide_cursor = true
        language = "es-MX"
        encryption_password = "correct horse battery"
        """.replace("        ", ""),
    )
    config = load_config(path)
    assert config.clinic_name == "Riverside"
    assert config.output_dir == tmp_path / "conf" / "out"
    assert config.spool_folder == tmp_path / "spool"
    assert config.data_dir == tmp_path / "home" / "data"
    assert config.content_dir == Path("/srv/content")
    assert config.idle_seconds == 120
    assert config.printer == "Reception"
    assert config.auto_print is True
    assert config.hide_cursor is True
    assert config.language == "es-MX"
    assert config.encryption_password == PASSWORD


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("idle_second = 90", "idle_second: not a known setting (did you mean idle_seconds?"),
        ("colour = 1", "colour: not a known setting (known: clinic_name, "),
        (
            'idle_seconds = "90"',
            "idle_seconds: must be a whole number of seconds from 5 to 3600 (got '90')",
        ),
        ("idle_seconds = 4", "idle_seconds: must be a whole number of seconds from 5 to 3600"),
        ("idle_seconds = true", "idle_seconds: must be a whole number of seconds"),
        ("countdown_seconds = 601", "countdown_seconds: must be a whole number of seconds from 3"),
        ("done_seconds = 2.5", "done_seconds: must be a whole number of seconds from 3 to 600"),
        ("clinician_idle_seconds = 10", "clinician_idle_seconds: must be a whole number"),
        ("retention_days = 0", "retention_days: must be a whole number of days from 1 to 3650"),
        ("output_dir = 3", "output_dir: must be a folder path in quotes"),
        ('spool_dir = ""', "spool_dir: must be a folder path in quotes"),
        ("data_dir = []", "data_dir: must be a folder path in quotes"),
        ("content_dir = false", "content_dir: must be a folder path in quotes"),
        ("clinic_name = 7", "clinic_name: must be text in quotes"),
        ('clinic_name = "  "', "clinic_name: must be text in quotes"),
        ("printer = 1", 'printer: must be a printer name in quotes (or "" for the default)'),
        ('printer = "Front desk"', "printer: not a CUPS printer name"),
        ('auto_print = "yes"', "auto_print: must be true or false (got 'yes')"),
        ("hide_cursor = 1", "hide_cursor: must be true or false (got 1)"),
        ('language = "EN"', 'language: must be a language code such as "en" or "es-MX"'),
        ('language = "en_GB"', "language: must be a language code"),
        ("language = 1", "language: must be a language code"),
        ("encryption_password = 12345678901234", "encryption_password: must be text in quotes"),
        ('encryption_password = "short"', "encryption_password: must be at least 12 characters"),
    ],
)
def test_each_problem_names_key_and_reason(tmp_path: Path, text: str, problem: str) -> None:
    problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(problem), problems[0]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, 'idle_seconds = 1\nlanguage = "xx-yy"\nbogus = 1')
    assert [p.split(":", 1)[0] for p in problems] == ["idle_seconds", "language", "bogus"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("clinic_name = ", "not valid TOML"),
        ("[printer]\nname = 'x'", "printer: must be a printer name in quotes"),
    ],
)
def test_broken_files(tmp_path: Path, text: str, problem: str) -> None:
    assert problem in "; ".join(problems_of(tmp_path, text))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


def test_empty_and_valid_language_codes(tmp_path: Path) -> None:
    for code in ("en", "es", "es-MX", "ar-EG"):
        assert load_config(write(tmp_path / "k.toml", f'language = "{code}"\n')).language == code


# ---------------------------------------------------------------- search path


def test_search_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert config_search_path() == [
        tmp_path / "xdg-config" / "dn-kiosk" / "kiosk.toml",
        tmp_path / "etc" / "kiosk.toml",
    ]
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config_search_path()[0] == tmp_path / "home" / ".config" / "dn-kiosk" / "kiosk.toml"
    # The XDG spec: a relative XDG_CONFIG_HOME is ignored.
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")
    assert config_search_path()[0] == tmp_path / "home" / ".config" / "dn-kiosk" / "kiosk.toml"


def test_the_system_file_is_the_documented_one() -> None:
    assert Path("/etc/dn-kiosk/kiosk.toml") == REAL_SYSTEM_CONFIG


def test_load_config_reads_the_first_file_found(tmp_path: Path) -> None:
    assert find_config() is None
    assert load_config(None).clinic_name == "Physiotherapy clinic"
    system = write(tmp_path / "etc" / "kiosk.toml", 'clinic_name = "System"\n')
    assert find_config() == system
    assert load_config(None).clinic_name == "System"
    user = write(tmp_path / "xdg-config" / "dn-kiosk" / "kiosk.toml", 'clinic_name = "User"\n')
    assert find_config() == user
    assert load_config(None).clinic_name == "User"
    write(user, "idle_seconds = 1\n")
    with pytest.raises(ConfigError) as caught:
        load_config(None)
    assert caught.value.path == user


# ---------------------------------------------------------------- the machine


def good_config(tmp_path: Path, **overrides: object) -> Config:
    values: dict[str, object] = {
        "output_dir": tmp_path / "out",
        "data_dir": tmp_path / "data",
    }
    values.update(overrides)
    return Config(**values)  # type: ignore[arg-type]


def never_called(name: str) -> bool:
    raise AssertionError(f"printer check called for {name!r}")


def test_a_good_machine_has_no_problems_and_gets_its_folders(tmp_path: Path) -> None:
    config = good_config(tmp_path)
    assert machine_problems(config) == []
    for folder in (config.output_dir, config.spool_folder, config.data_dir):
        assert folder.is_dir()
        probes = [p.name for p in folder.iterdir() if p.name.startswith(".dn-kiosk-probe")]
        assert probes == [], "the probe file must be deleted"


def test_unwritable_folder_is_named(tmp_path: Path) -> None:
    # A folder under a regular file: even root cannot create it.
    blocker = write(tmp_path / "file", "not a folder")
    config = good_config(tmp_path, output_dir=blocker / "sub")
    assert machine_problems(config) == [
        f"output_dir: {blocker / 'sub'} is not writable (Not a directory)"
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    config = good_config(tmp_path, spool_dir=folder)
    assert machine_problems(config) == [f"spool_dir: {folder} is not writable (Permission denied)"]


def test_a_file_where_a_folder_should_be(tmp_path: Path) -> None:
    blocker = write(tmp_path / "data", "")
    content = tmp_path / "no-content"
    config = good_config(tmp_path, data_dir=blocker, spool_dir=tmp_path / "s", content_dir=content)
    assert machine_problems(config) == [
        f"data_dir: {blocker} is not a folder",
        f"content_dir: {content} is not a folder",
    ]


@pytest.mark.parametrize(
    ("known", "problem"),
    [
        (True, None),
        (False, "printer: 'Reception' is not a printer CUPS knows"),
        (None, "printer: cannot check 'Reception': CUPS is not installed"),
    ],
)
def test_printer_is_checked(tmp_path: Path, known: bool | None, problem: str | None) -> None:
    asked: list[str] = []

    def printer_known(name: str) -> bool | None:
        asked.append(name)
        return known

    problems = check_environment(
        good_config(tmp_path, printer="Reception"), printer_known=printer_known
    )
    assert asked == ["Reception"]
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert f"{problems[0].key}: {problems[0].reason}".startswith(problem)


def fake_lpstat(folder: Path, printers: str, scheduler: str) -> None:
    """An ``lpstat`` on PATH that knows ``printers`` and reports ``scheduler``."""
    folder.mkdir()
    script = folder / "lpstat"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = -r ]; then echo "{scheduler}"; exit 0; fi\n'
        f'for p in {printers}; do [ "$2" = "$p" ] && exit 0; done\n'
        'echo "lpstat: Invalid destination name in list \\"$2\\"." >&2; exit 1\n'
    )
    script.chmod(0o755)


@pytest.mark.parametrize(
    ("scheduler", "name", "expected"),
    [
        ("scheduler is running", "Reception", True),
        ("scheduler is running", "Nope", False),
        ("scheduler is not running", "Nope", None),
    ],
)
def test_lpstat_printer_known(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    scheduler: str,
    name: str,
    expected: bool | None,
) -> None:
    fake_lpstat(tmp_path / "bin", "Reception", scheduler)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert lpstat_printer_known(name) is expected


def test_lpstat_missing_means_cannot_tell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert lpstat_printer_known("Reception") is None


def test_password_in_a_file_others_can_read(tmp_path: Path) -> None:
    path = write(tmp_path / "kiosk.toml", f'encryption_password = "{PASSWORD}"\n', 0o644)
    config = good_config(tmp_path, encryption_password=PASSWORD)
    assert machine_problems(config, path) == [
        f"encryption_password: {path} holds the password but other users can read it "
        f"(mode 0644); make it private: chmod 600 {path}"
    ]
    path.chmod(0o640)
    assert len(machine_problems(config, path)) == 1
    path.chmod(0o600)
    assert machine_problems(config, path) == []
    # Without a password, a readable file is fine.
    path.chmod(0o644)
    assert machine_problems(good_config(tmp_path), path) == []


# ---------------------------------------------------------------- check-config


def test_check_config_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path / "kiosk.toml",
        f'output_dir = "{tmp_path / "out"}"\ndata_dir = "{tmp_path / "data"}"\nidle_seconds = 60\n',
    )
    assert cli.main(["check-config", str(path)]) == 0
    assert capsys.readouterr().out == f"OK: {path} (3 settings)\n"


def test_check_config_lists_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "kiosk.toml", 'idle_seconds = 1\nlanguage = "english"\nbogus = 1\n')
    assert cli.main(["check-config", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"3 problem(s) in {path}:"
    # One problem a line: the file, the key, the reason.
    assert all(line.startswith(f"  {path}: ") for line in lines[1:])
    keys = [line.removeprefix(f"  {path}: ").split(":", 1)[0] for line in lines[1:]]
    assert keys == ["idle_seconds", "language", "bogus"]


def test_check_config_checks_the_machine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = write(tmp_path / "file", "")
    path = write(tmp_path / "kiosk.toml", f'output_dir = "{blocker / "out"}"\ndata_dir = "data"\n')
    assert cli.main(["check-config", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"  {path}: output_dir: {blocker / 'out'} is not writable (Not a directory)\n" in out


def test_check_config_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check-config", str(tmp_path / "nope.toml")]) == 1
    assert "file not found" in capsys.readouterr().out


def test_check_config_without_path_uses_the_search_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No settings file found (looked for ")
    assert out.endswith("OK: the defaults (0 settings)\n")
    user = write(tmp_path / "xdg-config" / "dn-kiosk" / "kiosk.toml", 'clinic_name = "Riverside"\n')
    assert cli.main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Checking {user} (found on the search path")
    assert out.endswith(f"OK: {user} (1 settings)\n")


def test_config_option_also_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "kiosk.toml", "idle_seconds = 1\n")
    assert cli.main(["--config", str(path), "check-config"]) == 1
    assert "idle_seconds: must be a whole number" in capsys.readouterr().out


def test_broken_config_for_a_command_is_listed_like_check_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "kiosk.toml", "idle_seconds = 1\n")
    assert cli.main(["--config", str(path), "list-clinicians"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"1 problem(s) in {path}:\n  {path}: idle_seconds: must be")
    assert "Traceback" not in err
