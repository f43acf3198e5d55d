"""The command-line side of clinician accounts: ``python -m kiosk add-clinician NAME``,
``remove-clinician NAME`` and ``list-clinicians``. Each returns an exit status (0 or 1)
and says what happened in a plain sentence or two.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable

from kiosk.app.accounts import (
    MIN_PASSWORD,
    AccountError,
    Accounts,
    check_password,
    clean_clinician_name,
)
from kiosk.app.db import ClinicDb, ClinicDbError

Ask = Callable[[str], str]
Say = Callable[[str], None]

HOW_TO_SIGN_IN = (
    "On the kiosk, hold the top-left corner for 3 seconds (or press Ctrl+Alt+S) "
    "and choose your name."
)


def add_clinician(db: ClinicDb, name: str, ask: Ask = getpass.getpass, say: Say = print) -> int:
    """Ask for a password twice and add the account."""
    accounts = Accounts(db)
    try:
        name = clean_clinician_name(name)
        if name.casefold() in {n.casefold() for n in accounts.names()}:
            raise AccountError(f"a clinician called {name!r} already exists")
        first = ask(f"Password for {name} (at least {MIN_PASSWORD} characters): ")
        check_password(first)
        if ask("The same password again: ") != first:
            say("The passwords do not match. Nothing was changed.")
            return 1
        accounts.add(name, first)
    except (EOFError, KeyboardInterrupt):
        say("Cancelled. Nothing was changed.")
        return 1
    except (AccountError, ClinicDbError) as exc:
        say(f"{_sentence(str(exc))} Nothing was changed.")
        return 1
    say(f"Added clinician {name!r}. {HOW_TO_SIGN_IN}")
    return 0


def remove_clinician(db: ClinicDb, name: str, say: Say = print) -> int:
    try:
        Accounts(db).remove(name)
    except (AccountError, ClinicDbError) as exc:
        say(_sentence(str(exc)))
        return 1
    say(f"Removed clinician {name.strip()!r}. Their entries in the audit trail stay.")
    return 0


def list_clinicians(db: ClinicDb, say: Say = print) -> int:
    try:
        names = Accounts(db).names()
    except ClinicDbError as exc:
        say(_sentence(str(exc)))
        return 1
    if not names:
        say("No clinician accounts yet. Add one with: python -m kiosk add-clinician NAME")
    for name in names:
        say(name)
    return 0


def _sentence(message: str) -> str:
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."
