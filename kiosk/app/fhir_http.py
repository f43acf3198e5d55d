"""Talking to the clinic's FHIR server: HTTP(S) with the standard library, a bearer token
from a file or OAuth2 client credentials, the clinic's own certificate authority, and a
timeout on every request.

Nothing here logs, and no error message quotes what was sent: errors name the server's
address, the HTTP status and the kind of failure. Redirects are not followed (they are
answered as they come), so the kiosk's token never goes to an address the clinic did not
configure.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kiosk.app.config import Config

#: What staff read when the server refuses the kiosk's credentials (401 or 403).
CREDENTIALS_REFUSED = (
    "The clinic's server refused the kiosk's credentials: check fhir_token_file (or the "
    "client credentials) in the kiosk's settings"
)
#: The most of an answer the kiosk reads (a transaction answer may repeat the PDF).
MAX_ANSWER = 64 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: its status, its JSON (None if it had none) and a few headers."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    #: The start of a body that is not JSON (an HTML error page), for the reason.
    text: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def retry_after(self) -> float | None:
        """Seconds the server asked to wait (``Retry-After`` in seconds), if it said."""
        value = self.headers.get("retry-after", "").strip()
        return float(value) if value.isdigit() else None


class Unreachable(Exception):
    """No HTTP answer: connection refused, timed out, name not found, TLS refused."""

    def __init__(self, reason: str, tls: bool = False) -> None:
        super().__init__(reason)
        #: The server's certificate was not trusted (a settings problem, not the network).
        self.tls = tls


class CredentialsProblem(Exception):
    """The kiosk's own credentials cannot be read, or the token endpoint refused them.

    ``key`` is the setting at fault, for check-config.
    """

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key


class Credentials(Protocol):
    def token(self) -> str:
        """The bearer token to send now; raises ``CredentialsProblem``."""
        ...

    def refused(self) -> None:
        """The server refused the last token: get a new one next time."""
        ...


class TokenFile:
    """A bearer token kept in a file, read again whenever the file changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int, int] | None = None
        self._token = ""

    def token(self) -> str:
        try:
            st = self.path.stat()
            seen = (st.st_mtime_ns, st.st_size, st.st_ino)
            if seen != self._seen:
                self._token = self.path.read_text(encoding="utf-8").strip()
                self._seen = seen
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise CredentialsProblem(
                "fhir_token_file", f"the token file {self.path} cannot be read ({reason})"
            ) from None
        if not self._token:
            raise CredentialsProblem("fhir_token_file", f"the token file {self.path} is empty")
        return self._token

    def refused(self) -> None:
        self._seen = None


class ClientCredentials:
    """OAuth2 client credentials: a token from ``token_url``, kept until it expires."""

    def __init__(
        self,
        client_id: str,
        secret_file: Path,
        token_url: str,
        post: Callable[[str, bytes, dict[str, str]], Reply],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client_id = client_id
        self.secret_file = secret_file
        self.token_url = token_url
        self._post = post
        self._clock = clock
        self._token = ""
        self._until = 0.0

    def token(self) -> str:
        if self._token and self._clock() < self._until:
            return self._token
        try:
            secret = self.secret_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise CredentialsProblem(
                "fhir_client_secret_file",
                f"the client secret file {self.secret_file} cannot be read ({reason})",
            ) from None
        # RFC 6749 2.3.1: the id and secret form-encoded, then as HTTP Basic.
        pair = f"{_form(self.client_id)}:{_form(secret)}".encode()
        headers = {
            "Authorization": "Basic " + base64.b64encode(pair).decode("ascii"),
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        try:
            reply = self._post(self.token_url, b"grant_type=client_credentials", headers)
        except Unreachable as exc:
            raise CredentialsProblem(
                "fhir_token_url", f"the token endpoint {self.token_url} cannot be reached: {exc}"
            ) from None
        body = reply.body if isinstance(reply.body, dict) else {}
        token = body.get("access_token")
        if not reply.ok or not isinstance(token, str) or not token:
            said = body.get("error") or reply.text[:80] or "no access_token"
            raise CredentialsProblem(
                "fhir_client_id",
                f"the token endpoint {self.token_url} refused the client credentials "
                f"(HTTP {reply.status}: {said})",
            )
        expires = body.get("expires_in")
        lifetime = float(expires) if isinstance(expires, int | float) else 300.0
        self._token, self._until = token, self._clock() + max(0.0, lifetime - 30)
        return token

    def refused(self) -> None:
        self._token = ""


def _form(text: str) -> str:
    return urllib.parse.quote_plus(text)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx comes back as the answer


class FhirClient:
    """Requests to one FHIR server. Thread-safe: one request at a time."""

    def __init__(
        self,
        base_url: str,
        *,
        credentials: Credentials | None = None,
        ca_file: Path | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
        if base_url.startswith("https:") or ca_file is not None:
            context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self._opener = urllib.request.build_opener(*handlers)
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Config) -> FhirClient:
        """The client the settings describe (``fhir_base_url`` must be set)."""
        client = cls(
            config.fhir_base_url, ca_file=config.fhir_ca_file, timeout=config.fhir_timeout_seconds
        )
        if config.fhir_token_file is not None:
            client.credentials = TokenFile(config.fhir_token_file)
        elif config.fhir_client_id and config.fhir_client_secret_file and config.fhir_token_url:
            client.credentials = ClientCredentials(
                config.fhir_client_id,
                config.fhir_client_secret_file,
                config.fhir_token_url,
                client.post_form,
            )
        return client

    def request(self, method: str, path: str, body: object = None) -> Reply:
        """``method`` on ``base_url/path`` with a JSON body; a 401 gets one more try with
        fresh credentials. Raises ``Unreachable`` or ``CredentialsProblem``."""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        url = f"{self.base_url}/{path.lstrip('/')}"
        if path.startswith(("https://", "http://")):  # a search's next page
            if not path.startswith(f"{self.base_url}/"):
                raise Unreachable("the server's next page is at another address: not followed")
            url = path
        reply = Reply(0)
        for _ in range(2):
            headers = {"Accept": "application/fhir+json", "Prefer": "return=minimal"}
            if data is not None:
                headers["Content-Type"] = "application/fhir+json; charset=utf-8"
            if self.credentials is not None:
                headers["Authorization"] = f"Bearer {self.credentials.token()}"
            reply = self._send(method, url, data, headers)
            if reply.status != 401 or self.credentials is None:
                return reply
            self.credentials.refused()
        return reply

    def post_form(self, url: str, data: bytes, headers: dict[str, str]) -> Reply:
        return self._send("POST", url, data, headers)

    def _send(self, method: str, url: str, data: bytes | None, headers: dict[str, str]) -> Reply:
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        with self._lock:
            try:
                with self._opener.open(request, timeout=self.timeout) as answer:
                    return _reply(answer.status, answer.headers, answer.read(MAX_ANSWER))
            except urllib.error.HTTPError as exc:
                with exc:
                    return _reply(exc.code, exc.headers, exc.read(MAX_ANSWER))
            except urllib.error.URLError as exc:
                raise _unreachable(exc.reason, self.timeout) from None
            except (OSError, http.client.HTTPException) as exc:
                raise _unreachable(exc, self.timeout) from None


def _reply(status: int, headers: Message | None, raw: bytes) -> Reply:
    wanted = ("retry-after", "location", "content-type")
    kept = {k: str(headers.get(k, "")) for k in wanted if headers is not None and headers.get(k)}
    try:
        return Reply(status, json.loads(raw.decode("utf-8")) if raw else None, kept)
    except (UnicodeDecodeError, ValueError):
        text = raw[:200].decode("utf-8", "replace")
        return Reply(status, None, kept, " ".join(text.split()))


def _unreachable(reason: object, timeout: float) -> Unreachable:
    """Why there was no answer, in words for staff (never what was sent)."""
    if isinstance(reason, ssl.SSLCertVerificationError):
        said = reason.verify_message or "certificate verify failed"
        return Unreachable(
            f"the server's certificate is not trusted ({said}); if the clinic has its own "
            "certificate authority, set fhir_ca_file",
            tls=True,
        )
    if isinstance(reason, ssl.SSLError):
        return Unreachable(f"the secure connection failed ({reason.reason or 'TLS'})", tls=True)
    if isinstance(reason, TimeoutError):
        return Unreachable(f"no answer within {timeout:g} seconds")
    if isinstance(reason, ConnectionRefusedError):
        return Unreachable("the connection was refused (is the server running?)")
    if isinstance(reason, socket.gaierror):
        return Unreachable("the server's name was not found")
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return Unreachable(f"the connection broke ({type(reason).__name__})")
    if isinstance(reason, OSError) and reason.strerror:
        return Unreachable(reason.strerror)
    return Unreachable(str(reason) if isinstance(reason, str) else type(reason).__name__)
