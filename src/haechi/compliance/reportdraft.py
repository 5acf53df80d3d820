"""Draft incident reports in the structure a regulator expects (English and Korean).

EU: the serious-incident report of AI Act Art. 73 — provider and system, what happened,
when the provider became aware, the Art. 3(49) category, the causal link, affected
persons, measures, the investigation (the system must not be altered in a way that
affects later evaluation before the authorities are informed), and the deadline. The
Commission's reporting template was not available to us, so the headings follow the
article's content (uncertain: check the current template before filing).

When the incident is an actively exploited vulnerability or a severe incident of a product
with digital elements, the EU draft also names it under the Cyber Resilience Act and lists
the Art. 14 clocks (early warning, notification, final report) beside Art. 73.

Korea: the AI Basic Act sets no incident-report deadline; the draft serves internal
escalation and MSIT material requests under Art. 40, in the same structure.
"""

from __future__ import annotations

import re
from typing import Any

from haechi.domain.localformat import DEFAULT_ZONE, local_date, local_datetime

from .messages import identifiers
from .vocab import CRA_INCIDENT_KINDS, SERIOUS_CATEGORIES, SEVERITIES, label

NOTE = {
    "eu": ("Structure follows the content of EU AI Act Art. 73; the Commission's reporting template was not "
           "consulted (uncertain). An initial, incomplete report may be filed first and completed later.",
           "EU AI Act 제73조의 내용에 따른 구성이며, 집행위원회 보고 서식은 확인하지 못했습니다(불확실). "
           "불완전한 최초 보고 후 보완할 수 있습니다."),
    "kr": ("The Korean AI Basic Act sets no statutory incident-report deadline; this draft supports internal "
           "escalation and answers to MSIT material requests (Art. 40).",
           "인공지능기본법에는 사고 보고 법정 기한이 없습니다. 이 초안은 내부 보고와 과기정통부 자료 요구"
           "(제40조) 대응을 위한 것입니다."),
}


def _h(en: str, ko: str, lang: str) -> str:
    return ko if lang == "ko" else en


def draft_report(incident: dict[str, Any], system: dict[str, Any] | None, org: dict[str, Any],
                 regulator: str = "eu", lang: str = "en") -> dict[str, Any]:
    """Sections of a draft report for ``incident`` (a dict from the incident service)."""
    c = incident["classification"]
    cats = [label(SERIOUS_CATEGORIES, k, lang) for k in c.get("categories", [])]
    clocks = incident.get("clocks", [])
    card = (system or {}).get("card", {})
    model = card.get("model") or {}
    tz = incident.get("clock_tz") or DEFAULT_ZONE

    def when(value: Any) -> str:
        return local_datetime(value, lang, tz)

    sections = [
        (_h("1. Report", "1. 보고 구분", lang),
         _h("Initial report" if not incident.get("filings") else "Follow-up report",
            "최초 보고" if not incident.get("filings") else "후속 보고", lang)
         + f" — {incident['ref']}"),
        (_h("2. Reporting organisation", "2. 보고 기관", lang),
         f"{org.get('name_ko') if lang == 'ko' and org.get('name_ko') else org.get('name')}"),
        (_h("3. AI system", "3. 인공지능 시스템", lang),
         f"{_system_name(card, lang) or incident.get('system') or '-'} ({incident.get('system') or '-'}); "
         f"{_h('model', '모델', lang)} {model.get('name', '-')} {model.get('version', '')}; "
         f"{_h('roles', '역할', lang)} {', '.join(_role(r, lang) for r in card.get('roles') or []) or '-'}; "
         f"{_h('markets', '시장', lang)} {', '.join(card.get('markets') or []) or '-'}"),
        (_h("4. What happened", "4. 사고 내용", lang),
         f"{_ko(incident, 'title', lang)}\n{_ko(incident, 'description', lang) or ''}".strip()),
        (_h("5. Dates", "5. 일시", lang),
         _h(f"Occurred: {when(incident['occurred_at']) if incident.get('occurred_at') else 'unknown'}; "
            f"became aware: {when(incident['aware_at'])}",
            f"발생: {when(incident['occurred_at']) if incident.get('occurred_at') else '미상'}; "
            f"인지: {when(incident['aware_at'])}", lang)),
        (_h("6. Classification", "6. 분류", lang),
         _h("Serious-incident category (Art. 3(49)): ", "중대 사고 유형(제3조제49호): ", lang)
         + (", ".join(cats) or _h("not (yet) serious", "해당 없음(현재)", lang))
         + (_h("; widespread infringement", "; 광범위한 침해", lang) if c.get("widespread_infringement") else "")
         + (_h("; Cyber Resilience Act Art. 14: ", "; 사이버복원력법 제14조: ", lang)
            + label(CRA_INCIDENT_KINDS, c["cra"], lang) if c.get("cra") else "")
         + f"; {_h('severity', '심각도', lang)}: {label(SEVERITIES, incident['severity'], lang)}"),
        (_h("7. Causal link", "7. 인과관계", lang),
         incident.get("root_cause") or _h("Under investigation: the causal link between the AI system and the "
                                          "incident is not yet established.",
                                          "조사 중: 인공지능 시스템과 사고의 인과관계가 아직 확인되지 "
                                          "않았습니다.", lang)),
        (_h("8. Affected persons", "8. 영향받은 사람", lang), _affected(incident.get("affected") or {}, lang)),
        (_h("9. Measures taken and planned", "9. 조치 사항", lang), _actions(incident["corrective_actions"], lang)),
        (_h("10. Investigation", "10. 조사", lang),
         _h("The system will not be altered in a way that could affect the evaluation of the incident before the "
            "authorities are informed.",
            "당국에 알리기 전에는 사고 평가에 영향을 줄 수 있는 방식으로 시스템을 변경하지 않습니다.", lang)),
        (_h("11. Deadline", "11. 보고 기한", lang), _deadline(clocks, regulator, lang)),
        (_h("12. Timeline", "12. 경과", lang),
         "\n".join(f"{when(e['at'])} {_timeline_text(e, lang)}" for e in incident.get("timeline", [])) or "-"),
    ]
    note_en, note_ko = NOTE[regulator]
    return {"incident": incident["ref"], "regulator": regulator, "lang": lang,
            "title": _h(f"Draft serious-incident report — {incident['ref']}" if regulator == "eu"
                        else f"Draft incident report — {incident['ref']}",
                        f"중대 사고 보고서 초안 — {incident['ref']}" if regulator == "eu"
                        else f"사고 보고서 초안 — {incident['ref']}", lang),
            "note": note_ko if lang == "ko" else note_en,
            "sections": [{"heading": h, "body": b} for h, b in sections],
            "identifiers": _identifiers(incident, model)}


def _identifiers(incident: dict[str, Any], model: dict[str, Any]) -> list[str]:
    """Names from the user's data in the draft (columns, monitors, the model): code, not prose."""
    lines = [(e.get("data") or {}).get("message") for e in incident.get("timeline") or []]
    found = identifiers(incident.get("title_message"), incident.get("description_message"), *lines)
    return found + ([model["name"]] if model.get("name") and model["name"] not in found else [])


def _affected(affected: dict[str, Any], lang: str) -> str:
    if not affected:
        return _h("Not yet known", "아직 파악되지 않음", lang)
    return "; ".join(f"{k}: {v}" for k, v in affected.items())


def _actions(actions: list[dict[str, Any]], lang: str) -> str:
    if not actions:
        return _h("None recorded yet", "기록된 조치 없음", lang)
    return "\n".join(_action_line(a, lang) for a in actions)


def _action_line(action: dict[str, Any], lang: str) -> str:
    due = local_date(action["due"], lang) if action.get("due") else "-"
    status = _ACTION_STATUS_KO.get(action["status"], action["status"]) if lang == "ko" else action["status"]
    return f"- {action['action']} ({action.get('owner') or '-'}, {_h('due', '기한', lang)} {due}, {status})"


_ACTION_STATUS_KO = {"open": "진행 중", "done": "완료"}
_ROLES_KO = {"developer": "개발사업자", "deployer": "이용사업자"}


def _system_name(card: dict[str, Any], lang: str) -> str | None:
    return (card.get("name_ko") if lang == "ko" else None) or card.get("name")


def _role(role: str, lang: str) -> str:
    return _ROLES_KO.get(role, role) if lang == "ko" else role


#: Timeline line kinds in Korean drafts.
_EVENT_KINDS_KO = {"opened": "접수", "classified": "분류", "note": "메모", "status": "상태 변경",
                   "root_cause": "근본 원인", "action": "시정 조치", "action_done": "시정 조치 완료",
                   "report_filed": "보고 제출", "closed": "종결"}


def _ko(item: dict[str, Any], field: str, lang: str) -> Any:
    """A field in the draft's language: the Korean rendering the record carries, when there is one."""
    return item.get(f"{field}_ko") or item.get(field) if lang == "ko" else item.get(field)


def _event_kind(kind: str, lang: str) -> str:
    return _EVENT_KINDS_KO.get(kind, kind) if lang == "ko" else kind


def _timeline_text(event: dict[str, Any], lang: str) -> str:
    """A timeline line's words. A generated line already says what happened ("시정 조치: …"),
    so only a person's own note is introduced by its kind."""
    text = _ko(event, "text", lang) or ""
    if (event.get("data") or {}).get("message"):
        return str(text)
    return f"{_event_kind(event['kind'], lang)}: {text}"


def _deadline(clocks: list[dict[str, Any]], regulator: str, lang: str) -> str:
    if regulator == "kr":
        return _h("No statutory deadline (AI Basic Act).", "법정 기한 없음(인공지능기본법).", lang)
    if not clocks:
        return _h("No EU Art. 73 or Cyber Resilience Act Art. 14 clock applies on the current classification.",
                  "현재 분류로는 EU 제73조나 사이버복원력법 제14조 기한이 적용되지 않습니다.", lang)
    return "\n".join(_clock_line(c, lang) for c in clocks)


_STATES_KO = {"met": "기한 내 제출", "late": "기한 후 제출", "lapsed": "기간 경과", "overdue": "기한 초과"}


def _clock_line(c: dict[str, Any], lang: str) -> str:
    """``- title (citation): due time in the clock's zone — 5 hours left``."""
    title = c["title_ko"] if lang == "ko" else c["title"]
    left = (c["countdown_ko"] if lang == "ko" else c["countdown"]) or (
        _STATES_KO.get(c["state"], c["state"]) if lang == "ko" else c["state"])
    due = local_datetime(c["due_local"], lang, c.get("timezone") or DEFAULT_ZONE)
    return f"- {title} ({c['citation']}): {due} — {left}"


def render_markdown(draft: dict[str, Any]) -> str:
    """The draft as Markdown text (for the CLI and for copying into a regulator's form)."""
    lines = [f"# {draft['title']}", "", f"> {draft['note']}", ""]
    for section in draft["sections"]:
        lines += [f"## {section['heading']}", "", _code_spans(section["body"] or "-", draft.get("identifiers")), ""]
    return "\n".join(lines)


def _code_spans(text: str, names: list[str] | None) -> str:
    """``text`` with each identifier as a Markdown code span, so no reader takes it for prose."""
    if not names:
        return text
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<![\w`])({pattern})(?![\w`])", r"`\1`", text)
