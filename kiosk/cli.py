"""Command line and wiring: the only place that joins the UI, the report and the core.

``python -m kiosk`` (or ``main.py``) starts the kiosk. Without a screen:
``validate-content [DIR]`` checks a content folder, ``export-questionnaire [-o FILE]``
writes it as a FHIR Questionnaire, ``render RESPONSE.json -o OUT.pdf`` turns a saved
QuestionnaireResponse (of any content version kept beside the records) into the
clinician's PDF, ``reindex`` rebuilds the clinician's list from the saved files, and
``deliver`` sends what waits for the clinic's FHIR server now. Qt
and ReportLab are imported only when needed, so these run on a machine without a screen
or Qt's system libraries.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.app.config import Config, ConfigError, load_config
from kiosk.app.storage import atomic_write, clean_stale_temp_files
from kiosk.content.cache import load_content, load_content_cached
from kiosk.content.loader_support import ContentInvalid
from kiosk.content.paths import assets_dir, bundled_content_dir
from kiosk.domain.model import Content
from kiosk.domain.problems import Problem, located, report
from kiosk.interop import fhir
from kiosk.saving import PdfSummaryWriter, render_patient_copy, render_record

if TYPE_CHECKING:
    from kiosk.app.archive import Archive
    from kiosk.app.clinic import ClinicServices
    from kiosk.app.courier import CourierThread

log = logging.getLogger("kiosk")

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_NO_DISPLAY = 3
EXIT_NO_QT = 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk", description="Dry-needling intake kiosk."
    )
    parser.add_argument("--kiosk", action="store_true", help="full screen, for the waiting room")
    parser.add_argument("--config", type=Path, metavar="PATH", help="settings file (TOML)")
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("validate-content", help="check a content folder and list its problems")
    check.add_argument(
        "folder", nargs="?", type=Path, help="the folder (default: the bundled content)"
    )
    export = sub.add_parser(
        "export-questionnaire", help="write the content as a FHIR R4 Questionnaire"
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="file to write (default: stdout)"
    )
    render = sub.add_parser(
        "render", help="render a saved QuestionnaireResponse as the clinician's PDF"
    )
    render.add_argument("response", type=Path, metavar="RESPONSE.json")
    render.add_argument("-o", "--output", type=Path, metavar="OUT.pdf", required=True)
    render.add_argument(
        "--patient-copy",
        action="store_true",
        help="the patient's own copy instead, in the language they used (to print for them)",
    )
    sub.add_parser(
        "reindex",
        help="rebuild the clinician's list (the archive index) from the saved summaries",
    )
    add = sub.add_parser("add-clinician", help="create a clinician account (asks for a password)")
    add.add_argument("name")
    remove = sub.add_parser("remove-clinician", help="delete a clinician account")
    remove.add_argument("name")
    sub.add_parser("list-clinicians", help="list the clinician accounts")
    sub.add_parser("review", help="review every kiosk's summaries from the FHIR server (a window)")
    send = sub.add_parser("deliver", help="send the summaries waiting for the FHIR server now")
    send.add_argument("--wait", action="store_true", help="keep trying until none waits")
    check_cfg = sub.add_parser(
        "check-config", help="check a settings file and this machine against it"
    )
    check_cfg.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="the file (default: the search path)"
    )
    check_cfg.add_argument(
        "--online",
        action="store_true",
        help="also ask the FHIR server (fhir_base_url) and say what it answered",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "validate-content":
        return validate_content(args.folder or bundled_content_dir())
    if args.command == "check-config":
        return check_config(args.path or args.config, online=args.online)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        # A screen someone can see: not the offscreen or minimal platform of tests and CI.
        shown = os.environ.get("QT_QPA_PLATFORM", "") not in ("offscreen", "minimal")
        if args.command is None and shown and display_problem() is None:
            try:
                from kiosk.ui.startup_error import run_startup_error
            except ImportError:
                pass  # no Qt: the sentence below is all we can do
            else:
                # The same lines as on stderr and from check-config.
                lines = report(exc.subject, exc.problems).splitlines()
                return run_startup_error("This kiosk is not ready", lines, args.kiosk)
        print(report(exc.subject, exc.problems), file=sys.stderr)
        return EXIT_USAGE
    if args.command == "export-questionnaire":
        return export_questionnaire(config, args.output)
    if args.command == "render":
        return render(config, args.response, args.output, args.patient_copy)
    if args.command == "reindex":
        return reindex(config)
    if args.command in ("add-clinician", "remove-clinician", "list-clinicians"):
        return clinicians(config, args.command, getattr(args, "name", ""))
    if args.command == "review":
        if display_problem():
            print(display_problem(), file=sys.stderr)
            return EXIT_NO_DISPLAY
        from kiosk.ui.review import run_review

        return run_review(config, _content_or_report(config))
    if args.command == "deliver":
        from kiosk.app.sending import deliver

        return deliver(config, _content_or_report(config), args.wait)
    return run(config, kiosk_mode=args.kiosk)


def clinic_db_path(config: Config) -> Path:
    return config.data_dir / "clinic.sqlite3"


def clinicians(config: Config, command: str, name: str) -> int:
    from kiosk.app import commands
    from kiosk.app.db import ClinicDb

    try:
        db = ClinicDb(clinic_db_path(config))
    except (OSError, sqlite3.Error) as exc:
        print(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc, file=sys.stderr)
        return 1
    try:
        if command == "add-clinician":
            return commands.add_clinician(db, name)
        if command == "remove-clinician":
            return commands.remove_clinician(db, name)
        return commands.list_clinicians(db)
    finally:
        db.close()


def open_clinic(
    config: Config, content: Content | None, courier: CourierThread | None = None
) -> tuple[ClinicServices | None, str]:
    """The clinician side's services, or None and a sentence saying why not. The FHIR
    courier starts here: once this copy holds the single-copy lock, after the first frame."""
    if courier is not None:
        courier.start()
    from kiosk.app.accounts import Accounts
    from kiosk.app.audit import Audit
    from kiosk.app.clinic import ClinicServices
    from kiosk.app.content_pack import content_notice
    from kiosk.app.db import ClinicDb
    from kiosk.app.queue import PrintQueue
    from kiosk.app.summaries import SummaryIndex

    # Leftovers of a write that a crash or power cut interrupted (never a whole summary).
    for folder in (config.output_dir, config.spool_folder):
        try:
            removed = clean_stale_temp_files(folder)
        except OSError as exc:
            log.warning("cannot tidy %s (%s)", folder, exc.strerror)
        else:
            if removed:
                log.info("removed %d unfinished temporary file(s) from %s", removed, folder)
    if content is None:
        return None, "The content files have problems (see the welcome screen); fix them first."
    path = clinic_db_path(config)
    try:
        db = ClinicDb(path)
    except (OSError, sqlite3.Error) as exc:
        log.error("clinic database %s cannot be opened: %s", path, exc)
        return None, f"The clinic's database {path} cannot be opened: {exc}"
    services = ClinicServices(
        db=db,
        accounts=Accounts(db),
        audit=Audit(db),
        index=SummaryIndex(
            db, config.output_dir, content, config.encryption_password, deliver=config.delivery_on
        ),
        queue=PrintQueue(db),
        folder=config.output_dir,
        printer=config.printer,
        idle_seconds=config.clinician_idle_seconds,
        retention_days=config.retention_days,
        pdf_password=config.encryption_password,
        deliver=config.delivery_on,
        wake_courier=courier.wake if courier is not None else None,
        content_notice=content_notice(config.content_dir, content) if content else "",
    )
    try:
        deleted = services.purge_old()
    except OSError as exc:
        log.error("retention: could not delete old summaries (%s)", exc.strerror)
    else:
        if deleted:
            log.info(
                "retention: deleted %d summaries older than %d days",
                len(deleted),
                config.retention_days,
            )
    return services, ""


def _content_or_report(config: Config) -> Content | None:
    try:
        return load_content(config.content_dir, assets_dir())
    except ContentInvalid as exc:
        print(report(exc.subject, exc.problems), file=sys.stderr)
        return None


def export_questionnaire(config: Config, output: Path | None) -> int:
    content = _content_or_report(config)
    if content is None:
        return EXIT_USAGE
    try:
        data = json.dumps(fhir.questionnaire(content), ensure_ascii=False, indent=2) + "\n"
    except fhir.ExportError as exc:
        print(f"Cannot export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if output is None:
        sys.stdout.write(data)
        return EXIT_OK
    try:
        atomic_write(output, data.encode("utf-8"), replace=True)
    except OSError as exc:
        print(f"Cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Questionnaire {fhir.QUESTIONNAIRE_URL}|{content.version} written to {output}")
    return EXIT_OK


def render(config: Config, source: Path, output: Path, patient_copy: bool = False) -> int:
    """Render a QuestionnaireResponse into the PDF the kiosk would have made for it
    (or, with ``patient_copy``, the patient's own copy in their language).

    Every problem with the input is one line naming the item and the reason; exit 2.
    """
    content = _content_or_report(config)
    if content is None:
        return EXIT_USAGE
    from kiosk.app.atrest import SealedError, encrypt_pdf, open_json

    def unreadable(reason: str) -> int:
        print(report(str(source), [Problem(str(source), "", reason)]), file=sys.stderr)
        return EXIT_USAGE

    try:
        data = json.loads(open_json(source.read_bytes(), config.encryption_password))
    except SealedError as exc:
        return unreadable(str(exc))
    except OSError as exc:
        return unreadable(f"cannot be read: {exc.strerror or exc}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return unreadable(f"not valid JSON: {exc}")
    from kiosk.app.versions import ContentVersions, response_version

    # A response from an older content version is read with that version's content, as
    # kept beside the records (questionnaires/<version>.content.json) when its first
    # summary was saved; a version kept nowhere is a problem with the input, as before.
    version = response_version(data)
    versions = ContentVersions(content, [config.output_dir, config.spool_folder])
    content = versions.get(version, source.parent) or content
    try:
        record = fhir.parse_response(content, data)
    except fhir.ResponseInvalid as exc:
        print(report(str(source), located(str(source), exc.problems)), file=sys.stderr)
        return EXIT_USAGE
    if patient_copy:
        pdf = render_patient_copy(content, record, config.clinic_name)
    else:
        pdf = render_record(content, record, config.clinic_name)
    if config.encryption_password:
        pdf = encrypt_pdf(pdf, config.encryption_password)
    try:
        atomic_write(output, pdf, replace=True)
    except OSError as exc:
        print(f"Cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    what = "patient's copy" if patient_copy else "summary"
    print(f"{output}: {what} {record.document_id} ({len(pdf)} bytes)")
    return EXIT_OK


def reindex(config: Config) -> int:
    """``reindex``: rebuild the archive index from the summaries in the output and spool
    folders. Unreadable files are named by file name only; exit 1 if there are any."""
    from kiosk.app.archive import reindex as rebuild
    from kiosk.app.db import ClinicDb
    from kiosk.app.versions import ContentVersions

    content = _content_or_report(config)
    if content is None:
        return EXIT_USAGE
    versions = ContentVersions(content, [config.output_dir, config.spool_folder])
    try:
        with ClinicDb(clinic_db_path(config)) as db:
            report = rebuild(
                db,
                *(config.output_dir, config.spool_folder, versions),
                config.encryption_password,
                config.delivery_on,
            )
    except (OSError, sqlite3.Error) as exc:
        print(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc, file=sys.stderr)
        return 1
    total = report.folder + report.spool
    summaries = "summary" if total == 1 else "summaries"
    print(
        f"Indexed {total} {summaries}: {report.folder} in the output "
        f"folder {config.output_dir}, {report.spool} in the spool folder {config.spool_folder}."
    )
    if report.unreadable:
        print(f"{len(report.unreadable)} file(s) could not be read and are not listed:")
        for name, reason in report.unreadable:
            print(f"  {name}: {reason}")
        return 1
    return EXIT_OK


def validate_content(folder: Path) -> int:
    try:
        content = load_content(folder, assets_dir())
    except ContentInvalid as exc:
        print(report(exc.subject, exc.problems))
        return 1
    print(
        f"{folder}: content version {content.version} is valid: "
        f"{len(content.education)} pages, {len(content.statements)} check statements, "
        f"{len(content.questions)} questions, {len(content.rules)} rules."
    )
    return EXIT_OK


def check_config(path: Path | None, online: bool = False) -> int:
    """``check-config [PATH] [--online]``: every problem with the settings and with this
    machine, one ``file: key: reason`` per line; exit 1 if there is any. With ``online``
    (and a FHIR server set), the server is asked too, and what it answered is printed."""
    from kiosk.app.config import (
        check_environment,
        config_from_settings,
        config_search_path,
        find_config,
        read_settings,
    )

    if path is None:
        path = find_config()
        searched = ", ".join(str(p) for p in config_search_path())
        if path is None:
            print(f"No settings file found (looked for {searched}); checking the defaults.")
        else:
            print(f"Checking {path} (found on the search path: {searched}).")
    count = 0
    try:
        if path is None:
            config = Config()
        else:
            settings = read_settings(path)
            count = len(settings)
            config = config_from_settings(settings, path)
    except ConfigError as exc:
        problems = exc.problems
    else:
        problems = tuple(check_environment(config, path))
        if online and not problems:
            from kiosk.app.fhir_config import check_online

            problems = tuple(check_online(config, str(path or ""), print))
    if problems:
        print(report(str(path or "the defaults"), problems))
        return 1
    print(f"OK: {path or 'the defaults'} ({count} settings)")
    return EXIT_OK


def display_problem() -> str | None:
    """One sentence for a front-desk person when Qt has nowhere to draw, else None."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform != "linux":
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "No display found: start the kiosk from the desktop session, or without a screen run "
        "it under a virtual one with: xvfb-run -s '-screen 0 1280x800x24' ./run-kiosk.sh"
    )


def run(config: Config, kiosk_mode: bool) -> int:
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_NO_DISPLAY
    from kiosk.logs import setup_logging

    try:
        where = setup_logging(config.data_dir)
    except OSError as exc:
        log.warning("no log file: %s (logging to the terminal only)", exc.strerror or exc)
    else:
        log.info("logging to %s", where)
    try:
        from kiosk.ui.app import run_app
    except ImportError as exc:
        print(qt_import_problem(exc), file=sys.stderr)
        return EXIT_NO_QT
    content: Content | None = None
    problems: tuple[str, ...] = ()
    try:  # validated content is kept between starts (kiosk.content.cache)
        content = load_content_cached(config.content_dir, assets_dir(), config.data_dir / "cache")
    except ContentInvalid as exc:
        problems = tuple(str(p) for p in exc.problems)
        log.error(
            "content folder %s has %d problem(s); the kiosk shows them to staff",
            exc.folder,
            len(problems),
        )
    courier = None
    if config.delivery_on and content is not None:
        from kiosk.app.sending import courier_thread

        courier = courier_thread(config, content)
    try:
        return run_app(
            config,
            content,
            problems,
            PdfSummaryWriter(
                config.output_dir,
                config.clinic_name,
                config.spool_folder,
                config.encryption_password,
                archive=_archive(config, content, courier),
            ),
            kiosk_mode,
            open_clinic=lambda: open_clinic(config, content, courier),
        )
    finally:
        if courier is not None:
            courier.stop()  # a request cut short is sent again next time, harmlessly


def _archive(
    config: Config, content: Content | None, courier: CourierThread | None
) -> Archive | None:
    """The archive index the writer keeps at each save (None: no content, no saves)."""
    if content is None:
        return None
    from kiosk.app.archive import Archive

    return Archive(
        clinic_db_path(config),
        content,
        config.content_dir,
        config.encryption_password,
        deliver=config.delivery_on,
        on_queued=courier.wake if courier is not None else None,
    )


def qt_import_problem(exc: ImportError) -> str:
    text = str(exc)
    if ".so" in text:
        library = text.split(":", 1)[0].strip()
        return (
            f"Qt cannot start because the system library {library} is missing: "
            "run ./run-kiosk.sh as root once (it installs what Qt needs), "
            "or install it with apt-get."
        )
    return "Qt (PySide6) is not installed: start the kiosk with ./run-kiosk.sh, which sets it up."
