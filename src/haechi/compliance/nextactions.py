"""What to do next: a short, ordered list built from clocks, controls, evidence and risks.

Order: regulator clocks that are overdue or about to run out, then controls that lost
their proof, overdue controls, expiring evidence, unmet obligations, risks without a
decision, and finally the questions that keep obligations unknown.
"""

from __future__ import annotations

from typing import Any


def _action(priority: int, kind: str, text: str, text_ko: str, **extra: Any) -> dict[str, Any]:
    return {"priority": priority, "kind": kind, "text": text, "text_ko": text_ko, **extra}


def _clock_actions(clocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for c in clocks:
        subject = c.get("incident") or f"confirmation #{c.get('confirmation')}"
        if c["state"] == "overdue" and c["party"] == "operator":
            out.append(_action(1, "clock", f"{c['title']} for {subject}: {c['countdown']}",
                               f"{c['title_ko']} ({subject}): {c['countdown_ko']}", due=c["due_at"],
                               ref=subject, system=c.get("system")))
        elif c["state"] == "due_soon" and c["party"] == "operator":
            out.append(_action(2, "clock", f"{c['title']} for {subject}: {c['countdown']}",
                               f"{c['title_ko']} ({subject}): {c['countdown_ko']}", due=c["due_at"],
                               ref=subject, system=c.get("system")))
        elif c["state"] == "overdue" and c["party"] == "regulator":
            out.append(_action(6, "clock", f"MSIT has not answered {subject} in time ({c['countdown']}): follow up",
                               f"과기정통부 회신 기한 경과 ({subject}): 확인 요청", due=c["due_at"], ref=subject,
                               system=c.get("system")))
    return out


def _control_actions(system: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for c in system["controls_detail"]:
        base = {"ref": c["ref"], "system": system["system"], "due": c["due_date"]}
        if c["status"] == "needs_review":
            reason = c["status_reason"] or ""
            out.append(_action(3, "control", f"{c['ref']} {c['title']} needs review: {reason}".strip(),
                               f"{c['ref']} {c['title_ko']} 검토 필요", **base))
        elif c["status"] == "operating" and not c["effective"]:
            out.append(_action(3, "control", f"{c['ref']} {c['title']} lost its proof: "
                               f"{', '.join(c['health']['missing_types'] + c['health']['open_negative'])}",
                               f"{c['ref']} {c['title_ko']}: 증적이 유효하지 않음", **base))
        elif c["overdue"]:
            out.append(_action(3, "control", f"{c['ref']} {c['title']} is overdue (due {c['due_date']})",
                               f"{c['ref']} {c['title_ko']} 기한 초과 ({c['due_date']})", **base))
        elif c["health"]["expiring"]:
            out.append(_action(4, "evidence", f"{c['ref']} {c['title']}: evidence "
                               f"{', '.join(c['health']['expiring'])} expires soon; add fresh evidence",
                               f"{c['ref']} {c['title_ko']}: 증적 만료 임박", **base))
        elif c["status"] in ("not_started", "in_progress"):
            out.append(_action(5, "control", f"{c['ref']} {c['title']} is {c['status'].replace('_', ' ')}"
                               + (f" (due {c['due_date']})" if c["due_date"] else ""),
                               f"{c['ref']} {c['title_ko']} 진행 필요", **base))
    return out


def _unknown_actions(system: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for ob in system["obligations"]:
        if ob["state"] != "unknown":
            continue
        questions = [r.removeprefix("unknown: ") for r in ob.get("reasons", []) if r.startswith("unknown: ")]
        if ob["status"] == "may_apply":
            asked = ", ".join(questions)
            text = f"{system['system']}: answer {asked or 'the open card questions'} to settle {ob['id']}"
            text_ko = f"{system['system']}: {ob['id']} 판단을 위해 카드 항목 {asked}을(를) 입력하세요"
        else:
            text = f"{system['system']}: no control covers {ob['id']} ({ob.get('citation') or ''}); add one"
            text_ko = f"{system['system']}: {ob['id']}을(를) 다루는 통제가 없습니다"
        out.append(_action(7, "obligation", text, text_ko, ref=ob["id"], system=system["system"]))
    return out


def _risk_actions(risks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in risks:
        rating = r["residual"] or r["inherent"]
        base = {"ref": r["ref"], "system": r["system"], "due": r["review_date"]}
        if rating and rating["level"] in ("high", "critical") and r["status"] == "open" and not r["treatments"]:
            out.append(_action(4, "risk", f"{r['ref']} {r['title']} is {rating['level']} with no treatment",
                               f"{r['ref']} {r['title']}: 대응 조치 없음 ({rating['level_label_ko']})", **base))
        elif r["review_overdue"]:
            out.append(_action(5, "risk", f"{r['ref']} {r['title']}: review was due {r['review_date']}",
                               f"{r['ref']} {r['title']}: 검토 기한 경과", **base))
    return out


def next_actions(systems: list[dict[str, Any]], clocks: list[dict[str, Any]],
                 risks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every suggested action, most urgent first."""
    actions = _clock_actions(clocks) + _risk_actions(risks)
    for system in systems:
        actions += _control_actions(system) + _unknown_actions(system)
    return sorted(actions, key=lambda a: (a["priority"], a.get("due") or "9999"))
