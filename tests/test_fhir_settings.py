"""The FHIR server's settings: each one checked as it is read, those that only work
together, the machine (secrets private, the authority a certificate, no plain http to
another machine), and ``check-config --online`` against the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import cli
from kiosk.app import config as config_module
from kiosk.app.config import Config, ConfigError, check_environment, load_config
from tests.fhir_engine import make_tls, start_engine

SERVER = "https://ehr.example/fhir"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setattr(config_module, "SYSTEM_CONFIG", tmp_path / "etc" / "kiosk.toml")


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path / "kiosk.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [f"{p.key}: {p.reason}" for p in caught.value.problems]


def settings(tmp_path: Path, **values: str) -> Path:
    base = {"output_dir": str(tmp_path / "out"), "data_dir": str(tmp_path / "data"), **values}
    return write(tmp_path / "kiosk.toml", "".join(f'{k} = "{v}"\n' for k, v in base.items()))


def test_delivery_is_off_by_default() -> None:
    config = Config()
    assert not config.delivery_on
    assert config.fhir_base_url == ""


def test_the_server_address_and_files_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "kiosk.toml",
        f'fhir_base_url = "{SERVER}/"\nfhir_token_file = "secrets/token"\n'
        'fhir_ca_file = "/etc/ssl/clinic-ca.pem"\nfhir_timeout_seconds = 10\n',
    )
    config = load_config(path)
    assert config.delivery_on
    assert config.fhir_base_url == SERVER  # without the final /
    assert config.fhir_token_file == tmp_path / "secrets" / "token"  # beside the settings
    assert config.fhir_ca_file == Path("/etc/ssl/clinic-ca.pem")
    assert config.fhir_timeout_seconds == 10


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            'fhir_base_url = "ehr.example/fhir"',
            "fhir_base_url: must start with https:// (or http://) and name a server "
            "(got 'ehr.example/fhir')",
        ),
        (
            'fhir_base_url = "ftp://ehr.example/fhir"',
            "fhir_base_url: must start with https:// (or http://) and name a server "
            "(got 'ftp://ehr.example/fhir')",
        ),
        (
            'fhir_base_url = "https://ehr.example/fhir?x=1"',
            "fhir_base_url: must not end in a ?query or #fragment "
            "(got 'https://ehr.example/fhir?x=1')",
        ),
        (
            'fhir_base_url = "https://ehr.example:port/fhir"',
            "fhir_base_url: not a web address (got 'https://ehr.example:port/fhir')",
        ),
        ("fhir_base_url = 1", 'fhir_base_url: must be a web address in quotes (or "" for none)'),
        (
            f'fhir_base_url = "{SERVER}"\nfhir_timeout_seconds = 1',
            "fhir_timeout_seconds: must be a whole number of seconds from 2 to 300 (got 1)",
        ),
        ("fhir_token_file = 5", 'fhir_token_file: must be a file path in quotes (or "" for none)'),
    ],
)
def test_each_bad_value_is_named(tmp_path: Path, text: str, problem: str) -> None:
    assert problems(tmp_path, text + "\n") == [problem]


def test_a_password_in_the_address_is_refused_and_never_echoed(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, 'fhir_base_url = "https://kiosk:hunter22@ehr.example/fhir"\n')
    assert problem.startswith("fhir_base_url: must not hold a user name or password")
    assert "hunter22" not in problem


def test_settings_that_only_work_together(tmp_path: Path) -> None:
    assert problems(tmp_path, 'fhir_token_file = "token"\nfhir_client_id = "kiosk"\n') == [
        "fhir_token_file: has no effect without fhir_base_url (the FHIR server)",
        "fhir_client_id: has no effect without fhir_base_url (the FHIR server)",
    ]
    assert problems(tmp_path, f'fhir_base_url = "{SERVER}"\nfhir_client_id = "kiosk"\n') == [
        "fhir_client_secret_file: needed with fhir_client_id: OAuth2 client credentials "
        "need all of fhir_client_id, fhir_client_secret_file, fhir_token_url",
        "fhir_token_url: needed with fhir_client_id: OAuth2 client credentials "
        "need all of fhir_client_id, fhir_client_secret_file, fhir_token_url",
    ]
    both = (
        f'fhir_base_url = "{SERVER}"\nfhir_token_file = "t"\nfhir_client_id = "k"\n'
        f'fhir_client_secret_file = "s"\nfhir_token_url = "{SERVER}/token"\n'
    )
    assert problems(tmp_path, both) == [
        "fhir_token_file: use either fhir_token_file or the client credentials "
        "(fhir_client_id, fhir_client_secret_file, fhir_token_url), not both"
    ]


def machine(config: Config) -> list[str]:
    found = check_environment(config, None, printer_known=lambda name: True)
    return [f"{p.key}: {p.reason}" for p in found]


def test_the_machine_check_wants_private_readable_secrets(tmp_path: Path) -> None:
    token = write(tmp_path / "token", "abc\n", 0o644)
    empty = write(tmp_path / "secret", "", 0o600)
    config = Config(
        output_dir=tmp_path / "out",
        data_dir=tmp_path / "data",
        fhir_base_url=SERVER,
        fhir_token_file=token,
        fhir_client_secret_file=empty,
        fhir_ca_file=tmp_path / "missing.pem",
    )
    assert machine(config) == [
        f"fhir_token_file: {token} holds a secret but other users can read it (mode 0644); "
        f"make it private: chmod 600 {token}",
        f"fhir_client_secret_file: {empty} is empty",
        f"fhir_ca_file: {tmp_path / 'missing.pem'} cannot be read (No such file or directory)",
    ]
    token.chmod(0o600)
    not_pem = write(tmp_path / "ca.pem", "not a certificate\n")
    config = Config(
        output_dir=tmp_path / "out",
        data_dir=tmp_path / "data",
        fhir_base_url=SERVER,
        fhir_token_file=token,
        fhir_ca_file=not_pem,
    )
    (problem,) = machine(config)
    assert problem.startswith(f"fhir_ca_file: {not_pem} holds no certificate authority in PEM")
    tls = make_tls(tmp_path)
    config = Config(
        output_dir=tmp_path / "out",
        data_dir=tmp_path / "data",
        fhir_base_url=SERVER,
        fhir_token_file=token,
        fhir_ca_file=tls[2],
    )
    assert machine(config) == []


def test_plain_http_to_another_machine_is_a_warning(tmp_path: Path) -> None:
    here = dict(output_dir=tmp_path / "out", data_dir=tmp_path / "data")
    assert machine(Config(**here, fhir_base_url="http://127.0.0.1:8080/fhir")) == []  # type: ignore[arg-type]
    assert machine(Config(**here, fhir_base_url="http://ehr.lan/fhir")) == [  # type: ignore[arg-type]
        "fhir_base_url: http://ehr.lan/fhir is plain http: patient data would cross the "
        "network unencrypted; use https:// (warning)"
    ]


# ---------------------------------------------------------------- --online


def test_check_config_online_says_what_the_server_answered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = start_engine(token="right-token")
    try:
        token = write(tmp_path / "token", "right-token\n")
        path = settings(tmp_path, fhir_base_url=engine.base, fhir_token_file=str(token))
        assert cli.main(["check-config", str(path), "--online"]) == 0
        out = capsys.readouterr().out.splitlines()
        # Medplum's engine has no /metadata: the search answers instead.
        assert out == [
            f"Asked the FHIR server: {engine.base}/metadata: no CapabilityStatement "
            "(HTTP 200, Bundle)",
            f"Asked the FHIR server: {engine.base}: a search for the kiosk's Questionnaire "
            "answered 200 (0 found)",
            f"OK: {path} (4 settings)",
        ]
        token.write_text("wrong-token\n", "utf-8")
        assert cli.main(["check-config", str(path), "--online"]) == 1
        out = capsys.readouterr().out.splitlines()
        assert out[-1] == (
            f"  {path}: fhir_base_url: The clinic's server refused the kiosk's credentials: "
            "check fhir_token_file (or the client credentials) in the kiosk's settings "
            "(HTTP 401)"
        )
        # Without --online nothing is asked.
        assert cli.main(["check-config", str(path)]) == 0
        assert capsys.readouterr().out == f"OK: {path} (4 settings)\n"
    finally:
        engine.stop()


def test_check_config_online_names_an_untrusted_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tls = make_tls(tmp_path)
    engine = start_engine(tls=tls)
    try:
        path = settings(tmp_path, fhir_base_url=engine.base)
        assert cli.main(["check-config", str(path), "--online"]) == 1
        out = capsys.readouterr().out
        unreachable = f"fhir_base_url: {engine.base} cannot be reached"
        assert f"{unreachable}: the server's certificate is not trusted" in out
        assert "set fhir_ca_file" in out
        path = settings(tmp_path, fhir_base_url=engine.base, fhir_ca_file=str(tls[2]))
        assert cli.main(["check-config", str(path), "--online"]) == 0
    finally:
        engine.stop()


def test_check_config_online_when_the_server_is_down(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.fhir_engine import free_port

    base = f"http://127.0.0.1:{free_port()}/fhir"
    path = settings(tmp_path, fhir_base_url=base)
    assert cli.main(["check-config", str(path), "--online"]) == 1
    assert (
        f"fhir_base_url: {base} cannot be reached: the connection was refused "
        "(is the server running?)" in capsys.readouterr().out
    )
