"""The signed passport document: canonical form, Ed25519 signature and offline verification.

Pure (no database, no network). A passport is an envelope::

    {"passport": {...payload...},
     "signature": {"alg": "Ed25519", "key_id": "...", "value": "<base64>"}}

The signature covers ``b"haechi-passport-v1\\n"`` followed by the canonical JSON of the
payload (sorted keys, compact, UTF-8). The prefix keeps a passport signature from ever
being mistaken for a ledger checkpoint signature made with a related key.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from haechi.domain.errors import BadRequest, Issue
from haechi.ledger import canonical_json
from haechi.ledger.keys import Signer, key_id, load_public_key, verify_signature

DOMAIN = b"haechi-passport-v1\n"
TYPE = "haechi-trust-passport"
FORMAT_VERSION = 1
CLOCK_SKEW = dt.timedelta(minutes=5)


def signed_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes a passport signature covers."""
    return DOMAIN + canonical_json(payload).encode("utf-8")


def sign(payload: dict[str, Any], signer: Signer) -> dict[str, Any]:
    """Wrap ``payload`` in a signed envelope."""
    return {"passport": payload,
            "signature": {"alg": "Ed25519", "key_id": signer.key_id, "value": signer.sign(signed_bytes(payload))}}


@dataclass
class Verification:
    """What a verifier found, check by check; ``ok`` only when every check passed."""

    signature_valid: bool = False
    key_id: str | None = None
    key_source: str = "none"  # pinned | embedded | none
    fresh: bool = False
    issued_at: str | None = None
    expires_at: str | None = None
    system: str | None = None
    org: str | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signature_valid and self.fresh and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "signature_valid": self.signature_valid, "key_id": self.key_id,
                "key_source": self.key_source, "fresh": self.fresh, "issued_at": self.issued_at,
                "expires_at": self.expires_at, "system": self.system, "org": self.org,
                "problems": self.problems, "warnings": self.warnings}


def parse_envelope(raw: bytes | str, source: str = "passport") -> dict[str, Any]:
    """Read a passport file's JSON and check its shape; clear errors name what is missing."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise BadRequest(f"{source} is not JSON: {exc}", issues=[Issue(source, "not a JSON document",
                         "pass the .json file of a passport (from /p/<org>/<system>.json)", file=source)],
                         key="passport.not_json", values={"source": source}) from None
    problems = []
    if not isinstance(data, dict) or not isinstance(data.get("passport"), dict):
        problems.append(Issue("passport", "missing the 'passport' object", "is this a Haechi passport file?"))
    elif not isinstance(data.get("signature"), dict) or not data["signature"].get("value"):
        problems.append(Issue("signature", "missing the signature", "the file must be the signed JSON as published"))
    elif data["passport"].get("type") != TYPE:
        problems.append(Issue("passport.type", f"type is not '{TYPE}'", "pass a Haechi trust passport"))
    if problems:
        raise BadRequest(f"{source} is not a Haechi passport", issues=problems,
                         key="passport.not_haechi_passport", values={"source": source})
    return data


def _time(value: Any) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def verify(envelope: dict[str, Any], trusted: list[Ed25519PublicKey] | None = None,
           now: dt.datetime | None = None) -> Verification:
    """Check signature and freshness of a parsed passport, offline.

    ``trusted``: keys obtained independently (the organisation's published key file).
    Without them the key embedded in the passport is used and the result warns that it
    only proves the document is unchanged since signing by *that* key.
    """
    payload, signature = envelope["passport"], envelope["signature"]
    issuer = payload.get("issuer") or {}
    result = Verification(key_id=signature.get("key_id"), system=(payload.get("subject") or {}).get("system"),
                          org=issuer.get("org"), issued_at=payload.get("issued_at"),
                          expires_at=payload.get("expires_at"))
    keys = {key_id(k): k for k in (trusted or [])}
    if keys:
        result.key_source = "pinned"
    elif issuer.get("public_key"):
        embedded = load_public_key(str(issuer["public_key"]), "issuer.public_key")
        keys = {key_id(embedded): embedded}
        result.key_source = "embedded"
        result.warnings.append("no trusted key given: checked against the key inside the passport; compare its "
                               f"key id {key_id(embedded)} with the organisation's published key")
    key = keys.get(str(signature.get("key_id")))
    if key is None:
        result.problems.append(f"signed by key {signature.get('key_id')}, which is not among the trusted keys")
    elif signature.get("alg") != "Ed25519":
        result.problems.append(f"unsupported signature algorithm {signature.get('alg')!r}")
    else:
        result.signature_valid = verify_signature(key, str(signature.get("value")), signed_bytes(payload))
        if not result.signature_valid:
            result.problems.append("the signature does not match the content: the passport was altered")
    _check_time(result, now or dt.datetime.now(dt.UTC))
    return result


def _check_time(result: Verification, now: dt.datetime) -> None:
    issued, expires = _time(result.issued_at), _time(result.expires_at)
    if issued is None or expires is None:
        result.problems.append("issued_at or expires_at is missing or not a timestamp")
        return
    if issued > now + CLOCK_SKEW:
        result.problems.append(f"issued in the future ({result.issued_at})")
    result.fresh = now <= expires
    if not result.fresh:
        result.problems.append(f"expired at {result.expires_at}: ask the organisation for a current passport")


def read_keys(path: Path) -> list[Ed25519PublicKey]:
    """Trusted keys from a PEM file or the published ``passport-keys.json``."""
    if not path.is_file():
        raise BadRequest(f"key file {path} not found", key="passport.key_file_not_found", values={"path": path})
    return keys_from_text(path.read_text(errors="replace"), str(path))


def keys_from_text(text: str, source: str) -> list[Ed25519PublicKey]:
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
            return [load_public_key(k["public_key"], source) for k in data.get("keys", [])]
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise BadRequest(f"{source} is not a passport key list", issues=[Issue(
                source, "expected {\"keys\": [{\"public_key\": PEM}]}",
                "download /.well-known/haechi/<org>/passport-keys.json", file=source)],
                key="passport.not_passport_key_list", values={"source": source}) from None
    return [load_public_key(text, source)]
