"""The classification JSON matches spec/system-card.md field for field."""

from __future__ import annotations

import datetime as dt
import json
import re

from haechi.rules import classify

from .cards import UNKNOWN, card

SPEC_TOP = ["system", "as_of", "results"]
SPEC_RESULT = ["pack", "pack_version", "pack_sha256", "in_scope", "classes", "obligations", "questions"]
SPEC_OBLIGATION = ["id", "article", "citation", "title", "title_ko", "status", "effective_from",
                   "reasons", "rules", "penalty"]
SPEC_QUESTION = ["field", "affects", "question", "question_ko"]
ARTICLE = re.compile(r"^\d+(\([0-9a-z]+\))*$")
TRI = {"yes", "no", "unknown"}

# The spec's example system (spec/system-card.md), as a card.
HIRING = {
    "id": "hiring-screener", "name": "Applicant screening assistant", "name_ko": "지원자 서류 심사 보조 AI",
    "operator": {"name": "Hanbit Precision Co., Ltd.", "country": "KR", "korean_office": True,
                 "annual_revenue_krw": 850000000000, "ai_revenue_krw": 0, "avg_daily_users_kr": 0,
                 "fined_for_order_noncompliance": False},
    "roles": ["deployer"], "internal_use_only": False, "defence_or_security_only": False,
    "domains": ["employment"], "education_level": None, "significant_impact": True,
    "human_final_decision": False, "profiling": True, "eu_derogation": "none",
    "generative": {"modalities": [], "realistic_synthetic_media": False, "outputs_leave_service": None,
                   "ai_use_obvious": False},
    "interacts_with_people": True,
    "compute": {"training_flops": 3.0e21, "state_of_the_art": False, "broad_serious_risk": False},
    "gpai": False, "eu_practices": [], "eu_annex_i_safety_component": False, "markets": ["KR", "EU"],
    "deployed_at": "2026-02-01",
}


def _json(data: dict, **kw) -> dict:  # type: ignore[no-untyped-def, type-arg]
    out = classify(data, **kw).to_json()
    return json.loads(json.dumps(out))  # exactly what the CLI prints


def test_field_order_and_types_follow_the_spec() -> None:
    out = _json(HIRING, as_of=dt.date(2026, 11, 26))
    assert list(out)[:3] == SPEC_TOP and out["as_of"] == "2026-11-26" and out["system"] == "hiring-screener"
    assert [r["pack"] for r in out["results"]] == ["kr-ai-basic-act", "eu-ai-act", "eu-cra"]
    for result in out["results"]:
        assert list(result)[:7] == SPEC_RESULT
        assert isinstance(result["pack_version"], int) and re.fullmatch(r"[0-9a-f]{64}", result["pack_sha256"])
        assert result["in_scope"] in TRI
        for ob in result["obligations"]:
            assert list(ob)[:10] == SPEC_OBLIGATION
            assert ARTICLE.match(ob["article"]) and ob["citation"]
            assert ob["status"] in {"applies", "may_apply", "exempt", "not_in_force"}
            assert ob["effective_from"] is None or dt.date.fromisoformat(ob["effective_from"])
            assert all(isinstance(r, str) for r in ob["reasons"] + ob["rules"])
            assert ob["penalty"] is None or isinstance(ob["penalty"], dict)
        for q in result["questions"]:
            assert list(q)[:4] == SPEC_QUESTION


def test_class_names_per_pack() -> None:
    out = _json(HIRING, as_of=dt.date(2026, 11, 26))
    kr, eu, cra = out["results"]
    assert list(cra["classes"]) == ["product_class"]
    assert list(kr["classes"]) == ["high_impact", "generative", "realistic_synthetic_media",
                                   "high_performance", "domestic_representative_required"]
    assert set(kr["classes"].values()) <= TRI
    assert list(eu["classes"]) == ["risk_tier", "gpai", "gpai_systemic_risk"]
    assert eu["classes"]["risk_tier"] in {"prohibited", "high", "limited", "minimal", "unknown"}


def test_spec_example_obligation_is_reproduced() -> None:
    kr = _json(HIRING, as_of=dt.date(2026, 11, 26))["results"][0]
    assert kr["classes"] == {"high_impact": "yes", "generative": "no", "realistic_synthetic_media": "no",
                             "high_performance": "no", "domestic_representative_required": "no"}
    ob = next(o for o in kr["obligations"] if o["id"] == "kr.34.1.risk-management-plan")
    assert {k: ob[k] for k in SPEC_OBLIGATION if k != "rules"} == {
        # The spec's example predates the item-level reading: each point of Art. 34(1) is a
        # separate duty and is cited as such (regulation fact KR-34-5b).
        "id": "kr.34.1.risk-management-plan", "article": "34(1)(1)",
        "citation": "AI Basic Act Art. 34(1)(1); Enforcement Decree Art. 27",
        "title": "Establish and run a risk-management plan", "title_ko": "위험관리방안 수립·운영",
        "status": "applies", "effective_from": "2026-01-22",
        "reasons": ["domain 'employment' is listed in Art. 2(4)(g)", "significant_impact is true"],
        "penalty": None}
    assert ob["rules"][-1] == "kr.high-impact" and "kr.area-g" in ob["rules"]
    assert ob["reasons_ko"][0].startswith("도메인 '채용·고용'")


def test_spec_example_question() -> None:
    generative = card(generative__modalities=["text"], generative__outputs_leave_service=UNKNOWN)
    kr = _json(generative, as_of=dt.date(2026, 11, 26), packs=["kr-ai-basic-act"])["results"][0]
    q = next(q for q in kr["questions"] if q["field"] == "generative.outputs_leave_service")
    assert q["affects"] == ["kr.31.2.output-label"]
    assert q["question"] == "Can users download or share the outputs?"
    assert q["question_ko"]


def test_all_adds_not_applicable() -> None:
    plain = _json(card(), as_of=dt.date(2026, 11, 26), packs=["kr-ai-basic-act"])["results"][0]
    full = _json(card(), as_of=dt.date(2026, 11, 26), packs=["kr-ai-basic-act"],
                 include_all=True)["results"][0]
    assert "not_applicable" not in {o["status"] for o in plain["obligations"]}
    missing = {o["id"] for o in full["obligations"]} - {o["id"] for o in plain["obligations"]}
    assert missing and all(o["status"] == "not_applicable" for o in full["obligations"] if o["id"] in missing)


def test_default_packs_follow_markets_and_frameworks_only_when_asked() -> None:
    assert [r["pack"] for r in _json(card(markets=["JP"], operator__country="JP"))["results"]] == [
        "jp-ai-promotion"]
    # A Korean operator offering only in Japan: the Korean Act is read too, because Art. 4(1)
    # reaches conduct abroad that affects the Korean market; it says so instead of staying silent.
    abroad = _json(card(markets=["JP"]))["results"]
    assert [r["pack"] for r in abroad] == ["kr-ai-basic-act", "jp-ai-promotion"]
    assert abroad[0]["in_scope"] == "unknown"
    assert "offered-only-abroad" in {n["id"] for n in abroad[0]["notes"]}
    assert [r["pack"] for r in _json(card(markets=["US"], operator__country="US"))["results"]] == ["us-state-ai"]
    german = _json(card(markets=["DE"], operator__country="DE"))["results"]
    assert [r["pack"] for r in german] == ["eu-ai-act", "eu-cra"]
    assert [r["pack"] for r in _json(card(markets=UNKNOWN))["results"]] == [
        "kr-ai-basic-act", "eu-ai-act", "eu-cra", "jp-ai-promotion", "cn-ai", "us-state-ai"]
    assert [r["pack"] for r in _json(card(markets=["CN"], operator__country="CN"))["results"]] == ["cn-ai"]
    nist = _json(card(), packs=["nist-ai-rmf"])["results"][0]
    assert nist["pack"] == "nist-ai-rmf" and nist["obligations"][0]["article"].startswith("GOVERN")


def test_as_of_changes_status_and_version_not_classes() -> None:
    early = _json(HIRING, as_of=dt.date(2025, 6, 1))["results"]
    late = _json(HIRING, as_of=dt.date(2026, 11, 26))["results"]
    assert [r["classes"] for r in early] == [r["classes"] for r in late]
    assert {o["status"] for o in early[0]["obligations"]} == {"not_in_force"}
