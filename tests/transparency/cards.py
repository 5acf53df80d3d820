"""System cards used by the transparency tests (the demo company's shapes)."""

from __future__ import annotations

from typing import Any

OPERATOR = {"name": "Hanbit Precision Co., Ltd.", "country": "KR", "korean_office": True}
OVERSIGHT = {"name": "Park Ji-hoon", "email": "ai-help@hanbit.example", "phone": "+82-55-000-0000"}


def chatbot(**changes: Any) -> dict[str, Any]:
    card: dict[str, Any] = {
        "id": "support-chatbot", "name": "Customer support chatbot", "name_ko": "고객지원 챗봇",
        "description": "Answers customer questions about orders, delivery and products.",
        "description_ko": "주문·배송·제품에 관한 고객 문의에 답합니다.",
        "operator": OPERATOR, "roles": ["deployer"], "internal_use_only": False,
        "defence_or_security_only": False, "research_only": False, "personal_use_only": False,
        "status": "production", "domains": ["customer_service"], "significant_impact": False,
        "generative": {"modalities": ["text"], "realistic_synthetic_media": False,
                       "outputs_leave_service": True, "ai_use_obvious": False},
        "interacts_with_people": True, "markets": ["KR", "EU"], "gpai": False, "eu_practices": [],
        "eu_annex_i_safety_component": False, "profiling": False, "human_final_decision": True,
        "model": {"name": "hanbit-support-llm", "version": "2.1", "provider": "in-house"},
        "data": {"training_data_summary": "Anonymised support tickets 2021-2025 and product manuals."},
        "owners": {"business": "cs@hanbit.example", "oversight": OVERSIGHT},
    }
    card.update(changes)
    return card


def image_gen(**changes: Any) -> dict[str, Any]:
    card = chatbot(id="marketing-image-gen", name="Marketing image generator", name_ko="마케팅 이미지 생성기",
                   description="Generates product images for marketing campaigns.",
                   description_ko="마케팅 캠페인용 제품 이미지를 생성합니다.", domains=["marketing"],
                   generative={"modalities": ["image"], "realistic_synthetic_media": True,
                               "outputs_leave_service": True, "ai_use_obvious": False},
                   model={"name": "hanbit-diffusion", "version": "1.0", "provider": "in-house"})
    card.update(changes)
    return card


def hiring(**changes: Any) -> dict[str, Any]:
    card = chatbot(id="hiring-screener", name="Applicant screening assistant", name_ko="지원자 서류 심사 보조 AI",
                   description="Ranks job applications for interview.",
                   description_ko="채용 지원서를 면접 대상 선정을 위해 순위화합니다.",
                   domains=["employment"], significant_impact=True, human_final_decision=False,
                   profiling=True, eu_derogation="none",
                   generative={"modalities": [], "realistic_synthetic_media": False,
                               "outputs_leave_service": False, "ai_use_obvious": False},
                   model={"name": "screener-gbm", "version": "1.4.2", "type": "gradient_boosting"},
                   data={"training_data_summary": "12,400 past applications 2019-2024 with interview outcomes; "
                                                  "names, photos and ages removed.", "personal_data": True,
                         "sensitive_data": False})
    card.update(changes)
    return card
