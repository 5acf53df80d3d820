"""CycloneDX 1.6 ML-BOM of one AI system, with a ``modelCard`` validated against the schema.

cyclonedx-python-lib has no model for ``modelCard``: the BOM (metadata, the system as an
application, the model as a ``machine-learning-model`` component) is serialised by the
library, then the model card is added to the model component as JSON and the whole
document is checked with the library's strict JSON validator for schema 1.6.

The card carries what Haechi measured: performance and per-group metrics of the latest
monitoring window (``quantitativeAnalysis``), fairness assessments per sensitive
attribute, risks as ethical considerations, and energy and CO2 per lifecycle activity
from the ESG records (``environmentalConsiderations``).
"""

from __future__ import annotations

import json
from typing import Any

from haechi.domain.errors import MissingExtra, ValidationFailed

#: ESG activity -> CycloneDX energyConsumption.activity
ACTIVITIES = {"training": "training", "fine_tuning": "fine-tuning", "inference": "inference",
              "evaluation": "validation"}
TASKS = {"binary_classification": "classification", "regression": "regression"}


def _lib() -> Any:
    try:
        from cyclonedx.model.bom import Bom
        from cyclonedx.model.component import Component, ComponentType
        from cyclonedx.model.contact import OrganizationalEntity
        from cyclonedx.output.json import JsonV1Dot6
    except ImportError:
        raise MissingExtra("CycloneDX export", "exports", "cyclonedx-python-lib") from None
    return Bom, Component, ComponentType, OrganizationalEntity, JsonV1Dot6


def build_bom(data: dict[str, Any], org: dict[str, Any]) -> dict[str, Any]:
    """The ML-BOM of one system as JSON data (validate with :func:`validate`)."""
    Bom, Component, ComponentType, OrganizationalEntity, JsonV1Dot6 = _lib()  # noqa: N806
    card = data["card"]
    model = card.get("model") or {}
    supplier = OrganizationalEntity(name=(card.get("operator") or {}).get("name") or org.get("name"))
    app = Component(name=card["name"], type=ComponentType.APPLICATION, bom_ref=f"system:{card['id']}",
                    description=card.get("description"), supplier=supplier)
    ml = Component(name=model.get("name") or card["id"], version=model.get("version"),
                   type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref=f"model:{card['id']}",
                   description=f"model of {card['name']}", publisher=model.get("provider"))
    bom = Bom()
    bom.metadata.component = app
    bom.components.add(ml)
    bom.register_dependency(app, [ml])
    doc: dict[str, Any] = json.loads(JsonV1Dot6(bom).output_as_string())
    doc["metadata"]["properties"] = _verdict_properties(data)
    for component in doc["components"]:
        if component.get("bom-ref") == f"model:{card['id']}":
            component["modelCard"] = model_card(data)
    return doc


def _verdict_properties(data: dict[str, Any]) -> list[dict[str, str]]:
    props = [{"name": "haechi:system", "value": data["card"]["id"]},
             {"name": "haechi:revision", "value": str(data["system"]["revision"])}]
    for r in data["verdicts"].get("results", []):
        props.append({"name": f"haechi:pack:{r['pack']}", "value": f"v{r.get('pack_version')} {r.get('pack_sha256')}"})
        for name, value in (r.get("classes") or {}).items():
            props.append({"name": f"haechi:{r['pack']}:{name}", "value": str(value)})
    return props


def model_card(data: dict[str, Any]) -> dict[str, Any]:
    """The ``modelCard`` object (CycloneDX 1.6) from collected data."""
    card = data["card"]
    latest, monitor = _latest_window(data)
    out: dict[str, Any] = {"bom-ref": f"model-card:{card['id']}", "modelParameters": _parameters(card, monitor)}
    metrics = _metrics(latest)
    if metrics:
        out["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    out["considerations"] = _considerations(data, latest, monitor)
    return out


def _latest_window(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    section = data.get("monitoring") or {}
    for monitor in section.get("monitors", []) if section.get("available") else []:
        if monitor.get("windows"):
            return monitor["windows"][-1], monitor
    return {}, {}


def _parameters(card: dict[str, Any], monitor: dict[str, Any]) -> dict[str, Any]:
    model, data_info = card.get("model") or {}, card.get("data") or {}
    params: dict[str, Any] = {}
    task = TASKS.get(str((monitor.get("spec") or {}).get("task")))
    if task:
        params["task"] = task
    if model.get("type"):
        params["architectureFamily"] = str(model["type"])
    if model.get("base_model"):
        params["modelArchitecture"] = str(model["base_model"])
    if data_info.get("training_data_summary"):
        params["datasets"] = [{"type": "dataset", "name": f"{card['id']} training data",
                               "description": data_info["training_data_summary"]}]
    return params


def _metrics(window: dict[str, Any]) -> list[dict[str, Any]]:
    label = f"window {str(window.get('start', ''))[:10]}"
    out = [{"type": name, "value": f"{value:.6g}", "slice": label}
           for name, value in (window.get("performance") or {}).items() if isinstance(value, int | float)]
    for attr, fair in (window.get("fairness") or {}).items():
        for group, values in sorted((fair.get("groups") or {}).items()):
            for name in ("selection_rate", "tpr", "fpr"):
                if isinstance((values or {}).get(name), int | float):
                    out.append({"type": name, "value": f"{values[name]:.6g}",
                                "slice": f"{label}; {attr}={group}; n={values.get('n')}"})
    return out


def _considerations(data: dict[str, Any], window: dict[str, Any], monitor: dict[str, Any]) -> dict[str, Any]:
    card = data["card"]
    out: dict[str, Any] = {}
    if card.get("description"):
        out["useCases"] = [card["description"]]
    questions = [q.get("question") for q in data["verdicts"].get("questions", []) if q.get("question")]
    if questions:
        out["technicalLimitations"] = [f"open question: {q}" for q in questions]
    risks = ((data.get("compliance") or {}).get("risks") or []) if (data.get("compliance") or {}).get("available") \
        else []
    if risks:
        out["ethicalConsiderations"] = [{"name": r["title"], "mitigationStrategy": "; ".join(
            t.get("action", "") for t in r.get("treatments") or []) or "none recorded"} for r in risks]
    fairness = _fairness(window, monitor.get("thresholds") or {})
    if fairness:
        out["fairnessAssessments"] = fairness
    environment = _environment(data)
    if environment:
        out["environmentalConsiderations"] = environment
    return out


def _fairness(window: dict[str, Any], thresholds: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for attr, fair in (window.get("fairness") or {}).items():
        groups = {g: v for g, v in (fair.get("groups") or {}).items() if isinstance((v or {}).get("selection_rate"),
                                                                                    int | float)}
        if not groups:
            continue
        lowest = min(groups, key=lambda g: groups[g]["selection_rate"])
        dpd, eod = fair.get("demographic_parity_difference"), fair.get("equalized_odds_difference")
        limit = (thresholds.get("demographic_parity_difference") or {}).get("max")
        out.append({"groupAtRisk": f"{attr}={lowest}",
                    "benefits": f"selection rate {groups[lowest]['selection_rate']:.4g} (n={groups[lowest].get('n')})",
                    "harms": f"demographic parity difference {dpd}, equalized odds difference {eod} "
                             f"in the window starting {str(window.get('start', ''))[:10]}",
                    "mitigationStrategy": f"monitored per window with alert threshold max {limit}" if limit is not None
                    else "monitored per window; no threshold set"})
    return out


def _environment(data: dict[str, Any]) -> dict[str, Any] | None:
    section = data.get("esg") or {}
    records = section.get("records", []) if section.get("available") else []
    by_activity: dict[str, dict[str, float]] = {}
    methods: dict[str, set[str]] = {}
    for r in records:
        activity = ACTIVITIES.get(str(r.get("activity")), "other")
        sums = by_activity.setdefault(activity, {"kwh": 0.0, "co2": 0.0})
        sums["kwh"] += float(r.get("facility_kwh") or r.get("kwh") or 0)
        sums["co2"] += float(r.get("emissions_location_tco2e") or 0)
        methods.setdefault(activity, set()).add(str(r.get("method")))
    if not by_activity:
        return None
    return {"energyConsumptions": [
        {"activity": activity, "energyProviders": [{
            "organization": {"name": "electricity grid (location-based)"}, "energySource": "unknown",
            "energyProvided": {"value": round(v["kwh"], 6), "unit": "kWh"}}],
         "activityEnergyCost": {"value": round(v["kwh"], 6), "unit": "kWh"},
         "co2CostEquivalent": {"value": round(v["co2"], 9), "unit": "tCO2eq"},
         "properties": [{"name": "haechi:method", "value": ", ".join(sorted(methods[activity]))}]}
        for activity, v in sorted(by_activity.items())]}


def validate(doc: dict[str, Any]) -> None:
    """Check ``doc`` with the strict CycloneDX 1.6 JSON schema; raise with the first error."""
    try:
        from cyclonedx.exception import MissingOptionalDependencyException
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
    except ImportError:
        raise MissingExtra("CycloneDX validation", "exports", "cyclonedx-python-lib[json-validation]") from None
    try:
        error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc))
    except MissingOptionalDependencyException:
        raise MissingExtra("CycloneDX validation", "exports", "cyclonedx-python-lib[json-validation]") from None
    if error is not None:
        raise ValidationFailed(f"the CycloneDX document does not follow schema 1.6: {error}",
                               key="exports.cyclonedx_document_does_not")
