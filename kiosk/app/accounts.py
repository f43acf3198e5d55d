"""Clinician accounts: a name and an Argon2id password hash, with a lockout.

Five wrong passwords in a row lock the account for five minutes (a right password while
locked is refused too); a success resets the count. A name that has no account fails
exactly like a wrong password, with its own count and lockout kept in memory, so the
answers never tell whether a name exists. Every attempt is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.app.audit import Audit
from kiosk.app.db import ClinicDb, optional_time, to_text

MAX_TRIES = 5
LOCK_MINUTES = 5
MIN_PASSWORD = 8
NAME_MAX = 60

log = logging.getLogger("kiosk.clinic")


class AccountError(ValueError):
    """A staff-readable reason, such as "a clinician called 'X' already exists"."""


@dataclass(frozen=True)
class SignIn:
    ok: bool
    clinician_id: int | None
    name: str
    #: Tries left after this attempt (0 while locked).
    tries_left: int
    #: When the lock ends, if the account is locked now.
    locked_until: dt.datetime | None


def clean_clinician_name(raw: str) -> str:
    """The name as stored; ``AccountError`` if it is empty, too long or has control characters."""
    name = unicodedata.normalize("NFC", raw).strip()
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise AccountError("a clinician's name cannot contain control characters")
    name = " ".join(name.split())
    if not name:
        raise AccountError("a clinician's name cannot be empty")
    if len(name) > NAME_MAX:
        raise AccountError(f"a clinician's name can have at most {NAME_MAX} characters")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")


@dataclass
class _Ghost:
    """The failure count of a name that has no account."""

    failed: int = 0
    locked_until: dt.datetime | None = None


class Accounts:
    """Clinician accounts in the clinic database.

    ``hasher`` is for tests (cheap parameters); the kiosk uses argon2-cffi's defaults,
    which are Argon2id with the RFC 9106 low-memory profile.
    """

    _GHOSTS_MAX = 256

    def __init__(self, db: ClinicDb, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.audit = Audit(db)
        self._hasher = hasher if hasher is not None else PasswordHasher()
        self._dummy: str | None = None
        self._ghosts: dict[str, _Ghost] = {}
        self._ghost_lock = threading.Lock()

    # ------------------------------------------------------------ managing

    def add(self, name: str, password: str) -> int:
        name = clean_clinician_name(name)
        check_password(password)
        digest = self._hasher.hash(password)
        with self.db.transaction() as conn:
            if self._find(name) is not None:
                raise AccountError(f"a clinician called {name!r} already exists")
            cursor = conn.execute(
                "INSERT INTO clinicians (name, hash, failed, locked_until, created) "
                "VALUES (?, ?, 0, NULL, ?)",
                (name, digest, to_text(self.db.clock())),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def remove(self, name: str) -> None:
        """Delete the account; its audit entries stay, by id."""
        with self.db.transaction() as conn:
            row = self._find(name)
            if row is None:
                raise AccountError(f"there is no clinician called {name.strip()!r}")
            conn.execute("DELETE FROM clinicians WHERE id = ?", (row[0],))

    def names(self) -> list[str]:
        """Every clinician's name, sorted."""
        names = [r["name"] for r in self.db.query("SELECT name FROM clinicians")]
        return sorted(names, key=lambda n: (n.casefold(), n))

    def name_of(self, clinician_id: int) -> str:
        rows = self.db.query("SELECT name FROM clinicians WHERE id = ?", (clinician_id,))
        if not rows:
            raise AccountError(f"there is no clinician with id {clinician_id}")
        name: str = rows[0]["name"]
        return name

    def _find(self, name: str) -> tuple[int, str] | None:
        """(id, stored name) of the account with this name, ignoring case."""
        try:
            wanted = clean_clinician_name(name).casefold()
        except AccountError:
            return None
        for row in self.db.query("SELECT id, name FROM clinicians"):
            if row["name"].casefold() == wanted:
                return row["id"], row["name"]
        return None

    # ------------------------------------------------------------ signing in

    def sign_in(self, name: str, password: str) -> SignIn:
        now = self.db.clock()
        found = self._find(name)
        if found is None:
            return self._ghost_sign_in(name, password, now)
        clinician_id, stored_name = found
        rows = self.db.query(
            "SELECT hash, failed, locked_until FROM clinicians WHERE id = ?", (clinician_id,)
        )
        if not rows:  # removed between the two reads
            return self._ghost_sign_in(name, password, now)
        locked_until = optional_time(rows[0]["locked_until"])
        if locked_until is not None and now < locked_until:
            self.audit.log("failed-sign-in", clinician_id)
            return SignIn(False, None, stored_name, 0, locked_until)

        digest: str = rows[0]["hash"]
        ok = self._verify(digest, password, clinician_id)
        if ok:
            rehashed = (
                self._hasher.hash(password) if self._hasher.check_needs_rehash(digest) else None
            )
            with self.db.transaction() as conn:
                conn.execute(
                    "UPDATE clinicians SET failed = 0, locked_until = NULL, hash = ? WHERE id = ?",
                    (rehashed or digest, clinician_id),
                )
                self.audit.log("sign-in", clinician_id)
            return SignIn(True, clinician_id, stored_name, MAX_TRIES, None)

        with self.db.transaction() as conn:
            # Counted from the row as it is now: another attempt may have run meanwhile.
            current = conn.execute(
                "SELECT failed, locked_until FROM clinicians WHERE id = ?", (clinician_id,)
            ).fetchone()
            previous = 0 if current is None else int(current["failed"])
            lock = None if current is None else optional_time(current["locked_until"])
            if lock is not None and now >= lock:
                previous, lock = 0, None  # a lock that has run out starts a fresh count
            if lock is None:
                failed = previous + 1
                if failed >= MAX_TRIES:
                    lock = now + dt.timedelta(minutes=LOCK_MINUTES)
                    log.warning("clinician %d locked for %d minutes", clinician_id, LOCK_MINUTES)
                conn.execute(
                    "UPDATE clinicians SET failed = ?, locked_until = ? WHERE id = ?",
                    (failed, None if lock is None else to_text(lock), clinician_id),
                )
            else:  # locked by another attempt meanwhile
                failed = MAX_TRIES
            self.audit.log("failed-sign-in", clinician_id)
        return SignIn(False, None, stored_name, max(0, MAX_TRIES - failed), lock)

    def _verify(self, digest: str, password: str, clinician_id: int | None) -> bool:
        try:
            return self._hasher.verify(digest, password)
        except InvalidHashError:
            log.error("clinician %s: the stored password hash is unreadable", clinician_id)
            return False
        except VerificationError:  # includes VerifyMismatchError
            return False

    def _ghost_sign_in(self, name: str, password: str, now: dt.datetime) -> SignIn:
        """Fail like a wrong password, taking as long, with a count of its own."""
        if self._dummy is None:
            self._dummy = self._hasher.hash("not a password: no such account")
        key = " ".join(name.split()).casefold()
        with self._ghost_lock:
            ghost = self._ghosts.get(key)
            if ghost is None:
                if len(self._ghosts) >= self._GHOSTS_MAX:
                    self._ghosts.clear()
                ghost = self._ghosts[key] = _Ghost()
            locked = ghost.locked_until is not None and now < ghost.locked_until
        if locked:
            self.audit.log("failed-sign-in")
            return SignIn(False, None, name.strip(), 0, ghost.locked_until)
        self._verify(self._dummy, password, None)
        with self._ghost_lock:
            ghost.failed = 1 if ghost.locked_until is not None else ghost.failed + 1
            ghost.locked_until = None
            if ghost.failed >= MAX_TRIES:
                ghost.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            failed, lock = ghost.failed, ghost.locked_until
        self.audit.log("failed-sign-in")
        return SignIn(False, None, name.strip(), max(0, MAX_TRIES - failed), lock)
