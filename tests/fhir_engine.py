"""Medplum's FHIR engine on 127.0.0.1 for the delivery tests (tests/fhir_server/server.mjs).

``start_engine`` sets it up when missing (scripts/setup-fhir-server.sh: Node.js and the
pinned npm packages), starts the adapter on a free port (or a given one, to bring a
"crashed" server back where the kiosk expects it) and waits for it to listen. Where it
cannot be set up (npm unreachable, no Node.js 20.19), the tests are skipped with the
reason in one line, and fail on CI (CI=true), where the server must be tested.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER_DIR = ROOT / "tests" / "fhir_server"
SETUP = ROOT / "scripts" / "setup-fhir-server.sh"
_setup_failed: list[str] = []


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must test delivery: scripts/setup-fhir-server.sh)")
    pytest.skip(f"{reason}; run scripts/setup-fhir-server.sh to set it up")


def ensure_installed() -> None:
    """Run the set-up once per test session; skip (or fail on CI) when it cannot."""
    if _setup_failed:
        unavailable(_setup_failed[0])
    ready = SERVER_DIR / "node_modules" / "@medplum" / "fhir-router" / "package.json"
    if ready.is_file():
        return
    done = subprocess.run(
        ["bash", str(SETUP)], capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no message"]
        _setup_failed.append(f"Medplum's FHIR engine could not be set up: {lines[-1]}")
        unavailable(_setup_failed[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class FhirEngine:
    """One running adapter process; ``base`` is its FHIR base URL."""

    process: subprocess.Popen[str]
    port: int
    scheme: str = "http"
    token: str = ""
    ca_file: Path | None = None
    args: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/fhir"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def get(self, path: str) -> Any:
        """A GET on the server (``path`` after the base, or ``/$test/...``)."""
        url = (
            f"{self.scheme}://127.0.0.1:{self.port}{path}"
            if path.startswith("/")
            else f"{self.base}/{path}"
        )
        request = urllib.request.Request(url)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        context = None
        if self.scheme == "https":
            import ssl

            context = ssl.create_default_context(cafile=str(self.ca_file))
        with urllib.request.urlopen(request, timeout=10, context=context) as answer:
            return json.load(answer)

    def search(self, resource_type: str, **params: str) -> list[dict[str, Any]]:
        """Every resource a search finds (one page of up to 1000)."""
        query = urllib.parse.urlencode({**params, "_count": "1000"})
        bundle = self.get(f"{resource_type}?{query}")
        return [e["resource"] for e in bundle.get("entry", [])]

    def arrivals(self) -> list[dict[str, Any]]:
        """What the server stored or found, in order: type, id, identifier, status."""
        found: list[dict[str, Any]] = self.get("/$test/arrivals")
        return found


def start_engine(
    port: int | None = None,
    *,
    token: str = "",
    client: str = "",
    tls: tuple[Path, Path, Path] | None = None,
    delay_ms: int = 0,
) -> FhirEngine:
    """Start the adapter; ``tls`` is (certificate, key, the CA that signed it)."""
    ensure_installed()
    args = ["--port", str(port or 0)]
    if token:
        args += ["--token", token]
    if client:
        args += ["--client", client]
    if tls is not None:
        args += ["--cert", str(tls[0]), "--key", str(tls[1])]
    if delay_ms:
        args += ["--delay-ms", str(delay_ms)]
    process = subprocess.Popen(
        ["node", "server.mjs", *args],
        cwd=SERVER_DIR,
        stdout=subprocess.PIPE,
        stderr=None,  # the test run's own stderr (fd 2), even under capsys
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # printed once it listens (about 1 s)
    if not line:
        process.wait(10)
        raise AssertionError(f"the FHIR server did not start (exit {process.returncode})")
    engine = FhirEngine(
        process,
        int(json.loads(line)["port"]),
        "https" if tls else "http",
        token,
        tls[2] if tls else None,
        args,
    )
    return engine


def make_tls(folder: Path) -> tuple[Path, Path, Path]:
    """A certificate authority and a certificate it signed for 127.0.0.1: (certificate,
    key, authority), as PEM files in ``folder``."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Test clinic CA"))
        .issuer_name(name("Test clinic CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    paths = (folder / "server.pem", folder / "server.key", folder / "ca.pem")
    paths[0].write_bytes(cert.public_bytes(pem))
    paths[1].write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    paths[2].write_bytes(ca.public_bytes(pem))
    return paths
