"""The process sending the outbox killed with SIGKILL, 20 times, at random moments while
it delivers: no summary is lost and none is duplicated on the server.

Half the runs are the kiosk itself (``python -m kiosk``, offscreen: its courier thread
starts after the welcome screen's first frame), half ``python -m kiosk deliver`` (the
same courier in the foreground). The server holds every request for a while
(``--delay-ms``), and most kills land while a request is with the server: after it has
the whole bundle, before the kiosk has noted the answer, the window where a careless
client would send twice or forget. The rest land anywhere, start-up included.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app.db import ClinicDb
from kiosk.app.outbox import Outbox
from kiosk.domain.model import Content
from tests.fhir_engine import FhirEngine, start_engine
from tests.test_fhir_delivery import Kiosk, ids, on_server

KILLS = 20
RECORDS = 12
DELAY_MS = 300


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


def sender(config: Path, whole_kiosk: bool = False) -> subprocess.Popen[bytes]:
    """``python -m kiosk deliver``, or the kiosk itself (offscreen)."""
    command = [] if whole_kiosk else ["deliver"]
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(config), *command],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def received(engine: FhirEngine) -> int:
    return int(engine.get("/$test/received")["received"])


def test_sigkill_during_delivery_loses_nothing_and_duplicates_nothing(
    kiosk: Kiosk, tmp_path: Path
) -> None:
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    engine = start_engine(delay_ms=DELAY_MS)
    try:
        saved = kiosk.save(RECORDS)
        places = kiosk.places
        config = tmp_path / "kiosk.toml"
        config.write_text(
            f'output_dir = "{places["folder"]}"\n'
            f'spool_dir = "{places["spool"]}"\n'
            f'data_dir = "{places["db"].parent}"\n'
            f'fhir_base_url = "{engine.base}"\n',
            encoding="utf-8",
        )
        kills_in_flight = 0
        for n in range(KILLS):
            before = received(engine)
            process = sender(config, whole_kiosk=n % 2 == 1)
            in_flight = n % 4 != 3  # three in four wait for a request to be with the server
            deadline = time.monotonic() + 20
            if in_flight:
                # The first, second or third request of this run: the Questionnaire (until
                # one run has noted it) or a summary's bundle.
                target = before + chance.randint(1, 3)
                while received(engine) < target and time.monotonic() < deadline:
                    if process.poll() is not None:
                        break
                    time.sleep(0.01)
                time.sleep(chance.uniform(0, DELAY_MS / 1000))
                kills_in_flight += received(engine) > before
            else:
                time.sleep(chance.uniform(0.05, 2.0))
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        # 15 of the 20 try to land mid-request; a quarter of all is enough to be no empty test
        assert kills_in_flight >= KILLS // 4, f"too few kills landed mid-request (seed {seed})"
        # Then once more, to the end.
        finish = sender(config)
        assert finish.wait(120) == 0, f"the last run did not deliver everything (seed {seed})"
        for document_id in ids(saved):
            assert len(on_server(engine, "QuestionnaireResponse", document_id)) == 1, seed
            assert len(on_server(engine, "DocumentReference", document_id)) == 1, seed
        assert len(engine.search("QuestionnaireResponse")) == RECORDS
        assert len(engine.search("DocumentReference")) == RECORDS
        # Some kills came after the server stored a summary and before the kiosk noted it:
        # the replay was answered 200 with what the server had.
        statuses = [a["status"] for a in engine.arrivals() if a["resourceType"] != "Questionnaire"]
        assert statuses.count(201) == 2 * RECORDS
        assert 200 in statuses, f"no kill landed between storing and noting (seed {seed})"
        # The stored order is the saved order.
        first_stored = list(
            dict.fromkeys(
                a["identifier"]
                for a in engine.arrivals()
                if a["resourceType"] == "QuestionnaireResponse"
            )
        )
        assert first_stored == ids(saved)
    finally:
        engine.stop()
    with ClinicDb(kiosk.places["db"]) as db:
        assert {e.state for e in Outbox(db).entries()} == {"delivered"}
