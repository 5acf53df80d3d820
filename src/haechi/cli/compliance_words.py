"""Compliance table cells in the dashboard's words for a Korean reader.

The tables of ``controls`` and ``evidence`` show codes (``monitoring_result``,
``contradicts``, ``needs_review``) in English and for scripts; a Korean reader gets the
words the dashboard's compliance pages use, from its catalogue via :func:`vocabulary`,
and the Korean title or detail the service already keeps beside the English one.
"""

from __future__ import annotations

from typing import Any

from .language import korean, tr, vocabulary


def _ko(item: dict[str, Any], key: str) -> Any:
    return item.get(f"{key}_ko") or item.get(key) if korean() else item.get(key)


def proof(r: dict[str, Any]) -> str:
    """Whether a control is proven: ``fresh``, ``missing plan, E-67`` or ``ready`` (codes)."""
    if r["effective"]:
        return "fresh"
    missing = r["health"]["missing_types"] + r["health"]["open_negative"]
    return ("missing " + ", ".join(missing)) if missing else "ready"


def proof_words(r: dict[str, Any]) -> str:
    """The proof cell as the dashboard's control list words it."""
    if not korean():
        return proof(r)
    if r["effective"]:
        return vocabulary("compliance.states", "fresh")
    missing = [vocabulary("compliance.types", t) for t in r["health"]["missing_types"]] + r["health"]["open_negative"]
    if missing:
        return f"{vocabulary('compliance', 'missing')}: {', '.join(missing)}"
    return vocabulary("compliance", "ready")


def control_row(r: dict[str, Any]) -> dict[str, Any]:
    """A control list row; Korean readers see the control's Korean title where others see its key."""
    return r | {"key": _ko(r, "title") if korean() else r["key"], "proof": proof_words(r),
                "status": vocabulary("compliance.states", r["status"])}


def evidence_row(r: dict[str, Any]) -> dict[str, Any]:
    return r | {"evidence_type": vocabulary("compliance.types", r["evidence_type"]),
                "polarity": vocabulary("compliance", r["polarity"]), "title": _ko(r, "title"),
                "freshness": vocabulary("compliance.states", r.get("freshness"))}


def obligation_row(o: dict[str, Any]) -> dict[str, Any]:
    return o | {"status": vocabulary("rules.status", o["status"])}


def event_row(e: dict[str, Any]) -> dict[str, Any]:
    return e | {"kind": vocabulary("compliance.events", e["kind"]), "to": vocabulary("compliance.states", e["to"]),
                "detail": _ko(e, "detail")}


def library_row(c: dict[str, Any]) -> dict[str, Any]:
    """A control of the library: its title, the evidence that proves it and its owner in words
    (topics stay the codes that packs and plans name)."""
    return c | {"title": _ko(c, "title"), "owner": vocabulary("card.owners", c["owner"]),
                "evidence_types": ", ".join(vocabulary("compliance.types", t) for t in c["evidence_types"])}


def _evidence_kind(kind: str) -> str:
    """How the evidence came in: a file, a link, a record, or made by Haechi itself."""
    if kind == "auto":
        return tr("evidence.kind_auto", "auto")
    return vocabulary("compliance", kind) if kind == "file" else vocabulary("compliance.types", kind)


def evidence_detail(d: dict[str, Any]) -> dict[str, Any]:
    """``evidence show``: the item, its review and revisions in the dashboard's words."""
    review = d.get("review") or {}
    return d | {**evidence_row(d), "kind": _evidence_kind(d["kind"]),
                "review": review | {"status": vocabulary("compliance.review.states", review.get("status")),
                                    "mode": vocabulary("compliance.review.modes", review.get("mode"))},
                "revisions": [r | {"title": _ko(r, "title")} for r in d["revisions"]]}
