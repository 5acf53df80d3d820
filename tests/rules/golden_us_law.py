"""Golden cases for the US state AI laws (pack ``us-state-ai``).

Each case carries its legal reason in a comment, citing the statute and section: Colorado
SB 24-205 (C.R.S. 6-1-1701 et seq., postponed to 2026-06-30 by SB 25B-004, repealed before it
applied by SB 26-189 of 2026-05-14, whose duties start on 2027-01-01), Texas HB 149 (Bus. &
Com. Code ch. 552, from 2026-01-01) and California SB 53 (Bus. & Prof. Code 22757.10 et seq.,
Labor Code 1107.1, from 2026-01-01).
"""

from __future__ import annotations

import datetime as dt

from .cards import UNKNOWN, card
from .golden_kr_law import LawCase

US = "us-state-ai"
US_V1 = "us-state-ai@1"
D = dt.date
TODAY = D(2026, 12, 6)


def us(*states: str, **answers: object) -> dict[str, object]:
    """Card changes for a system offered in the given US states."""
    return {"markets": ["US"], "us__states": list(states), **answers}


HIRING = {"domains": ["employment"], "decides_about_people": True, "roles": ["deployer"]}
CO_V1_DEPLOYER = ["us.co.1703.2.risk-management-policy", "us.co.1703.3.impact-assessment",
                  "us.co.1703.4.consumer-notice", "us.co.1703.4.adverse-decision"]
CO_V2_DEPLOYER = ["us.co.admt.1704.consumer-notice", "us.co.admt.1704.adverse-outcome"]
FRONTIER = {"compute__training_flops": 3.0e26, "roles": ["developer"], "generative__modalities": ["text"]}

CASES: list[LawCase] = [
    # SB 25B-004 moved the Colorado AI Act to 2026-06-30: in March 2026 (text of version 1)
    # a hiring screener is a high-risk system (6-1-1701(9)) but its deployer duties are not
    # yet in force, and the postponement is noted.
    LawCase("us-co-sb24-205-not-in-force-before-2026-06-30", card(**HIRING, **us("CO")), US,
            as_of=D(2026, 3, 1), classes={"consequential_decisions": "yes"}, not_in_force=CO_V1_DEPLOYER,
            notes=["colorado-postponed"],
            reasons={"us.co.1703.3.impact-assessment": "2026-06-30"}),
    # Version 1 read on its own after 2026-06-30 shows what SB 24-205 would have required:
    # impact assessment (6-1-1703(3)) and the 90-day report to the Attorney General (6-1-1703(7)).
    LawCase("us-co-sb24-205-text-as-enacted", card(**HIRING, **us("CO")), US_V1, as_of=D(2026, 7, 1),
            applies=[*CO_V1_DEPLOYER, "us.co.1703.7.deployer-report-discrimination"],
            absent=["us.co.1702.1.developer-reasonable-care"],
            articles={"us.co.1703.3.impact-assessment": "6-1-1703(3)"}),
    # SB 26-189 (signed 2026-05-14) repealed SB 24-205 before it applied: today the governing
    # text (version 2) has no impact assessment, and the ADMT duties start on 2027-01-01.
    LawCase("us-co-admt-not-in-force-before-2027", card(**HIRING, **us("CO")), US, as_of=TODAY,
            classes={"consequential_decisions": "yes"}, not_in_force=CO_V2_DEPLOYER,
            absent=["us.co.1703.3.impact-assessment", "us.co.1703.2.risk-management-policy"],
            notes=["colorado-repealed"]),
    # From 2027-01-01 the deployer notifies before the decision (6-1-1704(1)) and explains an
    # adverse outcome within 30 days with correction and human review.
    LawCase("us-co-admt-deployer-duties-2027", card(**HIRING, **us("CO")), US, as_of=D(2027, 2, 1),
            applies=CO_V2_DEPLOYER, absent=["us.co.admt.1702.developer-documentation"]),
    # A Colorado system that decides nothing about consumers is not covered ADMT.
    LawCase("us-co-no-consequential-decision", card(interacts_with_people=True,
            **us("CO", us__consequential_decision=False)), US, as_of=D(2027, 2, 1),
            classes={"consequential_decisions": "no"}, absent=CO_V2_DEPLOYER),
    # Whether it influences consequential decisions is open: the question is asked.
    LawCase("us-co-consequential-unknown-asks", card(roles=["deployer"],
            **us("CO", us__consequential_decision=UNKNOWN)), US,
            as_of=D(2027, 2, 1), classes={"consequential_decisions": "unknown"},
            may_apply=["us.co.admt.1704.consumer-notice"], questions=["us.consequential_decision"]),
    # Texas 552.051(b): a governmental agency's chatbot tells every consumer it is AI, even
    # when that is obvious; social scoring is banned to it (552.053). In force 2026-01-01.
    LawCase("us-tx-government-chatbot-discloses", card(interacts_with_people=True,
            generative__ai_use_obvious=True, roles=["deployer"],
            **us("TX", us__governmental_entity=True)), US, as_of=TODAY,
            classes={"tx_government": "yes"},
            applies=["us.tx.552-051.government-disclosure", "us.tx.552-053.no-social-scoring"]),
    # A private company's chatbot in Texas has no disclosure duty under HB 149 (552.051(b)
    # binds governmental agencies only), but the intent-based prohibitions still bind it.
    LawCase("us-tx-private-chatbot-no-disclosure", card(interacts_with_people=True,
            **us("TX", us__governmental_entity=False)), US, as_of=TODAY,
            classes={"tx_government": "no"},
            absent=["us.tx.552-051.government-disclosure", "us.tx.552-053.no-social-scoring"],
            applies=["us.tx.552-052.no-manipulation", "us.tx.552-056.no-intentional-discrimination"]),
    # Texas 552.051(f): a provider using AI in health care tells the patient by the first day of
    # service; before 2026-01-01 the duty is not in force.
    LawCase("us-tx-health-care-disclosure", card(domains=["healthcare"], roles=["deployer"],
            **us("TX", us__governmental_entity=False)), US, as_of=TODAY,
            applies=["us.tx.552-051.health-care-disclosure"]),
    LawCase("us-tx-health-care-before-2026", card(domains=["healthcare"], roles=["deployer"],
            **us("TX", us__governmental_entity=False)), US, as_of=D(2025, 12, 1),
            not_in_force=["us.tx.552-051.health-care-disclosure"]),
    # California SB 53: a developer of a 3e26-operation model with revenues above USD 500
    # million publishes a frontier AI framework (22757.12(a)) and reports critical safety
    # incidents within 15 days (22757.13(c)).
    LawCase("us-ca-large-frontier-developer", card(**FRONTIER,
            **us("CA", us__large_frontier_revenue=True)), US, as_of=TODAY,
            classes={"frontier_developer": "yes", "large_frontier_developer": "yes"},
            applies=["us.ca.22757-12.frontier-ai-framework", "us.ca.22757-13.critical-safety-incident",
                     "us.ca.22757-12.transparency-report", "us.ca.lab-1107-1.whistleblowers"],
            articles={"us.ca.22757-13.critical-safety-incident": "22757.13(c)"}),
    # A frontier developer below the revenue threshold still reports incidents and publishes
    # transparency reports, but needs no framework (22757.12(a) binds large developers only).
    LawCase("us-ca-small-frontier-developer", card(**FRONTIER,
            **us("CA", us__large_frontier_revenue=False)), US, as_of=TODAY,
            classes={"large_frontier_developer": "no"},
            applies=["us.ca.22757-13.critical-safety-incident", "us.ca.22757-12.transparency-report"],
            absent=["us.ca.22757-12.frontier-ai-framework"]),
    # 1e25 operations is not a frontier model (more than 10^26 is required): no SB 53 duty.
    LawCase("us-ca-below-frontier-threshold", card(compute__training_flops=1.0e25, roles=["developer"],
            **us("CA", us__large_frontier_revenue=True)), US, as_of=TODAY,
            classes={"frontier_developer": "no"}, absent=["us.ca.22757-13.critical-safety-incident"]),
    # Offered in the US but in none of these states: in scope of the pack, no state duty,
    # and the note says why.
    LawCase("us-no-listed-state", card(**HIRING, **us()), US, as_of=TODAY,
            classes={"consequential_decisions": "no"}, absent=CO_V2_DEPLOYER,
            notes=["no-state-named", "no-federal-statute"]),
    # Not offered in the United States at all: out of scope.
    LawCase("us-out-of-scope-korea-only", card(markets=["KR"]), US, in_scope="no"),
]
