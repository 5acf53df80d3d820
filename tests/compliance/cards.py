"""System cards used by the compliance tests (fields as in spec/system-card.md)."""

from __future__ import annotations

from typing import Any

from haechi.domain.card import SystemCard

HIRING: dict[str, Any] = {
    "id": "hiring-screener", "name": "Applicant screening assistant", "name_ko": "지원자 서류 심사 보조 AI",
    "description": "Ranks job applications for interview.",
    "operator": {"name": "Acme", "country": "KR", "korean_office": True, "annual_revenue_krw": 85_000_000_000,
                 "ai_revenue_krw": 0, "avg_daily_users_kr": 0, "fined_for_order_noncompliance": False},
    "roles": ["deployer"], "internal_use_only": False, "defence_or_security_only": False,
    "research_only": False, "personal_use_only": False, "status": "production", "deployed_at": "2026-02-01",
    "significant_change": False, "public_authority_use": False,
    "domains": ["employment"], "significant_impact": True, "human_final_decision": False, "profiling": True,
    "eu_derogation": "none", "interacts_with_people": True,
    "generative": {"modalities": [], "realistic_synthetic_media": False, "outputs_leave_service": False,
                   "ai_use_obvious": False},
    "compute": {"training_flops": 3.0e21, "state_of_the_art": False, "broad_serious_risk": False},
    "gpai": False, "eu_practices": [], "eu_annex_i_safety_component": False, "markets": ["KR", "EU"],
    "model": {"name": "screener-gbm", "version": "1.4.2", "type": "gradient_boosting", "provider": "in-house"},
    "data": {"training_data_summary": "Five years of anonymised applications.", "personal_data": True,
             "sensitive_data": False},
    "owners": {"business": "hr@acme.example", "technical": "ml@acme.example",
               "oversight": {"name": "Kim Min-ji", "email": "oversight@acme.example", "phone": "+82-2-0000-0000"}},
}


def card(**changes: Any) -> SystemCard:
    """The hiring card with top-level ``changes``."""
    return SystemCard.model_validate({**HIRING, **changes})
