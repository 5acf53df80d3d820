"""Ledger export for outside verifiers, and offline verification of an export.

The export is one JSON document: the organisation, every entry of its chain up to a
checkpoint signed at export time, all checkpoints, and the public keys that signed
them. ``verify_export_file`` needs only that file and the public key the verifier
trusts (obtained separately, e.g. from ``haechi init`` or the organisation's website);
it never opens a database.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from haechi.domain.errors import BadRequest, Issue, ValidationFailed

from .keys import key_id, load_public_key
from .verify import Problem, VerifyReport, verify_ledger

EXPORT_FORMAT = "haechi-ledger-export/1"
ENTRY_FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "payload",
    "prev_hash",
    "hash",
)
CHECKPOINT_FIELDS = ("seq", "head_hash", "at", "key_id", "signature")


def build_export(
    org: dict[str, Any],
    entries: list[dict[str, Any]],
    checkpoints: list[dict[str, Any]],
    keys: list[dict[str, str]],
    *,
    exported_at: str,
    exported_by: str,
) -> dict[str, Any]:
    """The export document (entries must end at the seq of the newest checkpoint)."""
    last = entries[-1] if entries else None
    return {
        "format": EXPORT_FORMAT,
        "org": org,
        "exported_at": exported_at,
        "exported_by": exported_by,
        "head": {"seq": last["seq"] if last else 0, "hash": last["hash"] if last else None},
        "keys": keys,
        "checkpoints": checkpoints,
        "entries": [{k: e[k] for k in ENTRY_FIELDS} for e in entries],
    }


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON through a temporary file and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_export(path: Path) -> dict[str, Any]:
    """Load and shape-check an export file; errors name the file, line and field."""
    if not path.is_file():
        raise BadRequest(
            f"export file {path} not found",
            key="ledger.export_file_not_found", values={"path": path},
        )
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"{path} is not valid JSON",
            issues=[
                Issue(
                    "",
                    exc.msg,
                    "pass the file written by 'haechi audit export' unchanged",
                    exc.lineno,
                    str(path),
                )
            ],
            key="ledger.not_valid_json", values={"path": path},
        ) from None
    _check_shape(data, str(path))
    return data


def _check_shape(data: Any, source: str) -> None:
    issues: list[Issue] = []
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValidationFailed(
            f"{source} is not a Haechi ledger export ({EXPORT_FORMAT})",
            issues=[
                Issue(
                    "format",
                    f"expected '{EXPORT_FORMAT}'",
                    "export the ledger with 'haechi audit export FILE'",
                    file=source,
                )
            ],
            key="ledger.not_haechi_ledger_export", values={"source": source},
        )
    for name, fields in (("entries", ENTRY_FIELDS), ("checkpoints", CHECKPOINT_FIELDS)):
        items = data.get(name)
        if not isinstance(items, list):
            issues.append(
                Issue(
                    name, "missing or not a list", "restore the original export file", file=source
                )
            )
            continue
        for i, item in enumerate(items):
            wrong = [f for f in fields if not isinstance(item, dict) or not _typed(f, item.get(f))]
            if wrong:
                issues.append(
                    Issue(
                        f"{name}[{i}]",
                        f"missing or wrongly typed: {', '.join(wrong)}",
                        "restore the original export file",
                        file=source,
                    )
                )
    if not isinstance(data.get("org"), dict) or not data["org"].get("slug"):
        issues.append(Issue("org.slug", "missing", "restore the original export file", file=source))
    if issues:
        raise ValidationFailed(
            f"{source}: malformed ledger export ({len(issues)} problems)",
            issues=issues[:20],
            key="ledger.malformed_ledger_export_problems", values={"count": len(issues), "source": source},
        )


def _typed(name: str, value: Any) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool)
        if name == "seq"
        else isinstance(value, str)
    )


def verify_export(data: dict[str, Any], trusted_key: Ed25519PublicKey) -> VerifyReport:
    """Verify an export against the public key the verifier trusts; no database involved."""
    trusted_id = key_id(trusted_key)
    keys = {trusted_id: trusted_key}
    entries = sorted(data["entries"], key=lambda e: (e["seq"],))
    head = data.get("head") or {}
    recorded_head = (head["seq"], head["hash"]) if head.get("hash") else None
    report = verify_ledger(data["org"]["slug"], entries, recorded_head, data["checkpoints"], keys)
    _require_full_signature(report, data, trusted_id)
    return report


def _require_full_signature(report: VerifyReport, data: dict[str, Any], trusted_id: str) -> None:
    """Trust an export only if a valid checkpoint by the trusted key covers its last entry."""
    if report.problems:
        return
    if not any(cp["key_id"] == trusted_id for cp in data["checkpoints"]):
        report.problems.append(
            Problem(
                None,
                "unknown_key",
                "no checkpoint in the export is signed by the given public key",
                "주어진 공개키로 서명된 체크포인트가 없습니다",
            )
        )
    elif report.signed_through < report.head_seq:
        report.problems.append(
            Problem(
                report.signed_through + 1,
                "unsigned",
                f"entries {report.signed_through + 1}–{report.head_seq} are not covered "
                "by any signed checkpoint",
                "서명되지 않은 항목이 있습니다",
            )
        )


def verify_export_file(export_path: Path, public_key_path: Path) -> VerifyReport:
    """``haechi audit verify --export FILE --public-key KEY``: check an export offline."""
    if not public_key_path.is_file():
        raise BadRequest(
            f"public key file {public_key_path} not found",
            key="ledger.public_key_file_not", values={"public_key_path": public_key_path},
        )
    trusted = load_public_key(public_key_path.read_text(errors="replace"), str(public_key_path))
    return verify_export(read_export(export_path), trusted)
