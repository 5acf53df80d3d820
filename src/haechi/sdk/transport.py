"""Where SDK batches go: the HTTP API (``url=``) or the lake directly (``path=``).

A transport's ``send`` returns a :class:`Delivery` for a batch the receiver has
acknowledged durably, raises :class:`Retry` when it should be kept and tried later
(network down, server busy or unavailable, credentials being fixed), and raises
:class:`Rejected` for a batch that can never be accepted (malformed data).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

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
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.base = f"{url.rstrip('/')}/api/v1/systems/{system}"
        self.client = httpx.Client(headers=headers, timeout=timeout)

    def reopened(self) -> HttpTransport:
        # The parent's client is left alone: closing it here would tear down its sockets.
        return HttpTransport(*self._args)

    def send(self, kind: Kind, encoding: Encoding, body: bytes) -> Delivery:
        try:
            response = self.client.post(f"{self.base}/{kind}", content=body, headers={"Content-Type": MEDIA[encoding]})
        except httpx.HTTPError as exc:  # refused, reset, timed out, DNS...
            raise Retry(f"{type(exc).__name__}: {exc}") from None
        return _judge(response)

    def close(self) -> None:
        self.client.close()


def _judge(response: httpx.Response) -> Delivery:
    status = response.status_code
    if status == 200:
        data = response.json()
        return Delivery(data["stored"], data["duplicates"], data["rejected_count"])
    if status == 413:
        raise TooLarge(response.text[:300])
    if status in (400, 415, 422):
        raise Rejected(f"{status}: {_message(response)}")
    # 401/403/404 (configuration being fixed), 408, 429, 5xx: keep and retry.
    raise Retry(f"{status}: {_message(response)}")


def _message(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:300]


class LakeTransport:
    """Writes batches straight into a local lake (no server), with the same validation."""

    def __init__(self, path: Path, system: str, org: str | None) -> None:
        from haechi.monitor.lake import Lake

        root = _lake_root(Path(path))
        self.sl = Lake(root).system(org or _only_org(root), system)

    def send(self, kind: Kind, encoding: Encoding, body: bytes) -> Delivery:
        from haechi.domain.errors import HaechiError
        from haechi.monitor.formats import decode
        from haechi.monitor.ingest import ingest_events, ingest_labels

        try:
            raw = decode(body, MEDIA[encoding], labels=kind == "labels")
            ingest = ingest_labels if kind == "labels" else ingest_events
            result = ingest(self.sl, raw)
        except HaechiError as exc:
            raise Rejected(exc.render()) from None
        except OSError as exc:  # disk full, permissions: keep the batch
            raise Retry(str(exc)) from None
        return Delivery(result.stored, result.duplicates, len({e.row for e in result.rejected}))

    def reopened(self) -> LakeTransport:
        return self  # no connections: files are opened per batch

    def close(self) -> None:
        return None


def _lake_root(path: Path) -> Path:
    """Accept a Haechi home (with ``lake/`` or ``haechi.db``) or the lake itself."""
    if (path / "lake").is_dir() or (path / "haechi.db").exists():
        return path / "lake"
    return path


def _only_org(root: Path) -> str:
    env = os.environ.get("HAECHI_ORG")
    if env:
        return env
    orgs = [p.name for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
    if len(orgs) == 1:
        return orgs[0]
    raise ValueError(f"Monitor(path={str(root)!r}) needs org=... (organisations found: {', '.join(orgs) or 'none'})")


def describe(target: Any) -> str:
    return target.base if isinstance(target, HttpTransport) else str(getattr(target, "sl", "lake"))
