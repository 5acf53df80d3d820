"""Spec-shaped verdicts (``spec/system-card.md`` classification output) for the pure
tests of duty reading and notice rendering. Service tests use the real engine."""

from __future__ import annotations

from typing import Any


def obligation(oid: str, article: str, status: str = "applies", reasons: list[str] | None = None) -> dict[str, Any]:
    return {"id": oid, "article": article, "citation": f"Art. {article}", "title": oid, "title_ko": oid,
            "status": status, "effective_from": "2026-01-22", "reasons": reasons or [], "rules": [],
            "penalty": None}


def result(pack: str, classes: dict[str, str], obligations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"pack": pack, "pack_version": 1, "pack_sha256": "0" * 64, "in_scope": "yes", "classes": classes,
            "obligations": obligations, "questions": []}


def chatbot(kr_status: str = "applies", reasons: list[str] | None = None) -> dict[str, Any]:
    return {"system": "support-chatbot", "as_of": "2026-11-26", "results": [
        result("kr-ai-basic-act", {"high_impact": "no", "generative": "yes"}, [
            obligation("kr.31.1.advance-notice", "31(1)", kr_status, reasons),
            obligation("kr.31.2.output-label", "31(2)", kr_status, reasons)]),
        result("eu-ai-act", {"risk_tier": "limited"}, [
            obligation("eu.50.1.disclose-interaction", "50(1)"),
            obligation("eu.50.2.machine-readable-marking", "50(2)")]),
    ]}


def hiring() -> dict[str, Any]:
    return {"system": "hiring-screener", "as_of": "2026-11-26", "results": [
        result("kr-ai-basic-act", {"high_impact": "yes", "generative": "no"}, [
            obligation("kr.31.1.advance-notice", "31(1)"),
            obligation("kr.34.1.risk-management-plan", "34(1)(1)"),
            obligation("kr.34.1.explanation-plan", "34(1)(2)"),
            obligation("kr.34.1.user-protection-plan", "34(1)(3)")]),
        result("eu-ai-act", {"risk_tier": "high"}, [
            obligation("eu.26.11.inform-affected-persons", "26(11)"),
            obligation("eu.86.right-to-explanation", "86", "may_apply")]),
    ]}
