"""Documents handed out earlier, read back as witnesses of the chain.

Every ledger export, dossier and report (JSON or HTML) and every trust passport carries the
signed checkpoint it was made from. Whoever received one holds a copy of the chain head
that nobody with access to the workspace can take back: ``haechi audit verify --witness
FILE`` checks the chain against it. A file is recognised by its content:

* ledger export (``haechi audit export``): its checkpoints;
* dossier or report as JSON: the ``checkpoint`` object;
* dossier or report as HTML: the ``haechi-ledger-checkpoint`` meta element;
* passport (the signed JSON): ``claims.ledger``, after checking the passport's signature
  with the organisation's passport key.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from haechi.domain.errors import BadRequest, Issue, PayloadTooLarge

from .crosscheck import Witness
from .verify import Problem

#: A witness larger than this is refused (an export of a million entries is ~500 MB).
MAX_WITNESS_BYTES = 1 << 30
_META = re.compile(rb"<meta\s+name=\"haechi-ledger-checkpoint\"\s+content='([^']*)'", re.I)
_CHECKPOINT_TYPES = {"seq": int, "head_hash": str, "at": str, "key_id": str}


def read_witness(path: Path, passport_keys: Callable[[], list[Ed25519PublicKey]]) -> tuple[str | None, Witness]:
    """Parse one witness file; return the organisation it names and what it carries.

    ``passport_keys`` gives the keys a passport's signature is checked with (asked only
    when the file is a passport).
    """
    raw = _read(path)
    source = path.name
    meta = _META.search(raw[:1 << 20]) if raw.lstrip()[:1] == b"<" else None
    if meta is not None:
        return _from_checkpoint(json.loads(html.unescape(meta.group(1).decode())), source, "html")
    data = _json(raw, source)
    if data.get("format") == "haechi-ledger-export/1":
        return _from_export(data, source)
    if isinstance(data.get("passport"), dict):
        return _from_passport(data, source, passport_keys())
    if isinstance(data.get("checkpoint"), dict):
        return _from_checkpoint(data["checkpoint"], source, "document")
    raise _not_a_witness(source)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise BadRequest(f"witness file {path.name} not found",
                         key="ledger.witness_file_not_found", values={"name": path.name})
    if path.stat().st_size > MAX_WITNESS_BYTES:
        raise PayloadTooLarge(f"witness file {path.name} is larger than {MAX_WITNESS_BYTES >> 20} MiB",
                              key="ledger.witness_file_larger_than",
                              values={"limit": MAX_WITNESS_BYTES >> 20, "name": path.name})
    return path.read_bytes()


def _json(raw: bytes, source: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise _not_a_witness(source) from None
    if not isinstance(data, dict):
        raise _not_a_witness(source)
    return data


def _not_a_witness(source: str) -> BadRequest:
    return BadRequest(
        f"{source} is not a Haechi document carrying a ledger checkpoint",
        issues=[Issue(source, "no ledger checkpoint found",
                      "pass a ledger export, a dossier or report (JSON or HTML) or a passport JSON, unchanged",
                      file=source)],
        key="ledger.not_haechi_document_carrying", values={"source": source})


def _checkpoint(cp: Any, source: str) -> dict[str, Any]:
    if not isinstance(cp, dict) or any(not isinstance(cp.get(k), t) for k, t in _CHECKPOINT_TYPES.items()):
        raise BadRequest(f"{source}: the ledger checkpoint is incomplete",
                         issues=[Issue("checkpoint", "needs seq, head_hash, at and key_id",
                                       "pass the document unchanged", file=source)],
                         key="ledger.ledger_checkpoint_incomplete", values={"source": source})
    return {k: cp.get(k) for k in ("number", "seq", "head_hash", "at", "key_id", "signature")}


def _from_checkpoint(cp: Any, source: str, kind: str) -> tuple[str | None, Witness]:
    checkpoint = _checkpoint(cp, source)
    org = cp.get("org") if isinstance(cp.get("org"), str) else None
    return org, Witness(source, kind, [checkpoint])


def _from_export(data: dict[str, Any], source: str) -> tuple[str | None, Witness]:
    from .export import _check_shape

    _check_shape(data, source)
    return data["org"]["slug"], Witness(source, "export", [_checkpoint(c, source) for c in data["checkpoints"]])


def _from_passport(data: dict[str, Any], source: str,
                   keys: list[Ed25519PublicKey]) -> tuple[str | None, Witness]:
    from haechi.passport.document import parse_envelope, signed_bytes

    from .keys import key_id, verify_signature

    envelope = parse_envelope(json.dumps(data), source)
    payload = envelope["passport"]
    org = (payload.get("issuer") or {}).get("org")
    ledger = (payload.get("claims") or {}).get("ledger")
    if not isinstance(ledger, dict):
        raise _not_a_witness(source)
    witness = Witness(source, "passport", [_checkpoint(ledger, source)])
    signature = envelope["signature"]
    key = {key_id(k): k for k in keys}.get(str(signature.get("key_id")))
    if key is None or not verify_signature(key, str(signature.get("value")), signed_bytes(payload)):
        witness.problems.append(Problem(
            None, "witness_altered",
            f"{source}: the passport's signature does not verify with the organisation's passport key "
            "(the passport was altered, or is not from this workspace)",
            f"{source}: 패스포트 서명이 조직의 패스포트 키로 검증되지 않습니다 (변조되었거나 다른 작업공간의 문서)"))
        witness.checkpoints = []
    return org, witness
