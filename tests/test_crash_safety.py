"""Saving survives being killed at any moment, and two kiosks never overwrite each other.

The invariant these tests hold the storage to (``kiosk.app.storage``):

* a file with a final name (``NAME.pdf``, ``NAME.json``) is always complete: exactly the
  bytes that were saved, never a prefix, never another save's bytes;
* a PDF always has its record (JSON) beside it, because the record is published first;
* a record without its PDF can exist: the process died between the two. It is an
  *incomplete* save: the patient never saw the thank-you screen. The clinician's list
  (``kiosk.app.summaries``) shows only pairs, so it never offers it; the record is
  complete, so ``python -m kiosk render`` can still make its PDF;
* a killed write can leave a temporary file ``.NAME.<8 hex>.tmp`` (at most one per
  kill); ``clean_stale_temp_files`` removes those once they are older than a minute;
* a summary already in the folder is never changed or replaced, by anyone.

Children are plain Python processes (no Qt) that save fixed, real bytes in a loop: the
PDF of a full record, and its QuestionnaireResponse with the document id changed per save.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kiosk.app.db import ClinicDb
from kiosk.app.storage import TEMP_NAME, SaveError, clean_stale_temp_files, save_summary
from kiosk.app.summaries import SummaryIndex
from kiosk.domain.model import Content
from kiosk.saving import render_record, response_json
from tests.test_fhir import full_record

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
KILLS = 200
#: How long each child saves before it is killed, in seconds (uniform).
KILL_AFTER = (0.005, 0.030)
SESSIONS = 200

# A child that saves summaries until it is killed. argv: folder, pdf, json template, id.
_SAVE_FOREVER = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from kiosk.domain.session import new_document_id
    from kiosk.app.storage import base_name, save_summary

    folder = Path(sys.argv[1])
    pdf = Path(sys.argv[2]).read_bytes()
    template = Path(sys.argv[3]).read_bytes()
    template_id = sys.argv[4].encode()
    print("ready", flush=True)
    while True:
        document_id = new_document_id()
        record = template.replace(template_id, document_id.encode())
        save_summary(folder, base_name(dt.datetime.now(), document_id), pdf, record)
    """
)

# A kiosk saving SESSIONS summaries, as fast as it can, once the start file exists.
# argv: folder, pdf, tag, mode ("unique" or "same"), count, start file.
# Prints one JSON line: {"start": t, "end": t, "results": [[name, outcome], ...]}.
_SAVE_SESSIONS = textwrap.dedent(
    """
    import datetime as dt, json, os, sys, time
    from pathlib import Path
    from kiosk.domain.session import new_document_id
    from kiosk.app.storage import SaveError, base_name, save_summary

    folder, pdf_path, tag, mode, count, start = sys.argv[1:7]
    folder, pdf = Path(folder), Path(pdf_path).read_bytes()
    created = dt.datetime(2026, 11, 27, 14, 15, 2)  # every name from the same second
    while not os.path.exists(start):
        time.sleep(0.0005)
    began = time.time()
    results = []
    for i in range(int(count)):
        if mode == "same":
            name = base_name(created, f"DN-SAME{i:04d}")
        else:
            name = base_name(created, new_document_id())
        record = json.dumps({"writer": tag, "seq": i, "name": name}).encode()
        try:
            save_summary(folder, name, pdf, record)
            outcome = "saved"
        except SaveError as exc:
            outcome = "exists" if "already exists" in str(exc) else "error: " + str(exc)
        results.append([name, outcome])
    print(json.dumps({"start": began, "end": time.time(), "results": results}), flush=True)
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


@dataclass(frozen=True)
class Bytes:
    pdf: Path
    pdf_pages: int
    record: Path
    record_id: str


@pytest.fixture(scope="module")
def real_bytes(content: Content, tmp_path_factory: pytest.TempPathFactory) -> Bytes:
    """A real summary PDF and its QuestionnaireResponse, made once."""
    folder = tmp_path_factory.mktemp("bytes")
    record = full_record(content)
    pdf = render_record(content, record, "Crash Test Clinic")
    (folder / "summary.pdf").write_bytes(pdf)
    (folder / "record.json").write_bytes(response_json(content, record))
    return Bytes(
        folder / "summary.pdf",
        len(PdfReader(folder / "summary.pdf").pages),
        folder / "record.json",
        record.document_id,
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _signature(path: Path) -> tuple[int, int, int]:
    """What changes if a file is rewritten or replaced: inode, size, modification time."""
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns


def _kill_one_child(folder: Path, real_bytes: Bytes, rng: random.Random) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SAVE_FOREVER,
            str(folder),
            str(real_bytes.pdf),
            str(real_bytes.record),
            real_bytes.record_id,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=_env(),
    )
    try:
        assert child.stdout is not None
        ready = child.stdout.readline()
        assert ready == "ready\n", f"child did not start: {ready!r}"
        time.sleep(rng.uniform(*KILL_AFTER))
        crashed = child.poll()
        assert crashed is None, f"the child stopped by itself ({crashed})"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    return child


def test_sigkill_at_random_moments_never_leaves_a_partial_or_changed_file(
    tmp_path: Path, real_bytes: Bytes, content: Content
) -> None:
    folder = tmp_path / "summaries"
    folder.mkdir()
    pdf_sha = _sha(real_bytes.pdf)
    template = real_bytes.record.read_bytes()
    rng = random.Random(20261127)
    known: dict[str, tuple[tuple[int, int, int], str]] = {}  # name -> (signature, sha256)
    temp_files: set[str] = set()
    lone_records: set[str] = set()
    for kill in range(KILLS):
        _kill_one_child(folder, real_bytes, rng)
        names = {p.name for p in folder.iterdir()}
        temps = {n for n in names if TEMP_NAME.fullmatch(n)}
        finals = names - temps
        # Every earlier file is still there, untouched.
        for name, (sig, _sha256) in known.items():
            assert name in finals, f"kill {kill}: {name} disappeared"
            assert _signature(folder / name) == sig, f"kill {kill}: {name} was changed"
        # Every new file under a final name is complete.
        for name in sorted(finals - known.keys()):
            path = folder / name
            if name.endswith(".pdf"):
                assert _sha(path) == pdf_sha, f"kill {kill}: {name} is not the PDF saved"
            else:
                assert name.endswith(".json"), f"kill {kill}: unexpected file {name}"
                document_id = name.removesuffix(".json").split("-", 2)[2]
                expected = template.replace(real_bytes.record_id.encode(), document_id.encode())
                assert path.read_bytes() == expected, f"kill {kill}: {name} is not complete"
            known[name] = (_signature(path), _sha(path))
        # A PDF always has its record; a record may lack its PDF (killed between).
        for name in finals:
            if name.endswith(".pdf"):
                assert name.removesuffix(".pdf") + ".json" in finals, f"{name} has no record"
        lone = {n for n in finals if n.endswith(".json") and n[:-5] + ".pdf" not in finals}
        assert len(lone - lone_records) <= 1, f"kill {kill}: more than one save interrupted"
        assert len(temps - temp_files) <= 1, f"kill {kill}: more than one write interrupted"
        lone_records |= lone
        temp_files |= temps

    pdfs = sorted(n for n in known if n.endswith(".pdf"))
    assert len(pdfs) >= KILLS, "the children hardly saved anything: the test proves little"
    # The kills did land in the middle of saves, or this test would prove nothing.
    assert temp_files, "no kill left a temporary file: no kill landed inside a write"
    assert lone_records, "no kill landed between the record and the PDF"

    # At the end: every file's bytes once more, and pypdf reads a sample of the PDFs.
    for name, (_sig, sha256) in known.items():
        assert _sha(folder / name) == sha256, name
    for name in random.Random(1).sample(pdfs, 10):
        assert len(PdfReader(folder / name).pages) == real_bytes.pdf_pages
    for name in known:
        if name.endswith(".json"):
            json.loads((folder / name).read_bytes())

    # The clinician's list shows the complete pairs only; lone records are not offered.
    db = ClinicDb(tmp_path / "clinic.sqlite3")
    try:
        listed = SummaryIndex(db, folder, content).entries()
    finally:
        db.close()
    assert sorted(e.pdf.name for e in listed) == pdfs
    assert not {e.record.name for e in listed} & lone_records

    # Start-up clean-up: leftovers a minute old go; anything else stays.
    fresh = folder / ".20261127-141502-DN-FRESH001.pdf.0123abcd.tmp"
    fresh.write_bytes(b"a write in progress by another kiosk")
    keep = [".hidden", "notes.tmp", ".x.pdf.0123abcZ.tmp", ".x.pdf.0123abcd.tmp.bak"]
    for name in keep:
        (folder / name).write_bytes(b"not ours")
    (folder / ".dir.0123abcd.tmp").mkdir()
    old = time.time() - 120
    for name in [*temp_files, *keep, ".dir.0123abcd.tmp"]:
        os.utime(folder / name, (old, old))
    assert clean_stale_temp_files(folder) == len(temp_files)
    left = {p.name for p in folder.iterdir()}
    assert left == set(known) | set(keep) | {fresh.name, ".dir.0123abcd.tmp"}
    for name, (_sig, sha256) in known.items():
        assert _sha(folder / name) == sha256, f"cleaning changed {name}"
    assert clean_stale_temp_files(folder, older_than=0, now=time.time() + 1) == 1  # the fresh one
    assert clean_stale_temp_files(tmp_path / "missing") == 0
    log.info(
        "%d kills: %d summaries, %d interrupted between record and PDF, "
        "%d temporary files left and cleaned",
        KILLS,
        len(pdfs),
        len(lone_records),
        len(temp_files),
    )


def _run_two_kiosks(folder: Path, pdfs: dict[str, Path], mode: str) -> dict[str, Any]:
    start = folder.parent / f"start-{mode}"
    children = {
        tag: subprocess.Popen(
            [
                sys.executable,
                "-c",
                _SAVE_SESSIONS,
                *(str(folder), str(pdf), tag, mode, str(SESSIONS), str(start)),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=_env(),
        )
        for tag, pdf in pdfs.items()
    }
    time.sleep(0.3)  # both started and waiting
    start.touch()
    reports = {}
    for tag, child in children.items():
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, f"kiosk {tag} failed: {err}"
        reports[tag] = json.loads(out)
    return reports


@pytest.fixture(scope="module")
def two_pdfs(content: Content, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two different real PDFs, one per kiosk, so the bytes say who wrote a file."""
    folder = tmp_path_factory.mktemp("two")
    record = full_record(content)
    pdfs = {}
    for tag in ("A", "B"):
        pdfs[tag] = folder / f"{tag}.pdf"
        pdfs[tag].write_bytes(render_record(content, record, f"Kiosk {tag}"))
    assert pdfs["A"].read_bytes() != pdfs["B"].read_bytes()
    return pdfs


def _check_overlap(reports: dict[str, Any]) -> None:
    a, b = reports["A"], reports["B"]
    overlap = min(a["end"], b["end"]) - max(a["start"], b["start"])
    shorter = min(a["end"] - a["start"], b["end"] - b["start"])
    assert overlap > 0.5 * shorter, f"the two kiosks hardly ran at the same time: {reports}"


def test_two_kiosks_sharing_a_folder_keep_every_summary(
    tmp_path: Path, two_pdfs: dict[str, Path]
) -> None:
    folder = tmp_path / "shared"
    reports = _run_two_kiosks(folder, two_pdfs, "unique")
    _check_overlap(reports)
    expected: dict[str, str] = {}
    for tag, report in reports.items():
        outcomes = [outcome for _name, outcome in report["results"]]
        assert outcomes == ["saved"] * SESSIONS, f"kiosk {tag}: {set(outcomes)}"
        expected |= {name: tag for name, _outcome in report["results"]}
    assert len(expected) == 2 * SESSIONS  # all names differ, though all share one second
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.{ext}" for name in expected for ext in ("json", "pdf")
    )
    pdf_bytes = {tag: path.read_bytes() for tag, path in two_pdfs.items()}
    for name, tag in expected.items():
        assert json.loads((folder / f"{name}.json").read_bytes())["writer"] == tag
        assert (folder / f"{name}.pdf").read_bytes() == pdf_bytes[tag]


def test_two_kiosks_saving_the_same_names_never_overwrite(
    tmp_path: Path, two_pdfs: dict[str, Path]
) -> None:
    """Forced name clashes: for each name exactly one kiosk wins, the other is told."""
    folder = tmp_path / "shared"
    reports = _run_two_kiosks(folder, two_pdfs, "same")
    _check_overlap(reports)
    outcomes = {tag: dict(report["results"]) for tag, report in reports.items()}
    assert outcomes["A"].keys() == outcomes["B"].keys()
    pdf_bytes = {tag: path.read_bytes() for tag, path in two_pdfs.items()}
    wins = {"A": 0, "B": 0}
    for name in outcomes["A"]:
        pair = {tag: outcomes[tag][name] for tag in ("A", "B")}
        assert sorted(pair.values()) == ["exists", "saved"], f"{name}: {pair}"
        winner = next(tag for tag, outcome in pair.items() if outcome == "saved")
        wins[winner] += 1
        record = json.loads((folder / f"{name}.json").read_bytes())
        assert record["writer"] == winner, f"{name}: the loser's record replaced the winner's"
        assert (folder / f"{name}.pdf").read_bytes() == pdf_bytes[winner], name
    assert len(list(folder.iterdir())) == 2 * SESSIONS  # no temporary files, nothing else
    log.info("same-name race: kiosk A won %d, kiosk B won %d", wins["A"], wins["B"])


def test_each_file_reaches_the_disk_before_its_name_and_the_name_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a SIGKILL cannot show: a power cut. The data is fsynced before the file gets
    its final name, and the folder is fsynced after, so the name survives too."""
    events: list[tuple[str, int, str]] = []
    real_fsync, real_link, real_replace = os.fsync, os.link, os.replace

    def fsync(fd: int) -> None:
        real_fsync(fd)
        info = os.fstat(fd)
        events.append(("fsync-dir" if stat.S_ISDIR(info.st_mode) else "fsync", info.st_ino, ""))

    def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        real_link(src, dst, *args, **kwargs)
        events.append(("publish", os.stat(dst).st_ino, Path(dst).name))

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        real_replace(src, dst, *args, **kwargs)
        events.append(("publish", os.stat(dst).st_ino, Path(dst).name))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)
    folder = tmp_path / "out"
    saved = save_summary(folder, "20261127-141502-DN-7K3QX2M9", b"%PDF-1.4 x", b"{}")
    folder_ino = folder.stat().st_ino
    for path in (saved.record, saved.pdf):
        ino = path.stat().st_ino
        published = events.index(("publish", ino, path.name))
        assert ("fsync", ino, "") in events[:published], f"{path.name} named before its data"
        assert ("fsync-dir", folder_ino, "") in events[published + 1 :], (
            f"the folder was not fsynced after {path.name} got its name"
        )
    # The record is published (and on disk) before the PDF.
    assert events.index(("publish", saved.record.stat().st_ino, saved.record.name)) < (
        events.index(("publish", saved.pdf.stat().st_ino, saved.pdf.name))
    )


def test_a_file_where_the_folder_should_be_is_not_called_a_name_clash(tmp_path: Path) -> None:
    blocker = tmp_path / "summaries"
    blocker.write_text("not a folder")
    with pytest.raises(SaveError) as caught:
        save_summary(blocker, "20261127-141502-DN-7K3QX2M9", b"%PDF-1.4 x", b"{}")
    assert str(caught.value) == f"could not save the summary in {blocker}: it is not a folder"
