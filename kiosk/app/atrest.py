"""Encryption at rest, for clinics that set ``encryption_password`` in the config.

* PDFs are encrypted with AES-256 by pypdf (the standard PDF security handler), so
  any PDF reader opens them with the password.
* The QuestionnaireResponse JSON is sealed with AES-256-GCM; the key comes from the
  password through scrypt. The sealed file is itself JSON (``{"sealed": ...}``), so
  tools that list the folder still see what it is. The key is derived once per salt
  and process (scrypt is slow on purpose).

Without a password nothing changes: ``seal_json``/``encrypt_pdf`` are not called, and
``open_json`` passes plain files through.
"""

from __future__ import annotations

import base64
import io
import json
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "dn-kiosk-sealed/1"
_SCRYPT_N = 2**15


class SealedError(ValueError):
    """A sealed file that cannot be opened: no password given, or the wrong one."""


@lru_cache(maxsize=8)
def _key(password: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=8, p=1).derive(password.encode("utf-8"))


@lru_cache(maxsize=1)
def _process_salt() -> bytes:
    # One salt per process: every file written by this process shares one derived key.
    return os.urandom(16)


def new_salt() -> bytes:
    """A fresh random salt, for a store that seals many small values with one key."""
    return os.urandom(16)


def seal_json(plain: bytes, password: str, salt: bytes | None = None) -> bytes:
    """``plain`` sealed; with ``salt`` (``new_salt``) the key is derived from that salt
    instead of this process's, so a store of many values needs one scrypt to open them."""
    salt = _process_salt() if salt is None else salt
    nonce = os.urandom(12)
    data = AESGCM(_key(password, salt)).encrypt(nonce, plain, FORMAT.encode())
    wrapper = {
        "sealed": FORMAT,
        "kdf": {"name": "scrypt", "n": _SCRYPT_N, "r": 8, "p": 1},
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "data": base64.b64encode(data).decode(),
    }
    return json.dumps(wrapper, indent=1).encode()


def is_sealed(blob: bytes) -> bool:
    return blob.lstrip()[:1] == b"{" and f'"sealed": "{FORMAT}"'.encode() in blob[:200]


def open_json(blob: bytes, password: str) -> bytes:
    """The plain JSON of a file that may be sealed; plain files pass through."""
    if not is_sealed(blob):
        return blob
    if not password:
        raise SealedError("this record is encrypted and no encryption_password is configured")
    try:
        wrapper = json.loads(blob)
        salt = base64.b64decode(wrapper["salt"])
        nonce = base64.b64decode(wrapper["nonce"])
        data = base64.b64decode(wrapper["data"])
        return AESGCM(_key(password, salt)).decrypt(nonce, data, FORMAT.encode())
    except InvalidTag:
        raise SealedError("the encryption password does not open this record") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise SealedError(f"this encrypted record is damaged ({type(exc).__name__})") from None


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def decrypt_pdf(pdf: bytes, password: str) -> bytes:
    """The plain PDF, for printing (CUPS prints an encrypted PDF blank)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    if not reader.is_encrypted:
        return pdf
    if not password or not reader.decrypt(password):
        raise SealedError("the encryption password does not open this PDF")
    writer = PdfWriter(clone_from=reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
