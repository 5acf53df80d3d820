"""Step 1 of the demo: Hanbit Precision (한빛정밀), its people and its AI systems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from haechi.core import Haechi
from haechi.domain.card import Operator, SystemCard
from haechi.domain.yamlio import load_file

from .build import DEMO_ORG, DEMO_PASSWORD, DemoContext

CARDS_DIR = Path(__file__).parent / "cards"
CARD_ORDER = ("hiring-screener", "support-chatbot", "marketing-image-gen", "press-defect-vision",
              "cnc-spindle-pm", "ppe-safety-camera", "compressed-air-optimizer")
USERS = (
    ("admin@hanbit.example", "admin", "서준호 (IT 거버넌스)"),
    ("compliance@hanbit.example", "editor", "오수빈 (준법감시인)"),
    ("ml@hanbit.example", "editor", "강태양 (ML 엔지니어)"),
    ("auditor@hanbit.example", "auditor", "남규리 (외부 감사인)"),
    ("viewer@hanbit.example", "viewer", "공장 경영진"),
)


def demo_operator() -> Operator:
    """Hanbit Precision's operator facts, entered once on the organisation."""
    return Operator.model_validate(load_file(CARDS_DIR / "_operator.yaml").data["operator"])


def demo_system_card(system_id: str) -> SystemCard:
    """A demo card as the demo registers it: the operator comes from the organisation."""
    return SystemCard.model_validate(load_file(CARDS_DIR / f"{system_id}.yaml").data)


def demo_card(system_id: str) -> SystemCard:
    """A self-contained demo card that states the operator itself (for a workspace
    whose organisation has no facts of its own)."""
    data: dict[str, Any] = dict(load_file(CARDS_DIR / "_operator.yaml").data)
    data.update(load_file(CARDS_DIR / f"{system_id}.yaml").data)
    return SystemCard.model_validate(data)


def create_company(hc: Haechi, today: dt.date) -> DemoContext:
    hc.accounts.create_org(DEMO_ORG, "Hanbit Precision Co., Ltd.", "한빛정밀")
    admin = hc.local_actor(DEMO_ORG)
    ctx = DemoContext(hc=hc, actor=admin, today=today)
    for email, role, name in USERS:
        hc.accounts.create_user(admin, email, role, DEMO_PASSWORD, name)
    for email, _, _ in USERS:
        ctx.users[email] = hc.accounts.authenticate(email, DEMO_PASSWORD)
    editor = ctx.user("compliance@hanbit.example")
    hc.org_facts.set(ctx.user("admin@hanbit.example"), demo_operator(),
                     note="회사 기본 정보 입력 (모든 AI 시스템에 공통)")
    for system_id in CARD_ORDER:
        card = demo_system_card(system_id)
        author = ctx.user("ml@hanbit.example") if card.lifecycle_stage else editor
        hc.systems.add(author, card, note="AI 현황 조사 워크숍에서 처음 등록")
    _revise_screener(hc, ctx)
    return ctx


def _revise_screener(hc: Haechi, ctx: DemoContext) -> None:
    """Give the hiring screener a real history: a model upgrade after go-live."""
    card = demo_system_card("hiring-screener")
    model = card.model.model_copy(update={"version": "1.5.0"}) if card.model else None
    updated = card.model_copy(update={"model": model, "tags": [*(card.tags or []), "2026-09-재학습"]})
    hc.systems.update(ctx.user("ml@hanbit.example"), updated,
                      note="2026년 지원서로 재학습, 공정성 검토 요청")
