"""How the courier reads answers Medplum's engine never gives: a failing or busy server, a
redirect, a web server that is not FHIR, a 2xx that is not a transaction-response. A
scripted stand-in (the standard library's http.server) answers; what the kiosk decides
is the same code the real engine's tests go through.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kiosk.app.courier import Attempt, Backoff
from kiosk.app.fhir_http import FhirClient, TokenFile
from kiosk.domain.model import Content
from kiosk.interop.fhir_bundle import (
    AnswerUnreadable,
    outcome_text,
    read_transaction_response,
    record_bundle,
)
from tests.test_fhir_delivery import Kiosk

#: (status, headers, body) answered to every request, in turn.
Script = list[tuple[int, dict[str, str], bytes]]


class Scripted(http.server.BaseHTTPRequestHandler):
    """Each test makes a subclass with its own script and record of what it saw."""

    script: ClassVar[Script]
    seen: ClassVar[list[tuple[str, str, dict[str, str]]]]
    base: ClassVar[str]

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self.seen.append((self.command, self.path, dict(self.headers)))
        status, headers, body = self.script.pop(0) if self.script else (500, {}, b"")
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stand_in() -> Iterator[type[Scripted]]:
    handler: type[Scripted] = type("Handler", (Scripted,), {"script": [], "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.base = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    yield handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def kiosk(tmp_path: Path, content: Content) -> Iterator[Kiosk]:
    places = {
        "folder": tmp_path / "summaries",
        "spool": tmp_path / "data" / "spool",
        "db": tmp_path / "data" / "clinic.sqlite3",
    }
    made = Kiosk(places, content)
    yield made
    made.close()


def fhir(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


OUTCOME = fhir(
    {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "exception", "diagnostics": "database down"}],
    }
)
QUESTIONNAIRE_OK = (200, {"content-type": "application/fhir+json"}, fhir({"id": "q1"}))


def first_attempt(
    kiosk: Kiosk, stand_in: type[Scripted], *answers: tuple[int, dict[str, str], bytes]
) -> Attempt:
    stand_in.script[:] = [QUESTIONNAIRE_OK, *answers]
    kiosk.save(1)
    courier = kiosk.courier(FhirClient(stand_in.base))
    try:
        return courier.step()
    finally:
        courier.release()


def test_a_failing_server_is_tried_again_with_its_words_kept_off_the_log(
    kiosk: Kiosk, stand_in: type[Scripted], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    attempt = first_attempt(kiosk, stand_in, (500, {}, OUTCOME))
    assert attempt.outcome == "retry"
    assert attempt.reason == "the server answered HTTP 500: database down"
    assert "database down" not in caplog.text  # the server's words stay in the database
    assert "the server answered HTTP 500" in caplog.text


def test_retry_after_is_honoured(kiosk: Kiosk, stand_in: type[Scripted]) -> None:
    attempt = first_attempt(kiosk, stand_in, (429, {"Retry-After": "120"}, b""))
    assert attempt.outcome == "retry"
    assert attempt.wait == 120
    entry = kiosk.outbox.entry(attempt.document_id)
    assert entry is not None
    assert entry.next_attempt == kiosk.clock() + dt.timedelta(seconds=120)


def test_a_redirect_is_not_followed_and_says_where(kiosk: Kiosk, stand_in: type[Scripted]) -> None:
    attempt = first_attempt(
        kiosk, stand_in, (301, {"Location": "https://elsewhere.example/fhir"}, b"")
    )
    assert attempt.outcome == "retry"
    assert attempt.reason == (
        "the server redirects (HTTP 301) to https://elsewhere.example/fhir: set fhir_base_url to it"
    )
    assert len(stand_in.seen) == 2  # the Questionnaire and the bundle; nothing followed


def test_a_web_server_that_is_not_fhir_is_a_settings_problem(
    kiosk: Kiosk, stand_in: type[Scripted]
) -> None:
    page = b"<html><body><h1>404 Not Found</h1></body></html>"
    attempt = first_attempt(kiosk, stand_in, (404, {"content-type": "text/html"}, page))
    assert attempt.outcome == "retry"  # every summary would fail alike: it waits
    assert attempt.reason.startswith("the server answered HTTP 404 without a FHIR OperationOutcome")
    assert attempt.reason.endswith("check fhir_base_url")


def test_a_2xx_that_is_not_a_transaction_response_needs_attention(
    kiosk: Kiosk, stand_in: type[Scripted]
) -> None:
    attempt = first_attempt(kiosk, stand_in, (200, {}, fhir({"resourceType": "Patient"})))
    assert attempt.outcome == "attention"
    assert attempt.reason == "The server's answer could not be read (the answer is not a Bundle)."


def test_the_token_is_sent_and_read_again_when_its_file_changes(
    stand_in: type[Scripted], tmp_path: Path
) -> None:
    token = tmp_path / "token"
    token.write_text("first\n", "utf-8")
    client = FhirClient(stand_in.base, credentials=TokenFile(token))
    stand_in.script[:] = [(200, {}, b"{}"), (200, {}, b"{}")]
    client.request("GET", "metadata")
    token.write_text("second-and-longer\n", "utf-8")
    client.request("GET", "metadata")
    sent = [headers.get("Authorization") for _, _, headers in stand_in.seen]
    assert sent == ["Bearer first", "Bearer second-and-longer"]


def test_a_401_gets_one_more_try_with_the_token_read_again(
    stand_in: type[Scripted], tmp_path: Path
) -> None:
    token = tmp_path / "token"
    token.write_text("t\n", "utf-8")
    client = FhirClient(stand_in.base, credentials=TokenFile(token))
    stand_in.script[:] = [(401, {}, b""), (401, {}, b""), (200, {}, b"{}")]
    assert client.request("GET", "metadata").status == 401
    assert len(stand_in.seen) == 2


# ---------------------------------------------------------------- reading answers


def test_reading_a_transaction_response() -> None:
    answer = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [
            {
                "response": {
                    "status": "201 Created",
                    "location": "QuestionnaireResponse/a/_history/1",
                }
            },
            {"response": {"status": "200", "location": "https://x/fhir/DocumentReference/b"}},
        ],
    }
    stored = read_transaction_response(answer)
    assert (stored.response_id, stored.document_id, stored.created) == ("a", "b", True)
    answer["entry"][1]["response"]["status"] = "400"  # type: ignore[index]
    with pytest.raises(AnswerUnreadable, match="an entry answered 400"):
        read_transaction_response(answer)
    with pytest.raises(AnswerUnreadable, match="a batch-response Bundle"):
        read_transaction_response({"resourceType": "Bundle", "type": "batch-response"})


def test_the_servers_words() -> None:
    assert outcome_text({"resourceType": "Patient"}) == ""
    words = outcome_text(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {"code": "invalid", "details": {"text": "Bad"}, "expression": ["X.y"]},
                {"code": "processing", "diagnostics": "also this"},
                {"code": "conflict"},
            ],
        }
    )
    assert words == "Bad (at X.y); also this; conflict"


def test_the_bundle_is_the_same_request_every_time(content: Content, tmp_path: Path) -> None:
    data = json.loads((Path(__file__).parent / "data" / "no-flags.response.json").read_text())
    first, again = record_bundle(data, b"%PDF-1.4"), record_bundle(data, b"%PDF-1.4")
    assert first == again
    assert first["entry"][0]["fullUrl"].startswith("urn:uuid:")
    assert "id" not in first["entry"][0]["resource"]  # the server names it
    assert first["entry"][1]["resource"]["context"]["related"] == [
        {"reference": first["entry"][0]["fullUrl"]}
    ]


def test_backoff_doubles_up_to_its_most_with_half_of_it_random() -> None:
    backoff = Backoff(first=5, most=600)
    assert [backoff.delay(n, lambda: 0.0) for n in range(9)] == [
        2.5,
        5,
        10,
        20,
        40,
        80,
        160,
        300,
        300,
    ]
    assert [backoff.delay(n, lambda: 1.0) for n in (0, 8, 1000)] == [5, 600, 600]


# ---------------------------------------------------------------- the test set-up


@pytest.mark.parametrize("ci", ["", "true"])
def test_without_the_engine_tests_skip_with_the_reason_and_fail_on_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    """When npm cannot be reached, the set-up's last line is the reason: a one-line skip
    here, a failure on CI (CI=true), where delivery must be tested."""
    from tests import fhir_engine

    setup = tmp_path / "setup.sh"
    setup.write_text("echo 'Error: npm could not install the Medplum packages' >&2\nexit 1\n")
    monkeypatch.setattr(fhir_engine, "SETUP", setup)
    monkeypatch.setattr(fhir_engine, "SERVER_DIR", tmp_path / "nothing-installed")
    monkeypatch.setattr(fhir_engine, "_setup_failed", [])
    monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome) as caught:
        fhir_engine.ensure_installed()
    message = str(caught.value)
    assert message.startswith(
        "Medplum's FHIR engine could not be set up: "
        "Error: npm could not install the Medplum packages"
    )
    assert "\n" not in message
    # Asked once per session: the next test is told at once.
    setup.write_text("exit 99\n")
    with pytest.raises(outcome, match="npm could not install"):
        fhir_engine.ensure_installed()
