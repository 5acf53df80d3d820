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


def _words(lang: str) -> Any:
    """The draft's words in ``lang`` from the dashboard's catalogues (``draft.*``)."""
    from haechi.web.i18n import Translator

    return Translator(lang)


def _word(t: Any, group: str, value: str) -> str:
    """A catalogue word for ``value``, the value itself when the catalogue has none."""
    return t(f"{group}.{value}") if t.has(f"{group}.{value}") else value


def draft_report(incident: dict[str, Any], system: dict[str, Any] | None, org: dict[str, Any],
                 regulator: str = "eu", lang: str = "en") -> dict[str, Any]:
    """Sections of a draft report for ``incident`` (a dict from the incident service)."""
    t = _words(lang)
    c = incident["classification"]
    cats = [label(SERIOUS_CATEGORIES, k, lang) for k in c.get("categories", [])]
    clocks = incident.get("clocks", [])
    card = (system or {}).get("card", {})
    model = card.get("model") or {}
    tz = incident.get("clock_tz") or DEFAULT_ZONE

    def when(value: Any) -> str:
        return local_datetime(value, lang, tz)

    occurred = when(incident["occurred_at"]) if incident.get("occurred_at") else t("draft.unknown")
    sections = [
        ("report", t("draft.follow_up" if incident.get("filings") else "draft.initial") + f" — {incident['ref']}"),
        ("organisation", f"{org.get('name_ko') if lang == 'ko' and org.get('name_ko') else org.get('name')}"),
        ("system",
         f"{_system_name(card, lang) or incident.get('system') or '-'} ({incident.get('system') or '-'}); "
         f"{t('draft.model')} {model.get('name', '-')} {model.get('version', '')}; "
         f"{t('draft.roles')} {', '.join(_role(t, r) for r in card.get('roles') or []) or '-'}; "
         f"{t('draft.markets')} {', '.join(card.get('markets') or []) or '-'}"),
        ("what", f"{_ko(incident, 'title', lang)}\n{_ko(incident, 'description', lang) or ''}".strip()),
        ("dates", t("draft.occurred", occurred=occurred, aware=when(incident["aware_at"]))),
        ("classification",
         t("draft.category") + (", ".join(cats) or t("draft.not_serious"))
         + (t("draft.widespread") if c.get("widespread_infringement") else "")
         + (t("draft.cra") + label(CRA_INCIDENT_KINDS, c["cra"], lang) if c.get("cra") else "")
         + f"; {t('draft.severity')}: {label(SEVERITIES, incident['severity'], lang)}"),
        ("causal_link", incident.get("root_cause") or t("draft.causal_unknown")),
        ("affected", _affected(t, incident.get("affected") or {})),
        ("measures", _actions(t, incident["corrective_actions"])),
        ("investigation", t("draft.not_altered")),
        ("deadline", _deadline(t, clocks, regulator)),
        ("timeline",
         "\n".join(f"{when(e['at'])} {_timeline_text(t, e)}" for e in incident.get("timeline", [])) or "-"),
    ]
    return {"incident": incident["ref"], "regulator": regulator, "lang": lang,
            "title": t(f"draft.title.{regulator}", ref=incident["ref"]),
            "note": t(f"draft.note.{regulator}"),
            "sections": [{"heading": t(f"draft.heading.{h}"), "body": b} for h, b in sections],
            "identifiers": _identifiers(incident, model)}


def _identifiers(incident: dict[str, Any], model: dict[str, Any]) -> list[str]:
    """Names from the user's data in the draft (columns, monitors, the model): code, not prose."""
    lines = [(e.get("data") or {}).get("message") for e in incident.get("timeline") or []]
    found = identifiers(incident.get("title_message"), incident.get("description_message"), *lines)
    return found + ([model["name"]] if model.get("name") and model["name"] not in found else [])


def _affected(t: Any, affected: dict[str, Any]) -> str:
    if not affected:
        return str(t("draft.affected_unknown"))
    return "; ".join(f"{k}: {v}" for k, v in affected.items())


def _actions(t: Any, actions: list[dict[str, Any]]) -> str:
    if not actions:
        return str(t("draft.no_actions"))
    return "\n".join(_action_line(t, a) for a in actions)


def _action_line(t: Any, action: dict[str, Any]) -> str:
    due = local_date(action["due"], t.lang) if action.get("due") else "-"
    status = _word(t, "draft.action_status", action["status"])
    return f"- {action['action']} ({action.get('owner') or '-'}, {t('draft.due')} {due}, {status})"


def _system_name(card: dict[str, Any], lang: str) -> str | None:
    return (card.get("name_ko") if lang == "ko" else None) or card.get("name")


def _role(t: Any, role: str) -> str:
    # English drafts keep the card's own role values (developer, deployer)
    return _word(t, "vocab.role", role) if t.lang == "ko" else role


def _ko(item: dict[str, Any], field: str, lang: str) -> Any:
    """A field in the draft's language: the Korean rendering the record carries, when there is one."""
    return item.get(f"{field}_ko") or item.get(field) if lang == "ko" else item.get(field)


def _timeline_text(t: Any, event: dict[str, Any]) -> str:
    """A timeline line's words. A generated line already says what happened ("시정 조치: …"),
    so only a person's own note is introduced by its kind."""
    text = _ko(event, "text", t.lang) or ""
    if (event.get("data") or {}).get("message"):
        return str(text)
    return f"{_word(t, 'draft.event', event['kind'])}: {text}"


def _deadline(t: Any, clocks: list[dict[str, Any]], regulator: str) -> str:
    if regulator == "kr":
        return str(t("draft.no_deadline_kr"))
    if not clocks:
        return str(t("draft.no_clock"))
    return "\n".join(_clock_line(t, c) for c in clocks)


def _clock_line(t: Any, c: dict[str, Any]) -> str:
    """``- title (citation): due time in the clock's zone — 5 hours left``."""
    ko = t.lang == "ko"
    title = c["title_ko"] if ko else c["title"]
    left = (c["countdown_ko"] if ko else c["countdown"]) or _word(t, "draft.clock_state", c["state"])
    due = local_datetime(c["due_local"], t.lang, c.get("timezone") or DEFAULT_ZONE)
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
