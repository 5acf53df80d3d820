"""Golden cases for the Korean and Japanese law content and the engine's date logic.

Each case carries its legal reason in a comment; fact ids ([KR-...], [JP-...]) point to
the regulation fact base the packs cite. ``notes`` lists note ids the result must show,
``reasons`` maps an obligation to words one of its reasons must contain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .cards import UNKNOWN, card
from .golden_cases import HI_DUTIES, KR, Case

EU_V1 = "eu-ai-act@1"
D = dt.date


@dataclass
class LawCase(Case):
    notes: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    guidance: dict[str, list[str]] = field(default_factory=dict)
    no_guidance: dict[str, list[str]] = field(default_factory=dict)


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

HI = {"significant_impact": True}
ITEMS = {"kr.34.1.risk-management-plan": "34(1)(1)", "kr.34.1.explanation-plan": "34(1)(2)",
         "kr.34.1.user-protection-plan": "34(1)(3)", "kr.34.1.human-oversight": "34(1)(4)",
         "kr.34.1.documentation": "34(1)(5)", "kr.34.1.committee-measures": "34(1)(6)"}

CASES += [
    # --- Art. 2(4)(g) is an open list ("such as hiring and loan screening") [KR-2-4g] -------
    # Insurance underwriting is not a named example, but (g) covers any judgment that
    # significantly affects individuals' rights: unknown, with the precise question.
    LawCase("kr-2-4-g-open-list-insurance-asks", card(domains=["insurance_pricing"], **HI), KR,
            classes={"high_impact": "unknown"}, may_apply=["kr.34.1.risk-management-plan"],
            questions=["decides_about_people"],
            reasons={"kr.34.1.risk-management-plan": "open list"}),
    # Promotion and dismissal scoring that decides about workers' rights is (g).
    LawCase("kr-2-4-g-open-list-worker-management", card(domains=["worker_management"],
            decides_about_people=True, **HI), KR, classes={"high_impact": "yes"}, applies=HI_DUTIES),
    # Police risk scoring of individuals: (g) through the open list, once answered.
    LawCase("kr-2-4-g-open-list-police-risk-scoring", card(domains=["law_enforcement"],
            decides_about_people=True, **HI), KR, classes={"high_impact": "yes"},
            applies=["kr.34.1.human-oversight"]),
    # Answered "no": the open list does not reach it, and the class is a firm no.
    LawCase("kr-2-4-g-open-list-answered-no", card(domains=["insurance_pricing"],
            decides_about_people=False, **HI), KR, classes={"high_impact": "no"}, absent=HI_DUTIES),
    # --- Art. 2(4)(i): decisions of public bodies affecting citizens [KR-2-4g] -------------
    # A public institution's system deciding about citizens (here fee collection, filed under
    # 'other') is (i), not only benefit eligibility.
    LawCase("kr-2-4-i-public-body-decision", card(domains=["other"], operator__public_body=True,
            decides_about_people=True, **HI), KR, classes={"high_impact": "yes"}, applies=HI_DUTIES),
    # Whether the operator is a public body is unknown: ask, do not answer "not listed".
    LawCase("kr-2-4-i-public-body-unknown", card(domains=["other"], operator__public_body=UNKNOWN,
            decides_about_people=True, **HI), KR, classes={"high_impact": "unknown"},
            questions=["operator.public_body"]),
    # Energy, gas, water or transport control behind a generic infrastructure domain: ask
    # which, since (a), (b) and (h) name those areas.
    LawCase("kr-2-4-a-critical-infrastructure-asks", card(domains=["critical_infrastructure"], **HI), KR,
            classes={"high_impact": "unknown"}, questions=["infrastructure_sectors"]),
    LawCase("kr-2-4-a-critical-infrastructure-gas", card(domains=["critical_infrastructure"],
            infrastructure_sectors=["energy"], **HI), KR, classes={"high_impact": "yes"}, applies=HI_DUTIES),
    # --- Art. 34(1): six separate duties, each cited at item level [KR-34-1, KR-34-5b] ------
    LawCase("kr-34-1-item-level-articles", card(domains=["employment"], **HI), KR,
            applies=list(ITEMS), articles=ITEMS),
    # --- Decree Annex 1 credits sectoral measures to particular points [KR-34-5b] ----------
    # Credit Information Act explanation duty → 34(1)(2) only; FCPA Art. 10 → 34(1)(3) only.
    LawCase("kr-annex1-loan-screening-items", card(domains=["credit"], kr__sectoral_measures=[
            "credit_info_explanation", "financial_consumer_duties"], **HI), KR,
            applies=["kr.34.1.explanation-plan", "kr.34.1.user-protection-plan"],
            guidance={"kr.34.1.explanation-plan": ["annex1-credit-info-explanation"],
                      "kr.34.1.user-protection-plan": ["annex1-financial-consumer-duties"]},
            no_guidance={"kr.34.1.risk-management-plan": ["annex1-credit-info-explanation"],
                         "kr.34.1.human-oversight": ["annex1-credit-info-explanation"],
                         "kr.34.1.explanation-plan": ["annex1-financial-consumer-duties"]}),
    # Framework Act on Intelligent Informatization Art. 60(1)(1)–(3),(5) → 34(1)(1) and (2);
    # Art. 60(1)(4) → 34(1)(4); nothing for (3) or (5).
    LawCase("kr-annex1-informatization-art-60", card(domains=["employment"], kr__sectoral_measures=[
            "informatization_safety_measures", "informatization_oversight_measures"], **HI), KR,
            guidance={"kr.34.1.risk-management-plan": ["annex1-informatization-safety-measures"],
                      "kr.34.1.explanation-plan": ["annex1-informatization-safety-measures"],
                      "kr.34.1.human-oversight": ["annex1-informatization-oversight-measures"]},
            no_guidance={"kr.34.1.user-protection-plan": ["annex1-informatization-safety-measures"],
                         "kr.34.1.documentation": ["annex1-informatization-safety-measures"],
                         "kr.34.1.human-oversight": ["annex1-informatization-safety-measures"]}),
    # Which sectoral measures were taken is unknown: asked, since it changes what is deemed met.
    LawCase("kr-annex1-asks-for-sectoral-measures", card(domains=["credit"], kr__sectoral_measures=UNKNOWN,
            **HI), KR, applies=["kr.34.1.explanation-plan"], questions=["kr.sectoral_measures"]),
    # --- Defence exclusion needs a Decree Art. 2 designation [KR-DEF-ex] -------------------
    LawCase("kr-defence-flag-asks-for-designation", card(defence_or_security_only=True, domains=["employment"],
            **HI), KR, in_scope="unknown", questions=["kr.defence_designation"], notes=["defence-designation"]),
    LawCase("kr-defence-use-not-designated-is-covered", card(defence_or_security_only=True,
            kr__defence_designation=False, domains=["employment"], **HI), KR, applies=HI_DUTIES),
    # --- The digital-medical-device part of Art. 2(4)(d) starts 2026-01-24 [KR-ID-2] --------
    LawCase("kr-digital-medical-device-before-2026-01-24", card(domains=["medical_device"],
            kr__digital_medical_device=True, **HI), KR, as_of=D(2026, 1, 23),
            classes={"high_impact": "yes"}, not_in_force=["kr.34.1.risk-management-plan",
                                                           "kr.31.1.advance-notice"]),
    LawCase("kr-digital-medical-device-from-2026-01-24", card(domains=["medical_device"],
            kr__digital_medical_device=True, **HI), KR, as_of=D(2026, 1, 24),
            applies=["kr.34.1.risk-management-plan", "kr.31.1.advance-notice"]),
    # A conventional medical device is covered from 2026-01-22; unknown kind on 01-23 asks.
    LawCase("kr-medical-device-kind-unknown-on-2026-01-23", card(domains=["medical_device"], **HI), KR,
            as_of=D(2026, 1, 23), may_apply=["kr.34.1.risk-management-plan"],
            questions=["kr.digital_medical_device"]),
    # --- A Korean operator offering only abroad: Art. 4(1) reaches effects on Korea [KR-ID-4]
    LawCase("kr-offered-only-abroad-asks", card(markets=["JP"], domains=["employment"], **HI), KR,
            in_scope="unknown", notes=["offered-only-abroad"], questions=["kr.market_effect"]),
    LawCase("kr-offered-only-abroad-no-effect", card(markets=["US"], kr__market_effect=False,
            domains=["employment"], **HI), KR, in_scope="no", notes=["offered-only-abroad"]),
    LawCase("kr-offered-abroad-affecting-korea", card(markets=["US"], kr__market_effect=True,
            domains=["employment"], **HI), KR, applies=HI_DUTIES),
    # --- Partial exception keeps the duty, with the narrower reach stated [KR-31-5] --------
    LawCase("kr-31-internal-use-keeps-marks-for-outputs-leaving", card(generative__modalities=["image"],
            internal_use_only=True), KR, applies=["kr.31.2.output-label"],
            reasons={"kr.31.2.output-label": "outputs that leave the service still need a mark"}),
]

JP = "jp-ai-promotion"
CASES += [
    # JP Art. 7: "shall cooperate" is mandatory wording without sanctions, and the endeavour
    # to use AI actively is a separate best-effort duty; the government's investigation and
    # guidance power is Art. 16, not Art. 7 [JP-4].
    LawCase("jp-7-cooperation-and-art-16-powers", card(markets=["JP"], generative__modalities=["video"],
            generative__realistic_synthetic_media=True), JP,
            applies=["jp.7.cooperate-with-measures", "jp.7.use-ai-actively"],
            articles={"jp.7.cooperate-with-measures": "7"}, notes=["government-powers"],
            guidance={"jp.7.cooperate-with-measures": ["government-investigation", "deepfake-investigation"]},
            reasons={"jp.7.cooperate-with-measures": "Under Art. 16 the government may investigate"}),
]
