"""Demo step: the chatbot and the marketing-image tool labelled end to end.

Notices are versioned for every generative or high-impact system; the chatbot's
middleware deliveries over the last weeks are recorded (deterministic, seeded);
marketing images are generated (drawn with Pillow), labelled with a visible overlay and a
signed C2PA manifest, and one is verified; a hiring decision gets an explanation receipt
with a review request; the public posting page is published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path
from typing import TYPE_CHECKING

from haechi.domain.errors import HaechiError

if TYPE_CHECKING:
    from haechi.core import Haechi

    from .build import DemoContext

NOTICE_SYSTEMS = ("support-chatbot", "marketing-image-gen", "hiring-screener")


def populate(hc: Haechi, ctx: DemoContext) -> None:
    actor = ctx.actor
    for slug in NOTICE_SYSTEMS:
        hc.transparency.current_notice(actor, slug)
    hc.transparency.set_label_settings(actor, "marketing-image-gen", {
        "artistic_reason": "캠페인 대표 이미지는 창작물이므로, 감상을 방해하지 않도록 모서리 배지로 표시합니다"})
    _chatbot_deliveries(hc, ctx)
    ctx.notes["transparency_images"] = _images(hc, ctx)
    _receipt(hc, ctx)
    _posting(hc, ctx)


def _chatbot_deliveries(hc: Haechi, ctx: DemoContext) -> None:
    rng = random.Random(2026)
    items = []
    start = dt.datetime.combine(ctx.today - dt.timedelta(days=28), dt.time(0), dt.UTC)
    for n in range(600):
        session = hashlib.sha256(f"demo-session-{n}".encode()).hexdigest()[:32]
        when = start + dt.timedelta(minutes=rng.randrange(0, 28 * 24 * 60))
        items.append({"system": "support-chatbot", "kind": "notice", "channel": "screen:json", "notice_version": 1,
                      "session_hash": session, "route": "/chat", "delivered_at": when})
        for turn in range(rng.randint(1, 6)):
            items.append({"system": "support-chatbot", "kind": "label", "channel": "json", "notice_version": 1,
                          "session_hash": session, "route": "/chat",
                          "delivered_at": when + dt.timedelta(seconds=20 * (turn + 1))})
    for i in range(0, len(items), 2000):
        hc.transparency.record_deliveries(ctx.actor, items[i:i + 2000], source="middleware")


def _draw(path: Path, seed: int) -> Path:
    from PIL import Image, ImageDraw
    rng = random.Random(seed)
    image = Image.new("RGB", (640, 400), (rng.randint(20, 60), rng.randint(60, 120), rng.randint(120, 200)))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rng.randint(0, 600), rng.randint(0, 360)
        draw.ellipse((x, y, x + rng.randint(30, 120), y + rng.randint(30, 120)),
                     fill=(rng.randint(150, 255), rng.randint(100, 220), rng.randint(0, 120)))
    image.save(path)
    return path


def _images(hc: Haechi, ctx: DemoContext) -> list[str]:
    folder = hc.home / "demo-media"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    try:
        for n, artistic in ((1, False), (2, False), (3, True)):
            src = _draw(folder / f"campaign-{n}-raw.png", n)
            target = folder / f"campaign-{n}-labelled.png"
            hc.transparency.label_file(ctx.actor, "marketing-image-gen", "image", src, target, lang="ko",
                                       artistic=artistic)
            out.append(str(target))
        hc.transparency.verify(ctx.actor, Path(out[0]))
    except HaechiError as error:  # e.g. the media extra missing: the demo goes on without images
        ctx.notes["transparency_images_error"] = error.message
    return out


def _receipt(hc: Haechi, ctx: DemoContext) -> None:
    event = {"decision_id": "APP-2026-0417", "result": "not shortlisted for interview",
             "result_ko": "면접 대상자로 선정되지 않음", "score": 0.31,
             "features": {"skills_match": 0.42, "years_experience": 2, "certificates": 1, "gap_months": 9},
             "contributions": {"skills_match": -0.21, "years_experience": -0.08, "certificates": 0.03,
                               "gap_months": -0.05}}
    receipt = hc.transparency.receipts.create(ctx.actor, "hiring-screener", event)
    hc.transparency.receipts.request_review(receipt["token"], "review",
                                            "지원서 양식에 없던 용접 자격증을 가지고 있습니다.",
                                            "applicant@example.com")
    ctx.notes["receipt_token"] = receipt["token"]


def _posting(hc: Haechi, ctx: DemoContext) -> None:
    hc.transparency.posting.update(ctx.actor, {
        "published": True,
        "intro": {"en": "Hanbit Precision uses AI in customer support, marketing and hiring. "
                        "This page lists each system, what it does and whom to contact.",
                  "ko": "한빛정밀은 고객지원, 마케팅, 채용에 인공지능을 이용합니다. "
                        "시스템별 용도와 문의처를 안내합니다."},
        "systems": {"hiring-screener": {
            "risk_management": {
                "en": "HR and legal review screening results for bias every quarter; the AI committee "
                      "(chaired by the COO) approves changes; incidents go to the compliance officer.",
                "ko": "인사·법무가 분기마다 심사 결과의 편향을 점검하고, 최고운영책임자가 위원장인 AI 위원회가 "
                      "변경을 승인하며, 사고는 준법감시인에게 보고합니다."},
            "explanation": {
                "en": "Every applicant can get a receipt with the result, the main criteria and an overview "
                      "of the training data, and can ask for a review by a person.",
                "ko": "모든 지원자는 결과, 주요 판단 기준, 학습데이터 개요가 담긴 설명서를 받고 사람의 재검토를 "
                      "요청할 수 있습니다."},
            "user_protection": {
                "en": "A recruiter reads every application the AI ranks low before a rejection is sent.",
                "ko": "AI가 낮게 평가한 지원서는 불합격 통보 전에 채용 담당자가 모두 검토합니다."},
            "withheld": {"en": "The model's exact features and weights (trade secret).",
                         "ko": "모델의 구체적 변수와 가중치 (영업비밀)"}}}})
