"""OSCAL exports: a component definition and assessment results, checked with trestle.

* **Component definition** — one component per AI system; per law pack a control
  implementation whose ``source`` is the pack (URN with version and checksum), with one
  implemented requirement per applicable obligation (control id = obligation id) and
  the Haechi controls that serve it as statements.
* **Assessment results** — one result per export: a finding per obligation with its
  state (met → ``satisfied``, anything else → ``not-satisfied``, with the reason), and
  observations from the evidence (title, type, SHA-256) linked to the findings.

Documents are built as OSCAL JSON and validated by compliance-trestle's models, then
written from those models, so a document that does not follow OSCAL never leaves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from haechi.domain.errors import MissingExtra, ValidationFailed

OSCAL_VERSION = "1.1.2"
NAMESPACE = uuid.UUID("6b1f0c1e-7a44-4a8e-9b59-48ac0e1c5e55")  # stable uuids per org/system/obligation


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _metadata(title: str, org: dict[str, Any]) -> dict[str, Any]:
    return {"title": title, "last-modified": _now(), "version": "1", "oscal-version": OSCAL_VERSION,
            "parties": [{"uuid": _uuid(org["slug"], "party"), "type": "organization", "name": org["name"]}]}


def _token(value: str) -> str:
    """An OSCAL token (letters, digits, '.', '-', '_'; starts with a letter)."""
    clean = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in value)
    return clean if clean[:1].isalpha() else f"x-{clean}"


def component_definition(systems: list[dict[str, Any]], org: dict[str, Any]) -> dict[str, Any]:
    """``{"component-definition": …}`` for the collected ``systems``."""
    components = [_component(data, org) for data in systems]
    body = {"uuid": _uuid(org["slug"], "component-definition"),
            "metadata": _metadata(f"AI systems of {org['name']}", org), "components": components}
    return {"component-definition": _checked("component", "ComponentDefinition", body)}


def _component(data: dict[str, Any], org: dict[str, Any]) -> dict[str, Any]:
    card = data["card"]
    implementations = []
    for result in data["verdicts"].get("results", []):
        requirements = [_requirement(org, card["id"], ob, data) for ob in result.get("obligations", [])
                        if ob.get("status") in ("applies", "may_apply", "not_in_force")]
        if requirements:
            implementations.append({
                "uuid": _uuid(org["slug"], card["id"], result["pack"]),
                "source": f"urn:haechi:pack:{result['pack']}@{result.get('pack_version')}",
                "description": f"{result['pack']} v{result.get('pack_version')} (sha256 {result.get('pack_sha256')})",
                "implemented-requirements": requirements})
    out = {"uuid": _uuid(org["slug"], card["id"]), "type": "software", "title": card["name"],
           "description": card.get("description") or card["name"],
           "props": [{"name": "asset-type", "value": "software"},
                     {"name": "version", "value": str(data["system"]["revision"])}]}
    if implementations:
        out["control-implementations"] = implementations
    return out


def _requirement(org: dict[str, Any], system: str, ob: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    controls = _controls_for(data, ob["id"])
    req: dict[str, Any] = {"uuid": _uuid(org["slug"], system, ob["id"]), "control-id": _token(ob["id"]),
                           "description": f"{ob.get('title')} — {ob.get('citation')} ({ob.get('status')})"}
    if controls:
        req["statements"] = [{"statement-id": _token(f"{ob['id']}_smt.{c['ref']}"),
                              "uuid": _uuid(org["slug"], system, ob["id"], c["ref"]),
                              "description": f"{c['ref']} {c.get('title') or ''}: {c.get('status')}"} for c in controls]
    return req


def _controls_for(data: dict[str, Any], obligation: str) -> list[dict[str, Any]]:
    section = data.get("compliance") or {}
    if not section.get("available"):
        return []
    return [c for c in (section.get("status") or {}).get("controls_detail", [])
            if obligation in (c.get("obligations") or [])]


def assessment_results(systems: list[dict[str, Any]], org: dict[str, Any]) -> dict[str, Any]:
    """``{"assessment-results": …}``: findings per obligation and evidence observations."""
    results = [_result(data, org) for data in systems]
    body = {"uuid": str(uuid.uuid4()), "metadata": _metadata(f"AI compliance assessment of {org['name']}", org),
            "import-ap": {"href": f"urn:haechi:assessment-plan:{org['slug']}"}, "results": results}
    return {"assessment-results": _checked("assessment_results", "AssessmentResults", body)}


def _result(data: dict[str, Any], org: dict[str, Any]) -> dict[str, Any]:
    card, section = data["card"], data.get("compliance") or {}
    obligations = (section.get("status") or {}).get("obligations", []) if section.get("available") else []
    evidence = section.get("evidence", []) if section.get("available") else []
    observations = [_observation(e) for e in evidence]
    by_control: dict[str, list[str]] = {}
    for ev, obs in zip(evidence, observations, strict=True):
        for control in ev.get("controls") or []:
            by_control.setdefault(control, []).append(obs["uuid"])
    findings = [_finding(org, card["id"], ob, sorted({u for c in ob.get("controls") or []
                                                      for u in by_control.get(c, [])})) for ob in obligations]
    out: dict[str, Any] = {"uuid": str(uuid.uuid4()), "title": f"{card['name']} ({card['id']})",
                           "description": "Obligations of the applicable law packs and the evidence on record."
                           if section.get("available") else "Compliance records are not available in this build.",
                           "start": _now(),
                           "reviewed-controls": {"control-selections": [{"include-all": {}}]}}
    if observations:
        out["observations"] = observations
    if findings:
        out["findings"] = findings
    return out


def _observation(ev: dict[str, Any]) -> dict[str, Any]:
    digest = ev.get("sha256") or "none"
    return {"uuid": str(uuid.uuid4()), "title": ev.get("title") or ev.get("ref"),
            "description": f"{ev.get('evidence_type')} evidence, sha256 {digest}",
            "props": [{"name": "evidence-ref", "ns": "https://haechi.dev/ns/oscal",
                       "value": _token(str(ev.get("ref")))}],
            "methods": ["EXAMINE"], "collected": (ev.get("collected_at") or ev.get("created_at") or _now())}


def _finding(org: dict[str, Any], system: str, ob: dict[str, Any], observations: list[str]) -> dict[str, Any]:
    state = "satisfied" if ob.get("state") == "met" else "not-satisfied"
    related = [{"observation-uuid": u} for u in observations]
    out = {"uuid": _uuid(org["slug"], system, ob["id"], "finding"), "title": ob.get("title") or ob["id"],
           "description": f"{ob.get('citation')}: {ob.get('state')} — {ob.get('why') or ''}".strip(" —"),
           "target": {"type": "objective-id", "target-id": _token(ob["id"]),
                      "status": {"state": state, "reason": str(ob.get("state") or "unknown")}}}
    if related:
        out["related-observations"] = related
    return out


def _checked(module: str, model: str, body: dict[str, Any]) -> dict[str, Any]:
    """Validate ``body`` with trestle's model and return it as OSCAL JSON (aliases, no nulls)."""
    try:
        import importlib

        cls = getattr(importlib.import_module(f"trestle.oscal.{module}"), model)
    except ImportError:
        raise MissingExtra("OSCAL export", "exports", "compliance-trestle") from None
    try:
        parsed = cls.model_validate(body)
    except Exception as exc:  # pydantic's ValidationError: report it as ours
        raise ValidationFailed(f"the OSCAL {model} does not validate: {exc}",
                               key="exports.oscal_does_not_validate") from None
    out: dict[str, Any] = parsed.model_dump(by_alias=True, exclude_none=True, mode="json")
    return out
