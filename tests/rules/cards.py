"""Card builders for the law-pack tests: a fully known base card and dotted overrides."""

from __future__ import annotations

import copy
from typing import Any

#: Every field the packs read is known here; the system is an ordinary, non-generative
#: industrial tool of a Korean developer offered in Korea and the EU.
BASE: dict[str, Any] = {
    "id": "golden-case",
    "name": "Golden case",
    "operator": {"name": "Hanbit Precision", "country": "KR", "korean_office": True,
                 "annual_revenue_krw": 850_000_000_000, "ai_revenue_krw": 0,
                 "avg_daily_users_kr": 0, "fined_for_order_noncompliance": False,
                 "public_body": False},
    "roles": ["developer"],
    "internal_use_only": False,
    "defence_or_security_only": False,
    "research_only": False,
    "personal_use_only": False,
    "status": "production",
    "domains": ["manufacturing"],
    "significant_impact": False,
    "human_final_decision": True,
    "profiling": False,
    "eu_derogation": "none",
    "generative": {"modalities": [], "realistic_synthetic_media": False,
                   "outputs_leave_service": False, "ai_use_obvious": False,
                   "intimate_content_safeguards": True},
    "interacts_with_people": False,
    "compute": {"training_flops": 1.0e20, "state_of_the_art": False, "broad_serious_risk": False},
    "gpai": False,
    "eu_practices": [],
    "eu_annex_i_safety_component": False,
    "critical_infrastructure_safety_component": False,
    "public_benefits_eligibility": False,
    "public_authority_use": False,
    "significant_change": False,
    "markets": ["KR", "EU"],
    "data": {"personal_data": False},
    "deployed_at": "2026-01-01",
    "cra": {"product_with_digital_elements": False},
    "cn": {"public_opinion_attributes": False, "content_platform": False,
           "algorithmic_recommendation": False},
}

_DROP = object()


def card(**changes: Any) -> dict[str, Any]:
    """The base card with ``changes``; keys use ``__`` for nesting (``generative__modalities``).

    A value of :data:`UNKNOWN` removes the field, making it unknown.
    """
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        *parents, leaf = key.split("__")
        target = data
        for part in parents:
            target = target.setdefault(part, {})
        if value is _DROP:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return data


UNKNOWN = _DROP
