"""What a passport may say, field by field, taken from the system's records.

The organisation opts in to each field; nothing else leaves. ``identity`` (id and name)
is always present once a passport is enabled: a passport about nothing says nothing.
"""

from __future__ import annotations

from typing import Any

#: field -> (English label, Korean label)
FIELDS: dict[str, tuple[str, str]] = {
    "identity": ("Identity: names, operator, model, markets", "식별 정보: 이름, 사업자, 모델, 시장"),
    "purpose": ("Purpose and domains", "목적과 영역"),
    "verdicts": ("Classification per jurisdiction", "관할별 분류"),
    "notices": ("User notices (Korean and English)", "이용자 고지문 (한국어·영어)"),
    "oversight": ("Oversight contact", "관리·감독 담당자 연락처"),
    "compliance": ("Obligations met and controls effective", "충족한 의무와 유효한 통제"),
    "monitoring": ("Monitoring highlights", "모니터링 요약"),
    "esg": ("Energy and emissions", "에너지와 배출량"),
    "ledger": ("Ledger checkpoint", "원장 체크포인트"),
}
DEFAULT_FIELDS = ["identity", "purpose", "verdicts", "notices", "oversight"]


def claims(data: dict[str, Any], fields: list[str], checkpoint: dict[str, Any] | None) -> dict[str, Any]:
    """The claims of the chosen ``fields`` from collected data (see reports.collect)."""
    card = data["card"]
    out: dict[str, Any] = {"id": card["id"], "name": card["name"]}
    builders = {"identity": _identity, "purpose": _purpose, "verdicts": _verdicts, "notices": _notices,
                "oversight": _oversight, "compliance": _compliance, "monitoring": _monitoring, "esg": _esg}
    for name in fields:
        if name == "ledger" and checkpoint:
            # The checkpoint's own signature and number travel too, so the passport can be
            # handed to ``haechi audit verify --witness`` as an independent copy of the head.
            keys = ("number", "seq", "head_hash", "at", "key_id", "signature")
            out["ledger"] = {k: checkpoint[k] for k in keys if k in checkpoint}
        elif name in builders:
            out[name] = builders[name](data)
    return out


def _identity(data: dict[str, Any]) -> dict[str, Any]:
    card = data["card"]
    op, model = card.get("operator") or {}, card.get("model") or {}
    return {"name_ko": card.get("name_ko"), "operator": op.get("name"), "operator_country": op.get("country"),
            "roles": card.get("roles"), "markets": card.get("markets"), "model": model.get("name"),
            "model_version": model.get("version"), "revision": data["system"]["revision"]}


def _purpose(data: dict[str, Any]) -> dict[str, Any]:
    card = data["card"]
    return {"description": card.get("description"), "description_ko": card.get("description_ko"),
            "domains": card.get("domains"), "lifecycle_stage": card.get("lifecycle_stage")}


def _verdicts(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in data["verdicts"].get("results", []):
        obligations = r.get("obligations", [])
        out.append({"pack": r.get("pack"), "pack_version": r.get("pack_version"), "pack_sha256": r.get("pack_sha256"),
                    "classes": r.get("classes"), "in_scope": r.get("in_scope"),
                    "obligations_applying": sorted(o["id"] for o in obligations if o.get("status") == "applies")})
    return out


def _notices(data: dict[str, Any]) -> dict[str, Any] | None:
    section = data.get("transparency") or {}
    if not section.get("available"):
        return None
    return {lang: {"text": n.get("text"), "version": n.get("version")}
            for lang, n in (section.get("notices") or {}).items()}


def _oversight(data: dict[str, Any]) -> dict[str, Any] | None:
    return (data["card"].get("owners") or {}).get("oversight")


def _compliance(data: dict[str, Any]) -> dict[str, Any] | None:
    section = data.get("compliance") or {}
    if not section.get("available"):
        return None
    status = section.get("status") or {}
    return {"obligations": status.get("counts"), "coverage": status.get("coverage"),
            "controls_total": (status.get("controls") or {}).get("total"),
            "controls_effective": (status.get("controls") or {}).get("effective")}


def _monitoring(data: dict[str, Any]) -> dict[str, Any] | None:
    section = data.get("monitoring") or {}
    if not section.get("available"):
        return None
    monitors = []
    for m in section.get("monitors", []):
        latest = (m.get("windows") or [{}])[-1] or {}
        fairness = {attr: {k: v.get(k) for k in ("demographic_parity_difference", "equalized_odds_difference")}
                    for attr, v in (latest.get("fairness") or {}).items()}
        monitors.append({"name": m.get("name"), "window_start": latest.get("start"), "n": latest.get("n"),
                         "performance": latest.get("performance"), "fairness": fairness,
                         "thresholds": m.get("thresholds")})
    open_alerts = sum(1 for a in section.get("alerts", []) if a.get("status") in (None, "open"))
    return {"monitors": monitors, "open_alerts": open_alerts}


def _esg(data: dict[str, Any]) -> dict[str, Any] | None:
    section = data.get("esg") or {}
    if not section.get("available"):
        return None
    records = section.get("records", [])
    if not records:  # unknown, not zero: nobody recorded this system's energy
        return {"energy_kwh": None, "emissions_location_tco2e": None, "methods": [], "period": [None, None],
                "records": 0}
    return {"energy_kwh": section["totals"].get("kwh"),
            "emissions_location_tco2e": section["totals"].get("emissions_location_tco2e"),
            "records": len(records),
            "methods": sorted({str(r.get("method")) for r in records}),
            "period": [min((str(r.get("start")) for r in records), default=None),
                       max((str(r.get("end")) for r in records), default=None)]}
