"""The regulator clocks of one incident: EU AI Act Art. 73 and EU Cyber Resilience Act Art. 14.

* Art. 73 (serious incidents of AI systems) runs in days from becoming aware and stops at
  the first report filed (an initial, incomplete report is allowed).
* CRA Art. 14 (from 2026-09-11) applies when the incident is an actively exploited
  vulnerability or a severe incident having an impact on the security of a product with
  digital elements, and the ``eu-cra`` pack says the reporting duty applies to the
  system's card on the day of becoming aware. Three reports, each through ENISA's single
  reporting platform to the coordinating CSIRT and ENISA: an early warning within 24 hours
  and a notification within 72 hours of becoming aware (absolute hours), then a final
  report 14 days after a corrective or mitigating measure is available (vulnerability,
  Art. 14(2)(c)) or one month after the incident notification (Art. 14(4)(c)). The final
  report's clock starts only once its starting event is recorded.

Pure functions: the service and the reminders feed them stored rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from .deadlines import Clock, ClockSpec, eu_clock_spec, hour_spec, month_spec

CRA = "Regulation (EU) 2024/2847"
CRA_EARLY_WARNING_VULNERABILITY = hour_spec(
    "cra.14.early_warning", "EU", 24, "operator",
    "Send the CRA early warning of the exploited vulnerability to the coordinating CSIRT and ENISA",
    "조정 CSIRT와 ENISA에 실제 악용 취약점 조기 경보 제출", f"{CRA} Art. 14(2)(a)")
CRA_NOTIFICATION_VULNERABILITY = hour_spec(
    "cra.14.notification", "EU", 72, "operator", "Send the CRA vulnerability notification",
    "사이버복원력법 취약점 통지 제출", f"{CRA} Art. 14(2)(b)")
CRA_FINAL_VULNERABILITY = ClockSpec(
    "cra.14.final", "EU", 14, "operator",
    "Send the CRA final report (14 days after a corrective or mitigating measure is available)",
    "사이버복원력법 최종 보고 제출(시정·완화 조치가 가능해진 뒤 14일)", f"{CRA} Art. 14(2)(c)")
CRA_EARLY_WARNING_INCIDENT = hour_spec(
    "cra.14.early_warning", "EU", 24, "operator",
    "Send the CRA early warning of the severe incident to the coordinating CSIRT and ENISA",
    "조정 CSIRT와 ENISA에 중대 사고 조기 경보 제출", f"{CRA} Art. 14(4)(a)")
CRA_NOTIFICATION_INCIDENT = hour_spec(
    "cra.14.notification", "EU", 72, "operator", "Send the CRA incident notification",
    "사이버복원력법 사고 통지 제출", f"{CRA} Art. 14(4)(b)")
CRA_FINAL_INCIDENT = month_spec(
    "cra.14.final", "EU", 1, "operator", "Send the CRA final report (one month after the incident notification)",
    "사이버복원력법 최종 보고 제출(사고 통지 후 1개월)", f"{CRA} Art. 14(4)(c)")

#: The pack obligation whose status decides whether each kind's clocks run.
CRA_OBLIGATIONS = {"exploited_vulnerability": "cra.14.1.exploited-vulnerability-report",
                   "severe_incident": "cra.14.3.severe-incident-report"}
CRA_SPECS: dict[str, tuple[ClockSpec, ClockSpec, ClockSpec]] = {
    "exploited_vulnerability": (CRA_EARLY_WARNING_VULNERABILITY, CRA_NOTIFICATION_VULNERABILITY,
                                CRA_FINAL_VULNERABILITY),
    "severe_incident": (CRA_EARLY_WARNING_INCIDENT, CRA_NOTIFICATION_INCIDENT, CRA_FINAL_INCIDENT),
}


def cra_reporting_applies(card: Mapping[str, Any] | None, kind: str | None, day: dt.date) -> bool:
    """Whether the ``eu-cra`` pack's Art. 14 duty for ``kind`` applies to ``card`` on ``day``.

    Only a card that answers it (a product with digital elements on the EU market, made by
    the organisation) starts the clocks; the incident page says why none run otherwise."""
    if not card or kind not in CRA_OBLIGATIONS:
        return False
    from haechi.rules import classify

    result = classify(dict(card), as_of=day, packs=["eu-cra"]).results[0]
    found = result.obligation(CRA_OBLIGATIONS[str(kind)])
    return found is not None and found.status == "applies"


def cra_clocks(kind: str, aware_at: dt.datetime, tz: str, filed: Mapping[str, dt.datetime],
               fix_available_at: dt.datetime | None = None, subject: str | None = None) -> list[Clock]:
    """The Art. 14 clocks of one incident; ``filed`` maps a clock key to its first filing."""
    early, notification, final = CRA_SPECS[kind]
    clocks = [Clock(early, aware_at, tz, filed.get(early.key), subject),
              Clock(notification, aware_at, tz, filed.get(notification.key), subject)]
    final_start = fix_available_at if kind == "exploited_vulnerability" else filed.get(notification.key)
    if final_start is not None:
        clocks.append(Clock(final, final_start, tz, filed.get(final.key), subject))
    return clocks


def first_filings(filings: Iterable[tuple[str, dt.datetime]]) -> dict[str, dt.datetime]:
    """The first filing of each clock key (AI Act Art. 73 filings all count as ``eu.73``)."""
    out: dict[str, dt.datetime] = {}
    for clock, at in sorted(filings, key=lambda f: f[1]):
        out.setdefault("eu.73" if clock.startswith("eu.73") else clock, at)
    return out


def incident_clocks(classification: Mapping[str, Any], aware_at: dt.datetime, tz: str,
                    filings: Iterable[tuple[str, dt.datetime]], card: Mapping[str, Any] | None,
                    subject: str | None = None) -> list[Clock]:
    """Every regulator clock of an incident: Art. 73 when it is serious and EU, CRA Art. 14 when
    the card is a CRA product and the duty applies on the day of becoming aware."""
    filed = first_filings(filings)
    clocks = []
    spec = eu_clock_spec(list(classification.get("categories") or []),
                         bool(classification.get("widespread_infringement")))
    if spec is not None and "EU" in (classification.get("jurisdictions") or []):
        clocks.append(Clock(spec, aware_at, tz, filed.get("eu.73"), subject))
    kind = classification.get("cra")
    if kind and cra_reporting_applies(card, kind, aware_at.astimezone(ZoneInfo(tz)).date()):
        fix = classification.get("cra_fix_available_at")
        clocks += cra_clocks(kind, aware_at, tz, filed, dt.datetime.fromisoformat(fix) if fix else None, subject)
    return clocks
