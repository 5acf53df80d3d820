"""``Monitor(path=...)``: the SDK writing straight into a local lake, with the server's validation.

Lives in the server package because it uses the lake and the ingestion code; the SDK
(``haechi_sdk.transport.lake_transport``) imports it only when ``path=`` is given.
"""

from __future__ import annotations

import os
from pathlib import Path

from haechi_sdk.outbox import Encoding, Kind
from haechi_sdk.transport import MEDIA, Delivery, Rejected, Retry


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


