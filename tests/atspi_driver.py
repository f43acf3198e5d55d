"""Drives the kiosk through AT-SPI only, as a screen reader or a switch does.

Run by tests/test_atspi.py with Debian's system Python (pyatspi is a Debian package, not
in the kiosk's virtual environment), inside ``dbus-run-session`` and with ``DISPLAY``
set to an Xvfb screen:

    /usr/bin/python3 tests/atspi_driver.py LANGUAGE WORDS_JSON -- KIOSK COMMAND...

WORDS_JSON: the kiosk's own words the driver looks for (accessible names), from the
content, in that language.

It starts the kiosk, finds controls by accessible name and role, acts with AT-SPI
actions only (Toggle, Press), listens for focus and announcement events, and prints one
JSON object per step on stdout; the test reads them. Exits 0 when every step was done.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import pyatspi  # type: ignore[import-not-found]
from gi.repository import GLib  # type: ignore[import-not-found]

#: The words the driver looks for, per language (the kiosk's own content strings).
WORDS = {
    "en": {"language": "English", "start": "Start", "true": "True", "next": "Next"},
    "es": {"language": "Español", "start": "Empezar", "true": "Verdadero", "next": "Siguiente"},
    "ar": {"language": "العربية", "start": "البدء", "true": "صحيح", "next": "التالي"},
}

events: list[tuple[str, str, str]] = []


def say(step: str, **facts: object) -> None:
    print(json.dumps({"step": step, **facts}, ensure_ascii=False), flush=True)  # noqa: T201


def pump(seconds: float) -> None:
    """Let AT-SPI events arrive for ``seconds``."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.02)


def on_event(event: Any) -> None:
    kind = str(getattr(event, "type", ""))
    source = getattr(event, "source", None)
    name = ""
    try:
        name = source.name if source is not None else ""
    except Exception:  # a widget deleted since
        name = ""
    detail = str(getattr(event, "any_data", "") or "")
    events.append((kind, name, detail))


def find_app(pid: int, timeout: float = 30) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:
                continue
        pump(0.3)
    raise SystemExit(f"the kiosk (pid {pid}) never appeared on the AT-SPI bus")


def find(app: Any, name: str, timeout: float = 15) -> Any:
    """The showing accessible named ``name`` (an action target), waiting for it."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = pyatspi.findDescendant(
            app,
            lambda node: (
                node is not None
                and node.name == name
                and node.getState().contains(pyatspi.STATE_SHOWING)
            ),
        )
        if found is not None:
            return found
        pump(0.2)
    raise SystemExit(f"nothing named {name!r} is showing")


def act(node: Any, action: str) -> None:
    actions = node.queryAction()
    names = [actions.getName(i) for i in range(actions.nActions)]
    if action not in names:
        raise SystemExit(f"{node.name!r} offers {names}, not {action}")
    actions.doAction(names.index(action))
    pump(0.5)


def showing(app: Any) -> list[Any]:
    """Every showing node under ``app``, walking only into showing parts of the tree."""
    found: list[Any] = []

    def visit(node: Any, depth: int) -> None:
        if node is None or depth > 40:
            return
        try:
            if not node.getState().contains(pyatspi.STATE_SHOWING) and depth > 1:
                return
            found.append(node)
            for child in node:
                visit(child, depth + 1)
        except Exception:  # a node deleted while walking
            return

    visit(app, 0)
    return found


def named(nodes: list[Any], name: str) -> Any:
    return next((n for n in nodes if n.name == name), None)


def control(nodes: list[Any], name: str) -> Any:
    """The showing control named ``name`` that has actions (a button's words are also
    a label of the same name, with none)."""
    for node in nodes:
        if node.name != name:
            continue
        try:
            if node.queryAction().nActions > 0:
                return node
        except NotImplementedError:
            continue
    return None


def field(nodes: list[Any], name: str) -> Any:
    """The editable text field named ``name`` (its label has the same name)."""
    for node in nodes:
        if node.name != name:
            continue
        try:
            node.queryEditableText()
        except NotImplementedError:
            continue
        return node
    return None


def journey(app: Any, words: dict[str, str]) -> None:
    """From the first screen to the thank-you screen with AT-SPI alone: the name and
    date typed with EditableText and the month's buttons, every question and check
    answered "Not sure" by Toggle, and the consent ended with "Talk to my
    physiotherapist first" (a signature cannot be drawn through AT-SPI)."""
    for step in range(120):
        pump(0.3)
        nodes = showing(app)
        names = {n.name for n in nodes}
        if words["done"] in names:
            say("journey", screens=step, done=True)
            return
        name_field = field(nodes, words["name"])
        if name_field is not None and not name_field.queryText().getText(0, -1):
            name_field.queryEditableText().setTextContents("Ana Lima")
            for part, value in ((words["day"], "3"), (words["year"], "1950")):
                field(nodes, part).queryEditableText().setTextContents(value)
            for _ in range(4):
                act(control(nodes, words["month_more"]), "Press")
            pump(0.3)
        talk_first = control(nodes, words["talk_first"])
        if talk_first is not None:
            act(talk_first, "Press")
            act(find(app, words["confirm"]), "Press")
            continue
        unsure = control(nodes, words["unsure"])
        if (
            unsure is not None
            and not unsure.getState().contains(pyatspi.STATE_CHECKED)
            and unsure.getState().contains(pyatspi.STATE_SENSITIVE)
        ):
            act(unsure, "Toggle")
        now = showing(app)
        next_button = control(now, words["next"]) or control(now, words["review_continue"])
        if next_button is None or not next_button.getState().contains(pyatspi.STATE_SENSITIVE):
            raise SystemExit(f"stuck at step {step}: showing {sorted(n for n in names if n)}")
        act(next_button, "Press")
    raise SystemExit("the journey did not end within 120 screens")


def main() -> int:
    language = sys.argv[1]
    command = sys.argv[sys.argv.index("--") + 1 :]
    words = {**WORDS[language], **json.loads(sys.argv[2])}
    kiosk = subprocess.Popen(command, env=os.environ.copy())
    try:
        for kind in ("object:state-changed:focused", "object:announcement"):
            pyatspi.Registry.registerEventListener(on_event, kind)
        app = find_app(kiosk.pid)
        say("found", app=app.name)
        if language != "en":
            button = find(app, words["language"])
            act(button, "Toggle")
        start = find(app, words["start"])
        english = find(app, WORDS["en"]["language"])
        say(
            "language",
            start=start.name,
            english_checked=english.getState().contains(pyatspi.STATE_CHECKED),
        )
        events.clear()
        act(start, "Press")
        # A busy machine may take seconds to build the screen: wait for its announcement.
        for _ in range(50):
            if any(kind == "object:announcement" for kind, _name, _detail in events):
                break
            pump(0.2)
        pump(0.5)
        focused = [name for kind, name, detail in events if kind.endswith("focused") and detail]
        announced = [detail for kind, _name, detail in events if kind == "object:announcement"]
        say("first screen", focused=focused, announced=announced)
        # On to the first check, pressing Next; there Toggle "True" must enable Next.
        for _ in range(20):
            pump(0.3)
            true = pyatspi.findDescendant(
                app,
                lambda node: (
                    node is not None
                    and node.name == words["true"]
                    and node.getState().contains(pyatspi.STATE_SHOWING)
                ),
            )
            if true is not None:
                break
            act(find(app, words["next"]), "Press")
        else:
            raise SystemExit("no check screen within 20 screens")
        next_button = find(app, words["next"])
        before = next_button.getState().contains(pyatspi.STATE_SENSITIVE)
        act(true, "Toggle")
        pump(0.5)
        after = find(app, words["next"]).getState().contains(pyatspi.STATE_SENSITIVE)
        say("check", next_enabled_before=before, next_enabled_after=after)
        act(find(app, words["next"]), "Press")
        journey(app, words)
        return 0
    finally:
        kiosk.terminate()
        try:
            kiosk.wait(10)
        except subprocess.TimeoutExpired:
            kiosk.kill()


if __name__ == "__main__":
    sys.exit(main())
