"""Demo step (last): trust passports and dossiers for Hanbit Precision.

``hiring-screener`` (high-impact, KR Art. 2(4)(g)) and ``support-chatbot`` (generative)
opt in to public passports; the others stay private, so the demo shows both the page
and the refusal. A Korean Art. 34 pack and an English model card are generated so the
document log and the ledger show real entries.
"""

from __future__ import annotations

from haechi.core import Haechi

from .build import DemoContext

PASSPORTS = {
    "hiring-screener": ["identity", "purpose", "verdicts", "notices", "oversight", "compliance", "monitoring",
                        "esg", "ledger"],
    "support-chatbot": ["identity", "purpose", "verdicts", "notices", "oversight", "esg"],
}


def populate(hc: Haechi, ctx: DemoContext) -> None:
    compliance = ctx.user("compliance@hanbit.example")
    base_url = hc.settings.public_url or f"http://{hc.settings.host}:{hc.settings.port}"
    for system, fields in PASSPORTS.items():
        hc.passport.configure(compliance, system, enabled=True, fields=fields, valid_days=90)
        hc.passport.publish(compliance, system, base_url=base_url)
    hc.reports.dossier(compliance, "hiring-screener", variant="kr-art34", lang="ko", fmt="html")
    hc.reports.dossier(ctx.user("ml@hanbit.example"), "hiring-screener", variant="model-card", lang="en", fmt="html")
