"""Golden cases for the EU Cyber Resilience Act (pack ``eu-cra``, Regulation (EU) 2024/2847).

Each case carries its legal reason in a comment. Reporting (Art. 14) applies from
2026-09-11; the essential requirements, SBOM, conformity assessment and CE marking from
2027-12-11 (Art. 71(2)).
"""

from __future__ import annotations

import datetime as dt

from .cards import UNKNOWN, card
from .golden_kr_law import LawCase

CRA = "eu-cra"
D = dt.date
PRODUCT = {"cra__product_with_digital_elements": True, "cra__product_class": "default",
           "cra__support_period_years": 5}
REPORTS = ["cra.14.1.exploited-vulnerability-report", "cra.14.3.severe-incident-report"]
MAIN = ["cra.13.1.essential-requirements", "cra.annex-i-ii.vulnerability-handling", "cra.annex-i-ii.sbom",
        "cra.32.conformity-assessment"]

CASES: list[LawCase] = [
    # Art. 2(1): a connected product with an AI model inside, sold in the EU, is in scope;
    # on 2026-12-06 only the Art. 14 reporting applies (from 2026-09-11, Art. 71(2)).
    LawCase("cra-reporting-applies-first", card(**PRODUCT), CRA, as_of=D(2026, 12, 6),
            applies=REPORTS, not_in_force=MAIN, notes=["reporting-before-main-duties"],
            articles={"cra.14.1.exploited-vulnerability-report": "14(1)"}),
    # Before 2026-09-11 nothing applies yet.
    LawCase("cra-nothing-before-2026-09-11", card(**PRODUCT), CRA, as_of=D(2026, 6, 1),
            not_in_force=[*REPORTS, *MAIN]),
    # From 2027-12-11 the essential requirements, vulnerability handling, SBOM and the
    # conformity assessment with CE marking apply (Arts. 13, 28, 30, 32; Annex I).
    LawCase("cra-full-application", card(**PRODUCT), CRA, as_of=D(2028, 1, 10), applies=[*REPORTS, *MAIN],
            classes={"product_class": "default"}),
    # A service or internal tool is not a product with digital elements (Art. 3(1)).
    LawCase("cra-not-a-product", card(), CRA, in_scope="no"),
    # Not placed on the EU market: out of scope.
    LawCase("cra-not-on-the-eu-market", card(markets=["KR"], **PRODUCT), CRA, in_scope="no"),
    # Whether it is a product is unknown: the Act may apply and the question is asked.
    LawCase("cra-product-unknown-asks", card(cra__product_with_digital_elements=UNKNOWN), CRA,
            in_scope="unknown", questions=["cra.product_with_digital_elements"]),
    # Art. 7 and Annex III: an important class II product needs third-party assessment.
    LawCase("cra-important-class-ii-third-party", card(**{**PRODUCT, "cra__product_class": "important_ii"}), CRA,
            as_of=D(2028, 1, 10), classes={"product_class": "important"},
            guidance={"cra.32.conformity-assessment": ["third-party-needed"]}),
    # Art. 8 and Annex IV: critical products take the top tier.
    LawCase("cra-critical-tier", card(**{**PRODUCT, "cra__product_class": "critical"}), CRA,
            classes={"product_class": "critical"}),
    # Default class: internal control (module A) is allowed, no third-party guidance.
    LawCase("cra-default-internal-control", card(**PRODUCT), CRA, as_of=D(2028, 1, 10),
            no_guidance={"cra.32.conformity-assessment": ["third-party-needed"]}),
    # Art. 13(8): a support period under five years needs a justification.
    LawCase("cra-short-support-period", card(**{**PRODUCT, "cra__support_period_years": 3}), CRA,
            as_of=D(2028, 1, 10), guidance={"cra.annex-i-ii.vulnerability-handling": ["support-period-five-years"]}),
    # Art. 12: a high-risk AI product may show AI Act Art. 15 cybersecurity through the CRA
    # declaration (a presumption, so 'optional'), from 2027-12-11.
    LawCase("cra-art-12-presumption", card(significant_impact=True, **PRODUCT), CRA, as_of=D(2028, 1, 10),
            applies=["cra.12.high-risk-ai-presumption"]),
]
