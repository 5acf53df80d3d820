"""Demo step: every Hanbit system classified under the law packs, with a real history.

The company step's cards are classified as they are stored (the ``system_changed``
hook). Here the verdicts are brought to the demo date, and the compliance officer
answers one open question — the screener's ranking list does not make AI use obvious —
which stores a new card revision and settles the KR Art. 31(1) notice. The chatbot's
question (can users take answers out of the service?) is left open on purpose, so the
dashboard shows a guided question.

Before that, the verdicts are read as they stood on 2026-07-26 — the day before the EU
Digital Omnibus text applies — and then as of the demo date, as the daily ``law-dates``
job would have done on the days in between: the change of law (the EU pack's new
version, duties coming into force) is recorded for Hanbit's systems and shows on the
law-changes page and in ``haechi packs changes``.
"""

from __future__ import annotations

import datetime as dt

from haechi.core import Haechi

from .build import DemoContext

#: the last day before the EU Digital Omnibus applies (eu-ai-act v2 is selected from 2026-07-27)
BEFORE_OMNIBUS = dt.date(2026, 7, 26)


def populate(hc: Haechi, ctx: DemoContext) -> None:
    if ctx.today > BEFORE_OMNIBUS:
        hc.rules.refresh(ctx.actor, as_of=BEFORE_OMNIBUS, trigger="schedule")  # a baseline: records no change
    hc.rules.refresh(ctx.actor, as_of=ctx.today, trigger="schedule")
    officer = ctx.user("compliance@hanbit.example")
    record = hc.rules.answer(officer, "hiring-screener", {"generative.ai_use_obvious": False})
    verdicts = {r.slug: hc.rules.verdict(ctx.actor, r.slug) for r in hc.systems.all(ctx.actor)}
    ctx.notes["rules"] = {
        "screener_revision": record.revision,
        "high_impact": sorted(s for s, v in verdicts.items()
                              if (kr := v.result("kr-ai-basic-act")) and kr.classes["high_impact"] == "yes"),
        "law_changes": hc.rules.law_changes(ctx.actor, limit=1)["total"],
        "open_questions": {s: [q.field for q in v.questions()] for s, v in verdicts.items() if v.questions()},
    }
