"""The demo step: a realistic mix of verdicts for Hanbit's systems, with history and questions."""

from __future__ import annotations

import datetime as dt

from haechi.core import Haechi
from haechi.demo import rules as rules_step
from haechi.demo.company import create_company


def test_demo_systems_get_a_realistic_mix(hc: Haechi) -> None:
    ctx = create_company(hc, dt.date(2026, 11, 26))
    rules_step.populate(hc, ctx)
    actor = ctx.actor
    kr = {r.slug: hc.rules.verdict(actor, r.slug).result("kr-ai-basic-act") for r in hc.systems.all(actor)}
    assert ctx.notes["rules"]["high_impact"] == ["hiring-screener"]
    assert kr["support-chatbot"].classes["generative"] == "yes"
    assert kr["marketing-image-gen"].classes["realistic_synthetic_media"] == "yes"
    assert kr["marketing-image-gen"].obligation("kr.31.3.deepfake-notice").status == "applies"
    for industrial in ("press-defect-vision", "cnc-spindle-pm", "ppe-safety-camera", "compressed-air-optimizer"):
        assert {o.id for o in kr[industrial].obligations} <= {"kr.33.1.high-impact-review",
                                                             "kr.40.3.comply-with-orders"}, industrial
    assert kr["hiring-screener"].obligation("kr.31.1.advance-notice").status == "applies"
    # The screener is high-impact: which Decree Annex 1 sectoral measures (e.g. PIPA) count
    # toward its Art. 34(1) duties is still to be answered; and it was placed on the EU market
    # before its Annex III date, so whether EU Art. 111(2) keeps it out of the high-risk rules
    # depends on a significant change after that date.
    assert ctx.notes["rules"]["open_questions"] == {
        "support-chatbot": ["generative.outputs_leave_service"],
        "hiring-screener": ["kr.sectoral_measures", "significant_change"]}
    causes = [h["cause"] for h in hc.rules.history(actor, "hiring-screener", pack="kr-ai-basic-act")]
    assert causes == ["revision", "revision", "initial"]
    eu = hc.rules.verdict(actor, "hiring-screener").result("eu-ai-act")
    assert eu.classes["risk_tier"] == "high"
    # Annex III duties under Regulation (EU) 2026/1744 start on 2027-12-02, not 2026-08-02.
    eu = hc.rules.classify(actor, "hiring-screener", as_of=dt.date(2026, 11, 26)).result("eu-ai-act")
    assert eu.pack_version == 2
    assert eu.obligation("eu.4.ai-literacy").status == "applies"  # every deployer, since 2025-02-02
    high_risk = [o for o in eu.obligations if o.id != "eu.4.ai-literacy"]
    assert len(high_risk) >= 7
    assert {(o.status, o.effective_from) for o in high_risk} == {("not_in_force", dt.date(2027, 12, 2))}


def test_demo_records_the_change_of_law_since_july(hc: Haechi) -> None:
    """The demo reads the verdicts as of 2026-07-26 and then as of its date: the EU pack's
    change (the Omnibus version, duties coming into force) is a law-change record."""
    ctx = create_company(hc, dt.date(2026, 11, 26))
    rules_step.populate(hc, ctx)
    changes = hc.rules.law_changes(ctx.actor)
    assert ctx.notes["rules"]["law_changes"] == changes["total"] >= 1
    screener = [c for c in changes["items"] if c["system"] == "hiring-screener" and c["pack"] == "eu-ai-act"]
    assert screener, changes["items"]
    [record] = screener
    assert record["old_as_of"] == "2026-07-26" and record["as_of"] == "2026-11-26"
    assert "2026-07-26" < record["effective"] <= "2026-11-26"
    assert record["gained"] or record["moved"] or record["lost"]
    assert record["trigger"] == "schedule" and record["controls"]
