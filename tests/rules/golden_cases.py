"""Golden cases: cards with their expected classes, obligations and questions.

Each case names the pack, the date, what the classes must be, and obligations by status
(``applies``, ``exempt``, ``not_in_force``, ``may_apply``; ``absent`` = not listed, i.e.
not applicable). The facts behind each expectation are the articles the packs cite
(their sources are listed in each pack file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .cards import UNKNOWN, card

KR, EU, JP = "kr-ai-basic-act", "eu-ai-act", "jp-ai-promotion"
D = dt.date
LATE = D(2026, 11, 26)
#: Annex III high-risk duties apply from this date under Regulation (EU) 2026/1744 (Omnibus).
HR = D(2027, 12, 2)
#: A placing-on-market date after every high-risk application date (Art. 111(2) legacy rule moot).
NEW = "2028-09-01"
HI_DUTIES = ["kr.34.1.risk-management-plan", "kr.34.1.explanation-plan", "kr.34.1.user-protection-plan",
             "kr.34.1.human-oversight", "kr.34.1.documentation", "kr.34.1.public-posting",
             "kr.35.1.impact-assessment", "kr.31.1.advance-notice"]


@dataclass
class Case:
    name: str
    card: dict[str, Any]
    pack: str
    as_of: dt.date = LATE
    classes: dict[str, str] = field(default_factory=dict)
    in_scope: str = "yes"
    applies: list[str] = field(default_factory=list)
    exempt: list[str] = field(default_factory=list)
    not_in_force: list[str] = field(default_factory=list)
    may_apply: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    articles: dict[str, str] = field(default_factory=dict)


def _area(domain: str, letter: str, **extra: Any) -> Case:
    return Case(f"kr-2-4-{letter}-{domain}", card(domains=[domain], significant_impact=True, **extra), KR,
                classes={"high_impact": "yes"}, applies=HI_DUTIES,
                articles={"kr.34.1.risk-management-plan": "34(1)(1)", "kr.31.1.advance-notice": "31(1)"})


CASES: list[Case] = [
    # --- KR Art. 2(4) areas (a)–(j) -------------------------------------------------------
    _area("energy_supply", "a"), _area("drinking_water", "b"), _area("healthcare", "c"),
    _area("medical_device", "d"), _area("nuclear", "e"), _area("biometric_investigation", "f"),
    _area("employment", "g"), _area("credit", "g"), _area("transport", "h"),
    _area("public_decisions", "i"), _area("education_assessment", "j", education_level="primary"),
    Case("kr-2-4-j-secondary", card(domains=["education_assessment"], education_level="secondary",
                                    significant_impact=True), KR, classes={"high_impact": "yes"}),
    Case("kr-2-4-j-higher-education-is-outside", card(domains=["education_assessment"],
         education_level="higher", significant_impact=True), KR,
         classes={"high_impact": "no"}, absent=["kr.34.1.risk-management-plan"]),
    Case("eu-annex-iii-3-covers-higher-education", card(domains=["education_assessment"],
         education_level="higher", significant_impact=True, roles=["deployer"], deployed_at=NEW), EU,
         as_of=D(2028, 9, 1), classes={"risk_tier": "high"},
         applies=["eu.26.1.use-per-instructions", "eu.86.right-to-explanation"]),
    Case("kr-2-4-j-level-unknown", card(domains=["education_assessment"], significant_impact=True), KR,
         classes={"high_impact": "unknown"}, may_apply=["kr.34.1.risk-management-plan"],
         questions=["education_level"]),
    Case("kr-area-without-significant-impact", card(domains=["employment"]), KR,
         classes={"high_impact": "no"}, absent=HI_DUTIES, applies=["kr.33.1.confirmation-request"]),
    Case("kr-significant-impact-unknown", card(domains=["credit"], significant_impact=UNKNOWN), KR,
         classes={"high_impact": "unknown"}, may_apply=["kr.34.1.risk-management-plan"],
         questions=["significant_impact"]),
    Case("kr-industrial-system-few-duties", card(lifecycle_stage="quality_control"), KR,
         classes={"high_impact": "no", "generative": "no", "high_performance": "no"},
         applies=["kr.33.1.high-impact-review", "kr.40.3.comply-with-orders"], absent=HI_DUTIES),
    Case("kr-defence-only-excluded", card(defence_or_security_only=True, kr__defence_designation=True,
         domains=["employment"], significant_impact=True), KR, in_scope="no",
         absent=[*HI_DUTIES, "kr.33.1.high-impact-review"]),
    # --- KR Art. 31 and its exceptions ---------------------------------------------------
    Case("kr-31-generative-chatbot", card(generative__modalities=["text"], interacts_with_people=True,
         roles=["deployer"]), KR, classes={"generative": "yes", "high_impact": "no"},
         applies=["kr.31.1.advance-notice", "kr.31.2.output-label"], absent=["kr.31.3.deepfake-notice"],
         articles={"kr.31.2.output-label": "31(2)"}),
    # Decree Art. 23(4) lets the methods be disapplied "in whole or in part": a partial
    # exception narrows the duty, it never lifts it (regulation fact KR-31-5).
    Case("kr-31-exception-obvious-use", card(generative__modalities=["text"], generative__ai_use_obvious=True),
         KR, applies=["kr.31.1.advance-notice", "kr.31.2.output-label"]),
    Case("kr-31-exception-internal-use", card(generative__modalities=["image"], internal_use_only=True,
         generative__realistic_synthetic_media=True), KR,
         applies=["kr.31.1.advance-notice", "kr.31.2.output-label", "kr.31.3.deepfake-notice"]),
    Case("kr-31-3-deepfake", card(generative__modalities=["video"], generative__realistic_synthetic_media=True),
         KR, classes={"realistic_synthetic_media": "yes"},
         applies=["kr.31.1.advance-notice", "kr.31.2.output-label", "kr.31.3.deepfake-notice"]),
    Case("kr-31-high-impact-obvious-use", card(domains=["employment"], significant_impact=True,
         generative__ai_use_obvious=True), KR,
         applies=["kr.31.1.advance-notice", "kr.34.1.risk-management-plan"]),
    Case("kr-31-2-outputs-leave-service-unknown", card(generative__modalities=["text"],
         generative__outputs_leave_service=UNKNOWN), KR, applies=["kr.31.2.output-label"],
         questions=["generative.outputs_leave_service"]),
    # An open partial exception cannot lift the duty: it applies, and the question is still asked.
    Case("kr-31-exception-unknown", card(generative__modalities=["text"], internal_use_only=UNKNOWN), KR,
         applies=["kr.31.1.advance-notice", "kr.31.2.output-label"], questions=["internal_use_only"]),
    # --- compute thresholds: 10^26 (KR) and 10^25 (EU) --------------------------------------
    Case("kr-32-at-1e26", card(compute__training_flops=1.0e26, compute__state_of_the_art=True,
         compute__broad_serious_risk=True), KR, classes={"high_performance": "yes"},
         applies=["kr.32.1.lifecycle-risk", "kr.32.1.incident-monitoring", "kr.32.2.report-results"]),
    Case("kr-32-below-1e26", card(compute__training_flops=9.9e25, compute__state_of_the_art=True,
         compute__broad_serious_risk=True), KR, classes={"high_performance": "no"},
         absent=["kr.32.1.lifecycle-risk"]),
    Case("kr-32-not-state-of-the-art", card(compute__training_flops=3.0e26, compute__broad_serious_risk=True),
         KR, classes={"high_performance": "no"}),
    Case("eu-gpai-above-1e25", card(gpai=True, compute__training_flops=1.1e25), EU,
         classes={"gpai": "yes", "gpai_systemic_risk": "yes"},
         applies=["eu.53.1.a.technical-documentation", "eu.52.1.notify-commission", "eu.55.1.a.model-evaluation"]),
    Case("eu-gpai-exactly-1e25-not-presumed", card(gpai=True, compute__training_flops=1.0e25), EU,
         classes={"gpai": "yes", "gpai_systemic_risk": "no"}, applies=["eu.53.1.d.training-content-summary"],
         absent=["eu.55.1.a.model-evaluation"]),
    Case("eu-gpai-compute-unknown", card(gpai=True, compute__training_flops=UNKNOWN), EU,
         classes={"gpai_systemic_risk": "unknown"}, may_apply=["eu.55.1.b.systemic-risk-mitigation"],
         questions=["compute.training_flops"]),
    Case("both-thresholds-5e25", card(gpai=True, compute__training_flops=5.0e25, compute__state_of_the_art=True,
         compute__broad_serious_risk=True), KR, classes={"high_performance": "no"}),
    # --- KR domestic representative (Art. 36; Decree Art. 29) -------------------------------
    Case("kr-36-revenue", card(operator__korean_office=False, operator__country="US",
         operator__annual_revenue_krw=1_200_000_000_000), KR,
         classes={"domestic_representative_required": "yes"}, applies=["kr.36.1.domestic-representative"]),
    Case("kr-36-ai-revenue", card(operator__korean_office=False, operator__country="US",
         operator__annual_revenue_krw=50_000_000_000, operator__ai_revenue_krw=10_000_000_000), KR,
         classes={"domestic_representative_required": "yes"}),
    Case("kr-36-users", card(operator__korean_office=False, operator__annual_revenue_krw=1,
         operator__avg_daily_users_kr=1_000_000), KR, classes={"domestic_representative_required": "yes"}),
    Case("kr-36-fined", card(operator__korean_office=False, operator__annual_revenue_krw=1,
         operator__fined_for_order_noncompliance=True), KR, classes={"domestic_representative_required": "yes"}),
    Case("kr-36-below-every-threshold", card(operator__korean_office=False,
                                             operator__annual_revenue_krw=999_999_999_999,
         operator__ai_revenue_krw=9_999_999_999, operator__avg_daily_users_kr=999_999), KR,
         classes={"domestic_representative_required": "no"}, absent=["kr.36.1.domestic-representative"]),
    Case("kr-36-korean-office", card(operator__korean_office=True, operator__annual_revenue_krw=5_000_000_000_000),
         KR, classes={"domestic_representative_required": "no"}),
    Case("kr-36-revenue-unknown", card(operator__korean_office=False, operator__annual_revenue_krw=UNKNOWN), KR,
         classes={"domestic_representative_required": "unknown"},
         may_apply=["kr.36.1.domestic-representative"], questions=["operator.annual_revenue_krw"]),
    # --- dates: before and after each entry into force --------------------------------------
    Case("kr-before-entry-into-force", card(domains=["employment"], significant_impact=True), KR,
         as_of=D(2026, 1, 21), not_in_force=HI_DUTIES),
    Case("kr-on-entry-into-force", card(domains=["employment"], significant_impact=True), KR,
         as_of=D(2026, 1, 22), applies=HI_DUTIES, not_in_force=["kr.35.1.vulnerable-groups"]),
    Case("kr-vulnerable-groups-from-2026-07-21", card(domains=["employment"], significant_impact=True), KR,
         as_of=D(2026, 7, 21), applies=["kr.35.1.vulnerable-groups"]),
    Case("eu-prohibition-before-2025-02-02", card(eu_practices=["social_scoring"]), EU, as_of=D(2025, 2, 1),
         classes={"risk_tier": "prohibited"}, not_in_force=["eu.5.1.c.social-scoring"]),
    Case("eu-prohibition-from-2025-02-02", card(eu_practices=["social_scoring"]), EU, as_of=D(2025, 2, 2),
         applies=["eu.5.1.c.social-scoring"], articles={"eu.5.1.c.social-scoring": "5(1)(c)"}),
    Case("eu-gpai-before-2025-08-02", card(gpai=True), EU, as_of=D(2025, 8, 1),
         not_in_force=["eu.53.1.c.copyright-policy"]),
    Case("eu-gpai-from-2025-08-02", card(gpai=True), EU, as_of=D(2025, 8, 2),
         applies=["eu.53.1.c.copyright-policy"]),
    # The original text (version 1) on the dates it set; evaluated by number because from
    # 2026-07-27 date-based selection takes the Omnibus text (version 2).
    Case("eu-v1-annex-iii-before-2026-08-02", card(domains=["employment"], profiling=True), f"{EU}@1",
         as_of=D(2026, 8, 1), not_in_force=["eu.9.risk-management"]),
    Case("eu-v1-annex-iii-from-2026-08-02", card(domains=["employment"], profiling=True, deployed_at="2026-08-02"),
         f"{EU}@1", as_of=D(2026, 8, 2), applies=["eu.9.risk-management", "eu.14.human-oversight"]),
    Case("eu-v1-annex-i-before-2027-08-02", card(eu_annex_i_safety_component=True), f"{EU}@1", as_of=D(2027, 8, 1),
         classes={"risk_tier": "high"}, not_in_force=["eu.9.risk-management", "eu.43.conformity-assessment"]),
    Case("eu-v1-annex-i-from-2027-08-02", card(eu_annex_i_safety_component=True, deployed_at="2027-08-02"),
         f"{EU}@1", as_of=D(2027, 8, 2), applies=["eu.9.risk-management"]),
    # Date-based selection before the Omnibus entered into force (2026-07-27): the original
    # text, so an Annex III duty shows its original start 2026-08-02.
    Case("eu-selected-by-date-2026-07-26-original-text", card(domains=["employment"], profiling=True), EU,
         as_of=D(2026, 7, 26), not_in_force=["eu.9.risk-management"]),
    # From 2026-07-27 the Omnibus governs: Annex III duties move to 2027-12-02 (Art. 113 as
    # amended by Regulation (EU) 2026/1744), so on 2026-08-02 they are not yet in force.
    Case("eu-omnibus-selected-2026-08-02-annex-iii-not-in-force", card(domains=["employment"], profiling=True),
         EU, as_of=D(2026, 8, 2), classes={"risk_tier": "high"},
         not_in_force=["eu.9.risk-management", "eu.14.human-oversight"]),
    Case("eu-omnibus-annex-iii-day-before-2027-12-02", card(domains=["employment"], profiling=True,
         roles=["developer", "deployer"], deployed_at=NEW), EU, as_of=D(2027, 12, 1),
         not_in_force=["eu.9.risk-management", "eu.26.1.use-per-instructions", "eu.26.11.inform-affected-persons"]),
    Case("eu-omnibus-annex-iii-from-2027-12-02", card(domains=["employment"], profiling=True,
         roles=["developer", "deployer"], deployed_at=NEW), EU, as_of=HR,
         applies=["eu.9.risk-management", "eu.26.1.use-per-instructions", "eu.26.11.inform-affected-persons"]),
    # Annex I (Art. 6(1)) systems: 2028-08-02 under the Omnibus, even after the Annex III date.
    Case("eu-omnibus-annex-i-after-annex-iii-date-still-waits", card(eu_annex_i_safety_component=True,
         deployed_at=NEW), EU, as_of=D(2028, 8, 1), classes={"risk_tier": "high"},
         not_in_force=["eu.9.risk-management", "eu.43.conformity-assessment"]),
    Case("eu-omnibus-annex-i-from-2028-08-02", card(eu_annex_i_safety_component=True, deployed_at=NEW), EU,
         as_of=D(2028, 8, 2), applies=["eu.9.risk-management", "eu.43.conformity-assessment"]),
    Case("eu-omnibus-v2-annex-iii-postponed", card(domains=["credit"], profiling=True), f"{EU}@2",
         not_in_force=["eu.9.risk-management"]),
    Case("eu-omnibus-v2-50-2-legacy-grace", card(generative__modalities=["image"], deployed_at="2026-05-01"),
         f"{EU}@2", not_in_force=["eu.50.2.machine-readable-marking"]),
    Case("eu-omnibus-v2-after-grace", card(generative__modalities=["image"], deployed_at="2026-05-01"),
         f"{EU}@2", as_of=D(2026, 12, 2),
         applies=["eu.50.2.machine-readable-marking"]),
    Case("eu-v1-has-no-grace", card(generative__modalities=["image"], deployed_at="2026-05-01"), f"{EU}@1",
         applies=["eu.50.2.machine-readable-marking"], absent=["eu.5.1.ncii-csam-ban"]),
    Case("eu-omnibus-v2-50-2-new-system", card(generative__modalities=["image"], deployed_at="2026-09-01"),
         f"{EU}@2", applies=["eu.50.2.machine-readable-marking"]),
    # --- EU risk tiers, derogation and profiling override -----------------------------------
    Case("eu-prohibited", card(eu_practices=["emotion_recognition_workplace_education"]), EU,
         classes={"risk_tier": "prohibited"}, applies=["eu.5.1.f.emotion-recognition-workplace-education"]),
    Case("eu-high-employment", card(domains=["employment"], profiling=True, roles=["developer", "deployer"],
         deployed_at=NEW), EU, as_of=D(2028, 9, 1), classes={"risk_tier": "high"},
         applies=["eu.9.risk-management", "eu.26.11.inform-affected-persons", "eu.73.serious-incident-reporting"]),
    # Placed on the market 2026-01-01: Art. 50(1) since 2026-08-02, but Art. 50(2) marking has the
    # Omnibus grace until 2026-12-02 for systems placed on the market before 2026-08-02.
    Case("eu-limited-chatbot", card(interacts_with_people=True, generative__modalities=["text"]), EU,
         classes={"risk_tier": "limited"},
         applies=["eu.50.1.disclose-interaction"], not_in_force=["eu.50.2.machine-readable-marking"],
         absent=["eu.9.risk-management"]),
    Case("eu-minimal-industrial", card(lifecycle_stage="predictive_maintenance"), EU,
         classes={"risk_tier": "minimal", "gpai": "no"},
         absent=["eu.9.risk-management", "eu.50.1.disclose-interaction"]),
    Case("eu-derogation-applies", card(domains=["employment"], profiling=False, eu_derogation="preparatory",
         deployed_at=NEW), EU, as_of=D(2028, 9, 1), classes={"risk_tier": "minimal"},
         applies=["eu.6.4.derogation-assessment"], absent=["eu.9.risk-management"],
         articles={"eu.6.4.derogation-assessment": "6(4)"}),
    Case("eu-profiling-overrides-derogation", card(domains=["employment"], profiling=True,
         eu_derogation="narrow_procedural", deployed_at=NEW), EU, as_of=D(2028, 9, 1), classes={"risk_tier": "high"},
         applies=["eu.9.risk-management"], absent=["eu.6.4.derogation-assessment"]),
    Case("eu-derogation-not-assessed", card(domains=["credit"], eu_derogation=UNKNOWN, deployed_at=NEW), EU,
         as_of=D(2028, 9, 1),
         classes={"risk_tier": "unknown"}, may_apply=["eu.9.risk-management"], questions=["eu_derogation"]),
    Case("eu-fria-credit-deployer", card(domains=["credit"], profiling=True, roles=["deployer"], deployed_at=NEW),
         EU, as_of=D(2028, 9, 1),
         applies=["eu.27.fundamental-rights-impact-assessment"], absent=["eu.9.risk-management"]),
    Case("eu-practices-unknown", card(eu_practices=UNKNOWN), EU, classes={"risk_tier": "unknown"},
         may_apply=["eu.5.1.a.subliminal-manipulation"], questions=["eu_practices"]),
    Case("eu-non-eu-provider-representative", card(domains=["employment"], profiling=True,
         operator__country="US", deployed_at=NEW), EU, as_of=D(2028, 9, 1),
         applies=["eu.22.authorised-representative"]),
    Case("eu-not-offered", card(markets=["KR"]), EU, in_scope="no", absent=["eu.5.1.a.subliminal-manipulation"]),
    Case("markets-unknown", card(markets=UNKNOWN, domains=["employment"], significant_impact=True), KR,
         in_scope="unknown", may_apply=["kr.34.1.risk-management-plan"], questions=["markets"]),
    # --- EU Art. 2 scope exclusions (fact EU-2-3) -------------------------------------------
    # Art. 2(3): exclusively military, defence or national-security systems are outside the Act.
    Case("eu-2-3-defence-only-excluded", card(defence_or_security_only=True, domains=["employment"], profiling=True),
         EU, in_scope="no", absent=["eu.4.ai-literacy", "eu.9.risk-management"]),
    # Art. 2(6): developed and put into service solely for scientific research and development.
    Case("eu-2-6-research-only-excluded", card(research_only=True, domains=["employment"], profiling=True), EU,
         in_scope="no", absent=["eu.4.ai-literacy", "eu.9.risk-management"]),
    # Art. 2(8): research, testing and development before placing on the market.
    Case("eu-2-8-in-development-excluded", card(status="development", gpai=True), EU, in_scope="no",
         absent=["eu.4.ai-literacy", "eu.53.1.c.copyright-policy"]),
    # Art. 2(10): a natural person's purely personal, non-professional use frees the deployer ...
    Case("eu-2-10-personal-use-deployer-excluded", card(personal_use_only=True, roles=["deployer"],
         interacts_with_people=True), EU, in_scope="no", absent=["eu.4.ai-literacy"]),
    # ... but never the provider.
    Case("eu-2-10-does-not-exclude-the-provider", card(personal_use_only=True, roles=["developer"],
         interacts_with_people=True), EU, applies=["eu.4.ai-literacy", "eu.50.1.disclose-interaction"]),
    # An exclusion left open is a question, never a silent "in scope".
    Case("eu-2-exclusion-unknown-asks", card(research_only=UNKNOWN), EU, in_scope="unknown",
         may_apply=["eu.4.ai-literacy"], questions=["research_only"]),
    # --- EU Art. 4 AI literacy: every provider and deployer, whatever the tier (fact EU-4-1) -----
    Case("eu-4-ai-literacy-before-2025-02-02", card(roles=["deployer"]), EU, as_of=D(2025, 2, 1),
         classes={"risk_tier": "minimal"}, not_in_force=["eu.4.ai-literacy"]),
    Case("eu-4-ai-literacy-minimal-tier-v1", card(roles=["deployer"]), EU, as_of=D(2025, 2, 2),
         classes={"risk_tier": "minimal"}, applies=["eu.4.ai-literacy"], articles={"eu.4.ai-literacy": "4"}),
    Case("eu-4-ai-literacy-minimal-tier-omnibus", card(lifecycle_stage="predictive_maintenance"), EU,
         classes={"risk_tier": "minimal"}, applies=["eu.4.ai-literacy"], absent=["eu.9.risk-management"]),
    # --- EU Art. 111(3): GPAI models placed on the market before 2025-08-02 comply by 2027-08-02 ---
    Case("eu-111-3-legacy-gpai-not-yet", card(gpai=True, deployed_at="2025-03-01"), EU,
         not_in_force=["eu.53.1.c.copyright-policy", "eu.53.1.d.training-content-summary"]),
    Case("eu-111-3-legacy-gpai-from-2027-08-02", card(gpai=True, deployed_at="2025-03-01"), EU,
         as_of=D(2027, 8, 2), applies=["eu.53.1.c.copyright-policy"]),
    Case("eu-111-3-new-gpai-applies", card(gpai=True, deployed_at="2025-08-02"), EU,
         applies=["eu.53.1.c.copyright-policy"]),
    Case("eu-111-3-placing-date-unknown-asks", card(gpai=True, deployed_at=UNKNOWN), EU,
         may_apply=["eu.53.1.c.copyright-policy"], questions=["deployed_at"]),
    # --- EU Annex III point 2: only safety components of critical infrastructure (fact EU-A3-2) ---
    Case("eu-annex-iii-2-energy-forecaster-not-safety-component", card(domains=["energy_supply"],
         critical_infrastructure_safety_component=False), EU, classes={"risk_tier": "minimal"},
         absent=["eu.9.risk-management"]),
    Case("eu-annex-iii-2-grid-safety-component", card(domains=["energy_supply"], deployed_at=NEW,
         critical_infrastructure_safety_component=True, roles=["developer", "deployer"]), EU, as_of=HR,
         classes={"risk_tier": "high"}, applies=["eu.9.risk-management", "eu.49.registration"],
         absent=["eu.27.fundamental-rights-impact-assessment", "eu.86.right-to-explanation"]),
    Case("eu-annex-iii-2-safety-component-unknown", card(domains=["drinking_water"],
         critical_infrastructure_safety_component=UNKNOWN), EU, classes={"risk_tier": "unknown"},
         questions=["critical_infrastructure_safety_component"]),
    # --- EU Annex III point 5(a): public authorities' eligibility for essential public assistance ---
    Case("eu-annex-iii-5a-public-benefits-eligibility", card(domains=["public_decisions"], deployed_at=NEW,
         public_benefits_eligibility=True, roles=["deployer"]), EU, as_of=HR, classes={"risk_tier": "high"},
         applies=["eu.27.fundamental-rights-impact-assessment", "eu.26.11.inform-affected-persons"]),
    Case("eu-annex-iii-5a-other-public-decision-not-high", card(domains=["public_decisions"],
         public_benefits_eligibility=False), EU, classes={"risk_tier": "minimal"},
         absent=["eu.27.fundamental-rights-impact-assessment"]),
    # --- EU provider duties beyond Arts. 9–15 (fact EU-17-1), Omnibus dates ---------------------
    Case("eu-provider-duties-17-to-49-from-2027-12-02", card(domains=["employment"], profiling=True,
         deployed_at=NEW, operator__country="US"), EU, as_of=HR,
         applies=["eu.17.quality-management-system", "eu.18.documentation-retention", "eu.19.1.log-retention",
                  "eu.20.corrective-action", "eu.21.cooperation-with-authorities", "eu.22.authorised-representative",
                  "eu.47.declaration-of-conformity", "eu.48.ce-marking", "eu.49.registration"],
         articles={"eu.17.quality-management-system": "17(1)", "eu.19.1.log-retention": "19(1)",
                   "eu.20.corrective-action": "20(1)", "eu.21.cooperation-with-authorities": "21(1)",
                   "eu.22.authorised-representative": "22(1)", "eu.47.declaration-of-conformity": "47(1)",
                   "eu.48.ce-marking": "48(3)", "eu.49.registration": "49(1)"}),
    Case("eu-provider-duties-not-before-2027-12-02", card(domains=["employment"], profiling=True, deployed_at=NEW),
         EU, as_of=D(2027, 12, 1), not_in_force=["eu.17.quality-management-system", "eu.47.declaration-of-conformity"]),
    # Annex I products: declaration and CE marking from 2028-08-02; Art. 49(1) registers Annex III systems only.
    Case("eu-annex-i-declaration-and-ce-marking-no-eu-database", card(eu_annex_i_safety_component=True,
         deployed_at=NEW), EU, as_of=D(2028, 8, 2),
         applies=["eu.47.declaration-of-conformity", "eu.48.ce-marking", "eu.17.quality-management-system"],
         absent=["eu.49.registration"]),
    # --- EU Art. 111(2): high-risk systems placed on the market before their application date -----
    Case("eu-111-2-legacy-unchanged-exempt", card(domains=["employment"], profiling=True, deployed_at="2026-02-01",
         roles=["developer", "deployer"]), EU, as_of=HR,
         exempt=["eu.9.risk-management", "eu.17.quality-management-system", "eu.26.11.inform-affected-persons"],
         applies=["eu.4.ai-literacy"]),
    Case("eu-111-2-legacy-significantly-changed", card(domains=["employment"], profiling=True,
         deployed_at="2026-02-01", significant_change=True), EU, as_of=HR, applies=["eu.9.risk-management"]),
    Case("eu-111-2-legacy-public-authority-2030", card(domains=["employment"], profiling=True,
         deployed_at="2026-02-01", public_authority_use=True, roles=["developer", "deployer"]), EU, as_of=HR,
         not_in_force=["eu.9.risk-management", "eu.26.11.inform-affected-persons"]),
    Case("eu-111-2-legacy-public-authority-from-2030-08-02", card(domains=["employment"], profiling=True,
         deployed_at="2026-02-01", public_authority_use=True), EU, as_of=D(2030, 8, 2),
         applies=["eu.9.risk-management"]),
    Case("eu-111-2-change-unknown-asks", card(domains=["employment"], profiling=True, deployed_at="2026-02-01",
         significant_change=UNKNOWN), EU, as_of=HR, may_apply=["eu.9.risk-management"],
         questions=["significant_change"]),
    # Before the Annex III date the duties are simply not in force, whatever Art. 111(2) will say.
    Case("eu-111-2-legacy-today-not-in-force", card(domains=["employment"], profiling=True, deployed_at="2026-02-01",
         significant_change=UNKNOWN), EU, as_of=D(2026, 12, 6), not_in_force=["eu.9.risk-management"]),
    # --- EU Art. 5 ban on non-consensual intimate content and CSAM (Reg. (EU) 2026/1744, fact EU-5-9) ---
    Case("eu-5-ncii-ban-before-2026-12-02", card(roles=["developer"], generative__modalities=["image"],
         generative__intimate_content_safeguards=False), EU, as_of=D(2026, 12, 1),
         classes={"risk_tier": "prohibited"}, not_in_force=["eu.5.1.ncii-csam-ban"]),
    Case("eu-5-ncii-ban-from-2026-12-02-foreseeable-without-safeguards", card(roles=["developer"],
         generative__modalities=["audio"], generative__intimate_content_safeguards=False), EU,
         as_of=D(2026, 12, 2), classes={"risk_tier": "prohibited"}, applies=["eu.5.1.ncii-csam-ban"],
         articles={"eu.5.1.ncii-csam-ban": "5(1)"}),
    Case("eu-5-ncii-ban-safeguards-in-place", card(roles=["developer"], generative__modalities=["video"],
         generative__intimate_content_safeguards=True), EU, as_of=D(2026, 12, 2),
         classes={"risk_tier": "limited"}, absent=["eu.5.1.ncii-csam-ban"]),
    Case("eu-5-ncii-ban-safeguards-unknown-asks", card(roles=["developer"], generative__modalities=["image"],
         generative__intimate_content_safeguards=UNKNOWN), EU, as_of=D(2026, 12, 2),
         classes={"risk_tier": "unknown"}, may_apply=["eu.5.1.ncii-csam-ban"],
         questions=["generative.intimate_content_safeguards"]),
    Case("eu-5-ncii-ban-flagged-deployer", card(roles=["deployer"], eu_practices=["intimate_content_or_csam"]), EU,
         as_of=D(2026, 12, 2), classes={"risk_tier": "prohibited"}, applies=["eu.5.1.ncii-csam-ban"]),
    Case("eu-5-ncii-ban-absent-from-original-text", card(roles=["developer"], generative__modalities=["image"],
         generative__intimate_content_safeguards=False), f"{EU}@1", as_of=D(2026, 12, 2),
         classes={"risk_tier": "limited"}, absent=["eu.5.1.ncii-csam-ban"]),
    # --- Japan -------------------------------------------------------------------------------
    Case("jp-cooperation", card(markets=["JP"]), JP, classes={"ai_business": "yes"},
         applies=["jp.7.cooperate-with-measures"]),
]
