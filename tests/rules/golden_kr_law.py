"""Golden cases for the Korean and Japanese law content and the engine's date logic.

Each case carries its legal reason in a comment; fact ids ([KR-...], [JP-...]) point to
the regulation fact base the packs cite. ``notes`` lists note ids the result must show,
``reasons`` maps an obligation to words one of its reasons must contain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .cards import UNKNOWN, card
from .golden_cases import KR, Case

EU_V1 = "eu-ai-act@1"
D = dt.date


@dataclass
class LawCase(Case):
    notes: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)


CASES: list[LawCase] = [
    # --- engine: a start date after the evaluation date wins over everything else ----------
    # Before 2026-01-22 the Act is not in force: a high-impact duty whose applicability is
    # still open (significant_impact unknown) is not_in_force, not may_apply.
    LawCase("date-not-in-force-beats-may-apply", card(domains=["credit"], significant_impact=UNKNOWN),
            KR, as_of=D(2026, 1, 10), not_in_force=["kr.34.1.risk-management-plan"],
            questions=["significant_impact"],
            reasons={"kr.34.1.risk-management-plan": "in force from 2026-01-22"}),
    # EU Art. 50(1) starts 2026-08-02; its "obvious" exception cannot exempt a system from a
    # duty that is not yet in force.
    LawCase("date-not-in-force-beats-exempt", card(interacts_with_people=True, generative__ai_use_obvious=True),
            EU_V1, as_of=D(2026, 5, 1), not_in_force=["eu.50.1.disclose-interaction"]),
]

CASES += [
    # Decree Art. 23(4): the methods may be disapplied "in whole or in part" where AI use is
    # obvious — a partial exception, so the output-label duty still applies [KR-31-5].
    LawCase("kr-31-partial-exception-keeps-the-label-duty",
            card(generative__modalities=["image"], generative__ai_use_obvious=True,
                 generative__outputs_leave_service=True), KR,
            applies=["kr.31.2.output-label", "kr.31.1.advance-notice"],
            reasons={"kr.31.2.output-label": "partial exception"}),
]
