"""The dossier model: which sections a variant shows, in which order, built from collected data.

Pure: takes the dict from :func:`haechi.reports.collect.collect_system` and returns the
view model the HTML template renders (sections with blocks, charts as SVG). Variants:

* ``full`` — everything Haechi holds about the system;
* ``kr-art34`` — the Korean AI Basic Act Art. 34 documentation pack (plans, oversight,
  documents kept for 5 years, items to post);
* ``eu-annex-iv`` — an EU AI Act Annex IV technical-documentation draft, numbered 1–9;
* ``model-card`` — a model card (details, intended use, metrics, groups, considerations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from haechi.domain.errors import Issue, ValidationFailed

from .monitoring_view import monitoring_view

VARIANTS = ("full", "kr-art34", "eu-annex-iv", "model-card")
LANGS = ("ko", "en")


@dataclass(frozen=True)
class Block:
    """One piece of a section: ``kind`` names the template macro, ``params`` tune it."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)


def b(block: str, **params: Any) -> Block:
    return Block(block, params)


#: variant -> [(section key, blocks)]
LAYOUTS: dict[str, list[tuple[str, list[Block]]]] = {
    "full": [
        ("identity", [b("card")]),
        ("history", [b("history")]),
        ("verdicts", [b("verdicts")]),
        ("timeline", [b("timeline")]),
        ("questions", [b("questions")]),
        ("obligations", [b("obligations"), b("controls")]),
        ("evidence", [b("evidence")]),
        ("documents", [b("documents")]),
        ("monitoring", [b("monitoring"), b("alerts")]),
        ("risks", [b("risks")]),
        ("incidents", [b("incidents")]),
        ("transparency", [b("transparency")]),
        ("esg", [b("esg")]),
    ],
    "kr-art34": [
        ("identity", [b("card", fields=["id", "name", "operator", "roles", "domains", "owners"])]),
        ("kr_review", [b("text", key="kr_review"), b("verdicts", law="KR"), b("questions"),
                       b("text", key="kr_grace")]),
        ("timeline", [b("timeline", law="KR")]),
        ("kr_risk_plan", [b("document", kind="risk_management_plan"), b("risks")]),
        ("kr_explanation", [b("document", kind="explanation_plan"), b("training_data")]),
        ("kr_user_protection", [b("document", kind="user_protection_plan"), b("transparency")]),
        ("kr_oversight", [b("document", kind="human_oversight"), b("oversight_contact")]),
        ("kr_documents", [b("text", key="kr_documents"), b("evidence")]),
        ("kr_posting", [b("text", key="kr_posting"), b("posting")]),
        ("kr_impact", [b("document", kind="impact_assessment")]),
        ("monitoring", [b("monitoring"), b("alerts")]),
        ("incidents", [b("incidents")]),
    ],
    "eu-annex-iv": [
        ("annex_1", [b("text", key="annex_intro"), b("card", fields=[
            "id", "name", "purpose", "operator", "roles", "markets", "model", "deployed_at", "status"])]),
        ("annex_2", [b("card", fields=["model", "data", "generative", "domains"]),
                     b("training_data", label="training_data"), b("document", kind="human_oversight")]),
        ("annex_3", [b("monitoring"), b("groups")]),
        ("annex_4", [b("thresholds")]),
        ("annex_5", [b("document", kind="risk_management_plan"), b("risks")]),
        ("annex_6", [b("history")]),
        ("annex_7", [b("text", key="annex_7"), b("packs")]),
        ("annex_8", [b("text", key="annex_8")]),
        ("annex_9", [b("alerts"), b("incidents"), b("obligations", law="EU")]),
        ("verdicts", [b("verdicts", law="EU")]),
        ("timeline", [b("timeline", law="EU")]),
    ],
    "model-card": [
        ("mc_details", [b("text", key="mc_intro"), b("card", fields=["id", "name", "model", "operator", "owners"])]),
        ("mc_intended_use", [b("card", fields=["purpose", "domains", "markets", "roles"])]),
        ("mc_factors", [b("factors")]),
        ("mc_metrics", [b("monitoring")]),
        ("mc_quantitative", [b("groups")]),
        ("mc_considerations", [b("risks")]),
        ("mc_caveats", [b("questions")]),
        ("mc_environment", [b("esg")]),
    ],
}


def _block(bl: Block, laws: dict[str, list[str]]) -> dict[str, Any]:
    # ``kind`` is the macro; a document block's own ``kind`` parameter moves to ``doc``.
    # ``law`` (a jurisdiction) becomes the packs that are laws of it in this verdict, so a
    # user's own pack for that jurisdiction (a law, not a company policy) is shown as well.
    params = {**bl.params, "kind": bl.kind, "doc": bl.params.get("kind")}
    if "law" in params:
        params["packs"] = laws.get(params.pop("law"), [])
    return params


def _laws(data: dict[str, Any]) -> dict[str, list[str]]:
    """Jurisdiction → the law packs of the collected verdict."""
    laws: dict[str, list[str]] = {}
    for result in (data.get("verdicts") or {}).get("results", []):
        if result.get("pack_kind", "law") == "law" and result.get("jurisdiction"):
            laws.setdefault(result["jurisdiction"], []).append(result["pack"])
    return laws


def check_choice(variant: str, lang: str) -> None:
    """Refuse an unknown variant or language with the list of valid ones."""
    issues = []
    if variant not in VARIANTS:
        issues.append(Issue("variant", f"unknown variant '{variant}'", f"use one of: {', '.join(VARIANTS)}"))
    if lang not in LANGS:
        issues.append(Issue("lang", f"unknown language '{lang}'", "use ko or en"))
    if issues:
        raise ValidationFailed("cannot build that dossier", issues=issues, key="reports.cannot_build_that_dossier")


def build_dossier(data: dict[str, Any], variant: str, lang: str, *, checkpoint: dict[str, Any],
                  organisation: dict[str, Any], generated_at: str, generated_by: str) -> dict[str, Any]:
    """The view model of one dossier (JSON-able; the HTML template only formats it)."""
    check_choice(variant, lang)
    laws = _laws(data)
    sections = [{"key": key, "anchor": f"s-{index + 1}", "blocks": [_block(bl, laws) for bl in blocks]}
                for index, (key, blocks) in enumerate(LAYOUTS[variant])]
    sections.append({"key": "checkpoint", "anchor": f"s-{len(sections) + 1}",
                     "blocks": [{"kind": "text", "key": "checkpoint"}, {"kind": "checkpoint"}]})
    return {
        "variant": variant, "lang": lang, "organisation": organisation, "generated_at": generated_at,
        "generated_by": generated_by, "checkpoint": checkpoint, "sections": sections,
        "monitoring_view": monitoring_view(data.get("monitoring", {}), lang),
        **data,
    }
