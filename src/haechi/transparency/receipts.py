"""Explanation receipts for high-impact decisions, and requests for human review.

A receipt tells the affected person, in Korean and English: the final result, the main
criteria that led to it (feature contributions), an overview of the training data (from
the card), and how to ask for a review by a person or object (KR Art. 34(1)(2), Art. 3(2);
EU Art. 86). Each receipt has an unguessable token so the person can open it and file a
review request without an account; each request is recorded and routed to the system's
overseer as a task with an internal due date (an organisation policy, not a legal deadline).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from haechi.domain.card import SystemCard

from .contributions import Contributions
from .duties import EXPLANATION_DUTIES, Duties

REVIEW_KINDS = ("review", "objection", "question")
DEFAULT_REVIEW_DAYS = 14


def _direction(value: float, lang: str) -> str:
    if lang == "ko":
        return "결과 쪽으로 작용" if value > 0 else "결과 반대쪽으로 작용"
    return "pushed towards this result" if value > 0 else "pushed against this result"


def build_receipt(
    card: SystemCard, duties: Duties, event: dict[str, Any], contributions: Contributions | None, top: int = 5
) -> dict[str, Any]:
    """The receipt content (both languages); stored as JSON and rendered on demand."""
    oversight = card.owners.oversight if card.owners else None
    active = duties.active(EXPLANATION_DUTIES)
    criteria = [
        {
            "feature": f,
            "value": event.get("features", {}).get(f),
            "contribution": round(v, 6),
            "direction": {"en": _direction(v, "en"), "ko": _direction(v, "ko")},
        }
        for f, v in (contributions.ranked(top) if contributions else [])
    ]
    return {
        "system": card.id,
        "system_name": {"en": card.name, "ko": card.name_ko or card.name},
        "decision_id": str(event["decision_id"]),
        "decided_at": event.get("decided_at"),
        "result": {"en": str(event["result"]), "ko": str(event.get("result_ko") or event["result"])},
        "score": event.get("score"),
        "criteria": criteria,
        "method": contributions.to_dict() if contributions else None,
        "training_data": {
            "summary": card.data.training_data_summary if card.data else None,
            "personal_data": card.data.personal_data if card.data else None,
            "model": card.model.name if card.model else None,
        },
        "human_final_decision": card.human_final_decision,
        "oversight": {"name": oversight.name, "email": oversight.email, "phone": oversight.phone}
        if oversight
        else None,
        "legal_basis": {"en": [d.citation for d in active], "ko": [d.citation_ko for d in active]},
        "required": bool(active),
    }


def receipt_text(content: dict[str, Any], lang: str, review_url: str | None) -> list[tuple[str, str]]:
    """(heading, text) pairs in reading order, shared by text, HTML and PDF."""
    ko = lang == "ko"
    name = content["system_name"][lang]
    out = [
        (
            "Explanation of an AI-assisted decision" if not ko else "AI 활용 결정에 대한 설명서",
            (f"Decision {content['decision_id']} by {name}" if not ko else f"{name}의 결정 {content['decision_id']}"),
        )
    ]
    out.append(("Result" if not ko else "최종 결과", content["result"][lang]))
    lines = [
        f"{c['feature']} = {c['value']}: {c['direction'][lang]} ({c['contribution']:+.3f})" for c in content["criteria"]
    ]
    if content["method"]:
        lines.append(
            ("Scale: " if not ko else "척도: ") + content["method"]["scale"] + "; " + content["method"]["method"]
        )
    out.append(
        (
            "Main criteria" if not ko else "주요 판단 기준",
            "\n".join(lines)
            or ("Not available for this decision." if not ko else "이 결정에 대해서는 제공되지 않습니다."),
        )
    )
    data = content["training_data"]
    out.append(
        (
            "Training data" if not ko else "학습데이터 개요",
            data["summary"] or ("Not described." if not ko else "기재되지 않았습니다."),
        )
    )
    out.append(("Your rights" if not ko else "이의 제기 및 재검토 요청", _rights(content, lang, review_url)))
    if content["legal_basis"][lang]:
        out.append(("Legal basis" if not ko else "근거", "; ".join(content["legal_basis"][lang])))
    return out


def _rights(content: dict[str, Any], lang: str, review_url: str | None) -> str:
    contact = content["oversight"] or {}
    who = ", ".join(str(v) for v in (contact.get("name"), contact.get("email"), contact.get("phone")) if v)
    if lang == "ko":
        text = "이 결정에 대해 사람의 재검토를 요청하거나 이의를 제기할 수 있습니다."
        if review_url:
            text += f" 요청: {review_url}"
        return text + (f" 담당자: {who}" if who else "")
    text = "You can ask for this decision to be reviewed by a person, or object to it."
    if review_url:
        text += f" Request: {review_url}"
    return text + (f" Contact: {who}" if who else "")


def render_receipt_text(content: dict[str, Any], lang: str, review_url: str | None) -> str:
    return "\n\n".join(f"{h}\n{t}" for h, t in receipt_text(content, lang, review_url)) + "\n"


def render_receipt_html(content: dict[str, Any], lang: str, review_url: str | None) -> str:
    parts = receipt_text(content, lang, review_url)
    title, first = parts[0]
    body = "".join(f"<section><h2>{html.escape(h)}</h2>{_paragraphs(t)}</section>" for h, t in parts[1:])
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        '<style>body{font-family:"NanumGothic","Noto Sans CJK KR",system-ui,sans-serif;color:#111;'
        "background:#fff;max-width:44rem;margin:1.5rem auto;padding:0 1rem;line-height:1.55}"
        "h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.2rem}</style></head><body><main>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(first)}</p>{body}</main></body></html>\n"
    )


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))


def review_due(now: dt.datetime, days: int = DEFAULT_REVIEW_DAYS) -> dt.datetime:
    return now + dt.timedelta(days=days)
