"""Sentences the product writes into its records, in the reader's language.

Alert titles, incident timeline lines, automatic evidence titles and control history are
stored in English (the API, JSON exports and the ledger read them as before). Beside the
English, a record keeps the message key and its parameters where it has a JSON field (an
incident's ``source_ref``, a timeline line's ``data``); evidence titles are rebuilt from
the evidence type and its stored record. Pages and documents render the reader's language
from the key and parameters at read time, so a Korean page never shows the English
sentence, and never a Python repr: thresholds read "최대 0.2" / "max 0.2", categories are
the vocabulary's words.

Control history has no JSON field: its few generated sentences are recognised by their
English shape (:func:`control_detail`), which also covers records written before keys.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from haechi.domain.localformat import local_date, local_datetime, moment

from .vocab import CRA_INCIDENT_KINDS, INCIDENT_SOURCES, SERIOUS_CATEGORIES, SEVERITIES

Lang = str
#: key → (English, Korean) templates; ``{name}`` is a parameter formatted by :data:`_FORMATS`.
MESSAGES: dict[str, tuple[str, str]] = {
    "alert.title": ("Monitoring alert: {metric}{where} = {value} breaches {threshold} in window {window}",
                    "모니터링 경보: {metric}{where} = {value}, 기준 {threshold} 벗어남 (구간 {window})"),
    "alert.description": (
        "Raised by monitor '{monitor}'. Negative evidence {evidence} was attached to the controls it concerns. "
        "Assess whether this is a serious incident (EU AI Act Art. 3(49)) and classify it: the reporting clock "
        "counts from the alert.",
        "모니터 '{monitor}'의 경보로 열린 사고입니다. 부정 증적 {evidence}이(가) 관련 통제에 첨부되었습니다. "
        "중대한 사고(EU AI Act Art. 3(49))에 해당하는지 평가하고 분류하세요. 보고 기한은 경보 시각부터 계산됩니다."),
    "incident.opened": ("opened from {source}: {title}", "{source}(으)로 접수: {title}"),
    "incident.another_alert": ("another alert: {title}", "추가 경보: {title}"),
    "incident.classified": ("classified: categories {categories}; widespread infringement {widespread}; "
                            "jurisdictions {jurisdictions}; severity {severity}{cra}",
                            "분류: 중대 사고 유형 {categories}; 광범위한 침해 {widespread}; 관할 {jurisdictions}; "
                            "심각도 {severity}{cra}"),
    "incident.status": ("status {old} → {new}{note}", "상태 {old} → {new}{note}"),
    "incident.root_cause": ("root cause: {text}", "근본 원인: {text}"),
    "incident.action": ("corrective action: {text}", "시정 조치: {text}"),
    "incident.action_done": ("corrective action #{n} done", "시정 조치 #{n} 완료"),
    "incident.filed": ("report filed for {clock} at {at}{reference}", "{clock} 보고 제출: {at}{reference}"),
    "incident.closed": ("closed: {text}", "종결: {text}"),
    "evidence.alert": ("Monitoring alert: {metric}{where} = {value} breaches {threshold} in window {window}",
                       "모니터링 경보: {metric}{where} = {value}, 기준 {threshold} 벗어남 (구간 {window})"),
    "evidence.classification": ("Classification of card revision {revision} ({packs})",
                                "카드 개정 {revision} 분류 결과 ({packs})"),
    "evidence.deliveries": ("{count} {kind} deliveries recorded {start}..{end}",
                            "{kind} 전달 {count}건 기록 ({start}~{end})"),
    "evidence.coverage": ("{metric} {value} over {start}..{end}: {short} of {windows} windows under {threshold}",
                          "{metric} {value} ({start}~{end}): {windows}개 구간 중 {short}개가 기준({threshold}) 미달"),
    "evidence.incident": ("Incident {incident} handled: {title}", "사고 {incident} 처리 완료: {title}"),
    "evidence.energy": ("{activity} energy {kwh} kWh ({method}), {start}..{end}",
                        "{activity} 에너지 {kwh} kWh ({method}), {start}~{end}"),
    "evidence.plan": ("{title} v{version} ({title_ko})", "{title_ko} v{version}"),
    "control.demoted": ("demoted: {readiness}", "검토 필요로 변경: {readiness}"),
    "control.proposed": ("proposed because {ids} applies ({context})", "{ids} 적용으로 제안됨 ({context})"),
    "control.restored": ("restored because {ids} apply again ({context})", "{ids} 재적용으로 복원됨 ({context})"),
    "control.retired": ("retired because {ids} no longer apply ({context})", "{ids} 미적용으로 폐지됨 ({context})"),
    "control.now_serves": ("now serves {ids} ({context})", "이제 {ids}에 대응 ({context})"),
    "control.approved": ("approved by {who}: {note}", "{who} 승인: {note}"),
    "control.evidence_accepted": ("{ref} accepted: {note}", "{ref} 승인: {note}"),
    "control.evidence_rejected": ("{ref} rejected: {note}", "{ref} 반려: {note}"),
    # a text its author wrote in both languages (e.g. an incident a Korean firm also reports in English)
    "text.bilingual": ("{en}", "{ko}"),
}

_THRESHOLD_WORDS = {"max": ("max", "최대"), "min": ("min", "최소"), "max_abs": ("max |x|", "절댓값 최대"),
                    "max_drop": ("max drop", "최대 하락"), "max_rise": ("max rise", "최대 상승")}
_DELIVERY_KO = {"notice": "고지", "label": "생성물 표시", "notice delivery": "고지"}
_ENERGY_KO = {"training": "학습", "fine_tuning": "미세조정", "inference": "추론", "evaluation": "평가",
              "metered": "계량", "estimated": "추정", "codecarbon": "CodeCarbon"}
_YES_NO = {True: ("yes", "예"), False: ("no", "아니오")}


def message(key: str, **params: Any) -> dict[str, Any]:
    """What a record stores beside its English sentence (JSON-ready)."""
    return {"key": key, "params": params}


def say(key: str, **params: Any) -> tuple[str, dict[str, Any]]:
    """The English sentence to store and the message that renders it in any language."""
    stored = message(key, **params)
    return render(stored, "en"), stored


def render(stored: dict[str, Any], lang: Lang, code: Callable[[str], str] | None = None) -> str:
    """``stored`` (a :func:`message`) in ``lang`` (``ko``; anything else is English).

    ``code`` marks up identifiers from the user's data (a column, a monitor's name) and
    escapes everything else — pages pass an HTML marker so a Korean page shows
    ``age_band`` as code rather than as an English word."""
    en, ko = MESSAGES[stored["key"]]
    params = {name: _format(name, value, lang, code) for name, value in (stored.get("params") or {}).items()}
    # a parameter added to a sentence later is simply absent from the records written before it
    return (ko if lang == "ko" else en).format(**{name: "" for name in _LATER_PARAMS} | params)


def localized(text: str | None, stored: Any, lang: Lang, code: Callable[[str], str] | None = None) -> str | None:
    """The stored message in ``lang`` when there is one, else the stored text as it is."""
    if isinstance(stored, dict) and stored.get("key") in MESSAGES:
        try:
            return render(stored, lang, code)
        except (KeyError, IndexError, ValueError):  # a message of a newer release: keep its English
            return text
    return text


def threshold(value: Any, lang: Lang = "en") -> str:
    """``{'max': 0.2}`` as "max 0.2" / "최대 0.2" (several bounds joined with commas)."""
    if not isinstance(value, dict):
        return _number(value)
    words = [f"{_THRESHOLD_WORDS.get(k, (k, k))[lang == 'ko']} {_number(v)}" for k, v in value.items()]
    return ", ".join(words)


def _number(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _metric(value: Any, lang: Lang) -> str:
    from haechi.monitor.metrics.catalog import METRICS, short_label

    return short_label(str(value), lang) if lang == "ko" and value in METRICS else str(value)


def _categories(value: Any, lang: Lang) -> str:
    words = [SERIOUS_CATEGORIES.get(c, (c, c))[lang == "ko"] for c in value or []]
    return ", ".join(words) or ("없음" if lang == "ko" else "none")


def _vocab(table: dict[str, tuple[str, str]]) -> Callable[[Any, Lang], str]:
    return lambda value, lang: table[value][lang == "ko"] if value in table else str(value)


def _status(value: Any, lang: Lang) -> str:
    words = {"open": "열림", "investigating": "조사 중", "mitigated": "완화됨", "closed": "종결"}
    return words.get(value, str(value)) if lang == "ko" else str(value)


def _optional(prefix_en: str, prefix_ko: str) -> Callable[[Any, Lang], str]:
    return lambda value, lang: f"{prefix_ko if lang == 'ko' else prefix_en}{value}" if value else ""


def _window(value: Any, lang: Lang) -> str:
    """A monitoring window's start (UTC, as windows are cut): the day, or the minute when not midnight."""
    if lang != "ko":
        return str(value)
    start = moment(value)
    if isinstance(start, dt.datetime) and start.astimezone(dt.UTC).time() == dt.time(0):
        return local_date(start, lang, "UTC")
    return local_datetime(value, lang, "UTC")


#: Regulator clocks by key, as a filing's timeline line names them.
_CLOCK_NAMES = {
    "eu.73": ("EU AI Act Art. 73", "EU AI Act 제73조"),
    "kr.33": ("AI Basic Act Art. 33", "인공지능기본법 제33조"),
    "cra.14.early_warning": ("Cyber Resilience Act early warning", "사이버복원력법 조기 경보"),
    "cra.14.notification": ("Cyber Resilience Act notification", "사이버복원력법 통지"),
    "cra.14.final": ("Cyber Resilience Act final report", "사이버복원력법 최종 보고"),
}


def _clock(value: Any, lang: Lang) -> str:
    """A clock key as people name it (an unknown key as it is)."""
    key = str(value)
    names = _CLOCK_NAMES.get(key) or _CLOCK_NAMES.get(".".join(key.split(".")[:2]))
    return names[lang == "ko"] if names else key


def _cra(value: Any, lang: Lang) -> str:
    """``; Cyber Resilience Act: actively exploited vulnerability …`` (nothing when not a CRA case)."""
    if not value:
        return ""
    prefix = "; 사이버복원력법: " if lang == "ko" else "; Cyber Resilience Act: "
    return prefix + (CRA_INCIDENT_KINDS[value][lang == "ko"] if value in CRA_INCIDENT_KINDS else str(value))


_FORMATS: dict[str, Callable[[Any, Lang], str]] = {
    "clock": _clock,
    "cra": _cra,
    "at": local_datetime,
    # a period's first and last day: Korean reads 2026년 11월 8일; English keeps the stored text
    "start": lambda value, lang: local_date(value, lang, "UTC") if lang == "ko" else str(value),
    "end": lambda value, lang: local_date(value, lang, "UTC") if lang == "ko" else str(value),
    "threshold": threshold,
    "window": _window,
    "value": lambda value, lang: _number(value),
    "metric": _metric,
    "where": lambda value, lang: f" {value}" if value else "",
    "categories": _categories,
    "widespread": lambda value, lang: _YES_NO[bool(value)][lang == "ko"],
    "jurisdictions": lambda value, lang: ", ".join(value or []) or ("없음" if lang == "ko" else "none"),
    "severity": _vocab(SEVERITIES),
    "source": _vocab(INCIDENT_SOURCES),
    "old": _status, "new": _status,
    "note": _optional(": ", ": "),
    "reference": _optional(" (ref ", " (접수번호 "),
    "activity": lambda value, lang: _ENERGY_KO.get(str(value), str(value)) if lang == "ko"
    else str(value).replace("_", " ").capitalize(),
    "method": lambda value, lang: _ENERGY_KO.get(str(value), str(value)) if lang == "ko" else str(value),
    "kwh": lambda value, lang: f"{value:g}" if isinstance(value, int | float) else str(value),
    "kind": lambda value, lang: _DELIVERY_KO.get(str(value), str(value)) if lang == "ko"
    else str(value).replace("_", " "),
}


#: Parameters sentences gained after records were written with them (rendered empty when absent).
_LATER_PARAMS = ("cra",)

#: Parameters that are identifiers from the user's data, shown as code on pages.
_IDENTIFIERS = {"where", "monitor"}


def _format(name: str, value: Any, lang: Lang, code: Callable[[str], str] | None = None) -> str:
    if name == "title" and isinstance(value, dict):  # a title that is itself a message
        return render(value, lang, code)
    if name == "reference" and value:
        text = _FORMATS[name](value, lang) + ")"
    else:
        text = _FORMATS[name](value, lang) if name in _FORMATS else str(value)
    if code is None:
        return text
    if name in _IDENTIFIERS and value:
        return (" " if name == "where" else "") + code(str(value))
    return _escape(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- control history: recognised by the English the control service writes -----------
_READINESS = [(re.compile(r"no fresh evidence of type (.+)"), "유효한 증적 없음: {0}"),
              (re.compile(r"unresolved negative evidence (.+)"), "해결되지 않은 부정 증적: {0}")]
_CONTROL = [(re.compile(r"demoted: (?P<readiness>.+)"), "control.demoted"),
            (re.compile(r"proposed because (?P<ids>.+?) appl(?:ies|y) \((?P<context>.*)\)"), "control.proposed"),
            (re.compile(r"restored because (?P<ids>.+?) apply again \((?P<context>.*)\)"), "control.restored"),
            (re.compile(r"retired because (?P<ids>.+?) no longer apply \((?P<context>.*)\)"), "control.retired"),
            (re.compile(r"now serves (?P<ids>[^;(]+)(?:;[^(]*)? \((?P<context>.*)\)"), "control.now_serves"),
            (re.compile(r"approved by (?P<who>\S+): (?P<note>.*)", re.S), "control.approved"),
            (re.compile(r"(?P<ref>E-\d+) accepted: (?P<note>.*)", re.S), "control.evidence_accepted"),
            (re.compile(r"(?P<ref>E-\d+) rejected: (?P<note>.*)", re.S), "control.evidence_rejected")]
_CONTEXT = [(re.compile(r"card revision (\d+)"), "카드 개정 {0}"),
            (re.compile(r"\((create|update|restore)\)"), "({0})"),
            (re.compile(r"packs none"), "적용 법령 팩 없음"),
            (re.compile(r"packs "), "법령 팩 "),
            (re.compile(r"law-pack verdict changed"), "법령 팩 판정 변경"),
            (re.compile(r"its obligations"), "해당 의무"),
            (re.compile(r"system removed"), "시스템 삭제")]
_ACTIONS_KO = {"create": "등록", "update": "수정", "restore": "복원"}


def control_detail(text: str | None, lang: Lang) -> str | None:
    """A control history line in ``lang``: the control service's sentences are recognised;
    anything a person typed (a transition reason) is shown as typed."""
    if lang != "ko" or not text:
        return text
    for pattern, key in _CONTROL:
        found = pattern.fullmatch(text)
        if found:
            parts = found.groupdict()
            ko = MESSAGES[key][1]
            values = {name: _ko_part(name, value) for name, value in parts.items()}
            return ko.format(**values)
    return text


def _readiness_ko(part: str) -> str:
    for pattern, ko in _READINESS:
        found = pattern.fullmatch(part)
        if found:
            return ko.format(*found.groups())
    return part


def _ko_part(name: str, value: str) -> str:
    if name == "readiness":
        return "; ".join(_readiness_ko(part) for part in value.split("; "))
    if name == "context":
        for pattern, ko in _CONTEXT:
            value = pattern.sub(_context_ko(ko), value)
    return value


def _context_ko(template: str) -> Callable[[re.Match[str]], str]:
    def replace(found: re.Match[str]) -> str:
        return template.format(*[_ACTIONS_KO.get(g, g) for g in found.groups()])
    return replace


# --- automatic evidence: the title is rebuilt from the evidence type and its record ---------
_PLAN_TITLE = re.compile(r"(?P<en>.+) v(?P<version>\d+) \((?P<ko>[^()]+)\)")


def evidence_title(evidence_type: str, source: str | None, title: str, record: Any, lang: Lang) -> str:
    """An automatic evidence item's title in ``lang``; typed titles are shown as typed."""
    if lang != "ko" or not isinstance(record, dict):
        return title
    stored = evidence_message(evidence_type, source, title, record)
    return localized(title, stored, lang) or title


def evidence_message(evidence_type: str, source: str | None, title: str,
                      r: dict[str, Any]) -> dict[str, Any] | None:
    if evidence_type == "monitoring_result" and source == "monitoring" and "metric" in r:
        where = "/".join(str(x) for x in (r.get("scope"), r.get("group")) if x)
        return message("evidence.alert", metric=r["metric"], where=where, value=r.get("value"),
                       threshold=r.get("threshold"), window=r.get("window_start"))
    if evidence_type == "classification_run" and source == "classification" and "revision" in r:
        return message("evidence.classification", revision=r["revision"], packs=r.get("packs") or "")
    if evidence_type == "notice_delivery" and source == "transparency.deliveries" and "count" in r:
        return message("evidence.deliveries", count=r["count"], kind=r.get("kind"),
                       start=str(r.get("from"))[:10], end=str(r.get("to"))[:10])
    if source == "monitoring.generative" and "metric" in r and "short_windows" in r:
        return message("evidence.coverage", metric=r["metric"], value=r.get("value"), start=str(r.get("start"))[:10],
                       end=str(r.get("end"))[:10], short=len(r["short_windows"]), windows=r.get("windows"),
                       threshold=r.get("threshold"))
    if evidence_type == "incident_record" and source == "incident" and "incident" in r:
        return message("evidence.incident", incident=r["incident"], title=r.get("title") or "")
    if evidence_type == "energy_record" and source == "esg" and "kwh" in r:
        return message("evidence.energy", activity=r.get("activity"), kwh=r["kwh"], method=r.get("method"),
                       start=r.get("start"), end=r.get("end"))
    if evidence_type == "plan" and source == "plan":
        found = _PLAN_TITLE.fullmatch(title)
        if found:
            return message("evidence.plan", title=found["en"], title_ko=found["ko"], version=found["version"])
    return None


def identifiers(*stored: Any) -> list[str]:
    """The identifiers from the user's data (columns, monitor names) in stored messages, so a page
    can mark them as code where they appear in plain text (e.g. an incident report draft)."""
    found: list[str] = []
    for item in stored:
        if not isinstance(item, dict):
            continue
        for name, value in (item.get("params") or {}).items():
            if name == "title":
                found += identifiers(value)
            elif name in _IDENTIFIERS and value:
                found += [part for part in str(value).split("/") if part]
    return sorted(set(found), key=len, reverse=True)
