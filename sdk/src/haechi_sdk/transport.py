"""Where SDK batches go: the HTTP API (``url=``) or, with the server installed, a local lake.

A transport's ``send`` returns a :class:`Delivery` for a batch the receiver has
acknowledged durably, raises :class:`Retry` when it should be kept and tried later
(network down, server busy or unavailable, credentials being fixed), and raises
:class:`Rejected` for a batch that can never be accepted (malformed data).

HTTP uses the standard library (``http.client``) with one kept-alive connection per
sender thread, so the SDK installs without dependencies.
"""

from __future__ import annotations

# socket.getaddrinfo() looks the host name up through the "idna" codec, which Python
# imports on first use. Were the sender thread importing it at the moment the application
# forks, the child would inherit a half-initialised module, the codec registry would cache
# "unknown encoding: idna" for good, and every request of the child would fail. Importing
# it with the SDK, before any sender thread exists, takes that moment away.
import encodings.idna  # noqa: F401
import http.client
import json
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from .outbox import Encoding, Kind

MEDIA = {"arrow": "application/vnd.apache.arrow.stream", "ndjson": "application/x-ndjson"}


@dataclass(frozen=True)
class Delivery:
    stored: int
    duplicates: int
    rejected: int


class Retry(Exception):
    """Keep the batch in the outbox and try again later."""


class Rejected(Exception):
    """The receiver refuses the batch for good (its rows are invalid)."""


class TooLarge(Exception):
    """The batch is over the server's body limit: split it."""


class Transport(Protocol):
    def send(self, kind: Kind, encoding: Encoding, body: bytes) -> Delivery: ...

    def reopened(self) -> Transport:
        """The transport for a forked child (connections are never shared across a fork)."""
        ...

    def close(self) -> None: ...


class HttpTransport:
    """POSTs batches to ``/api/v1/systems/{system}/events|labels`` with a bearer token."""

    def __init__(self, url: str, system: str, token: str | None, timeout: float) -> None:
        self._args = (url, system, token, timeout)
        parts = urlsplit(url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"url must be http(s)://host[:port][/prefix], not {url!r}")
        self.https, self.host, self.port = parts.scheme == "https", parts.hostname, parts.port
        self.timeout = timeout
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.base = f"{url.rstrip('/')}/api/v1/systems/{system}"
        self.path = f"{parts.path}/api/v1/systems/{quote(system, safe='')}"
        self._connection: http.client.HTTPConnection | None = None

    def reopened(self) -> HttpTransport:
        # The parent's connection is left alone: closing it here would tear down its socket.
        return HttpTransport(*self._args)

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            if self.https:
                self._connection = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                                               context=ssl.create_default_context())
            else:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._connection

    def send(self, kind: Kind, encoding: Encoding, body: bytes) -> Delivery:
        headers = {**self.headers, "Content-Type": MEDIA[encoding], "Content-Length": str(len(body))}
        # A kept-alive connection the server has meanwhile closed fails at once: try again
        # on a fresh one (safe: the server stores an event id once).
        for attempt in (1, 2):
            reused = self._connection is not None
            try:
                connection = self._connect()
                connection.request("POST", f"{self.path}/{kind}", body=body, headers=headers)
                response = connection.getresponse()
                status, data = response.status, response.read()
            except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, DNS...
                self.close()
                if reused and attempt == 1 and not isinstance(exc, TimeoutError):
                    continue
                raise Retry(f"{type(exc).__name__}: {exc}") from None
            if response.will_close:
                self.close()
            return _judge(status, data)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _judge(status: int, data: bytes) -> Delivery:
    if status == 200:
        try:
            answer = json.loads(data)
            return Delivery(answer["stored"], answer["duplicates"], answer["rejected_count"])
        except (ValueError, KeyError, TypeError):  # e.g. a proxy's or portal's page: not stored by Haechi
            raise Retry(f"200 without Haechi's answer: {data[:120]!r}") from None
    if status == 413:
        raise TooLarge(data[:300].decode(errors="replace"))
    if status in (400, 415, 422):
        raise Rejected(f"{status}: {_message(data)}")
    # 401/403/404 (configuration being fixed), 408, 429, 5xx: keep and retry.
    raise Retry(f"{status}: {_message(data)}")


def _message(data: bytes) -> str:
    try:
        return str(json.loads(data)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return data[:300].decode(errors="replace")


def lake_transport(path: Path, system: str, org: str | None) -> Transport:
    """``Monitor(path=...)``: write into a local lake, which needs the Haechi server package."""
    try:
        from haechi.sdk.lake import LakeTransport
    except ImportError:
        raise ValueError("Monitor(path=...) writes into a local Haechi lake and needs the server package "
                         "(pip install haechi); from a model service use url=... instead") from None
    return LakeTransport(path, system, org)


def describe(target: Any) -> str:
    return target.base if isinstance(target, HttpTransport) else str(getattr(target, "sl", "lake"))
