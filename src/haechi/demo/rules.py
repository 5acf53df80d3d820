"""Demo step: every Hanbit system classified under the law packs, with a real history.

The company step's cards are classified as they are stored (the ``system_changed``
hook). Here the verdicts are brought to the demo date, and the compliance officer
answers one open question — the screener's ranking list does not make AI use obvious —
which stores a new card revision and settles the KR Art. 31(1) notice. The chatbot's
question (can users take answers out of the service?) is left open on purpose, so the
dashboard shows a guided question.
"""

from __future__ import annotations

from haechi.core import Haechi

from .build import DemoContext


def populate(hc: Haechi, ctx: DemoContext) -> None:
    hc.rules.refresh(ctx.actor, as_of=ctx.today)
    officer = ctx.user("compliance@hanbit.example")
    record = hc.rules.answer(officer, "hiring-screener", {"generative.ai_use_obvious": False})
    verdicts = {r.slug: hc.rules.verdict(ctx.actor, r.slug) for r in hc.systems.all(ctx.actor)}
    ctx.notes["rules"] = {
        "screener_revision": record.revision,
        "high_impact": sorted(s for s, v in verdicts.items()
                              if (kr := v.result("kr-ai-basic-act")) and kr.classes["high_impact"] == "yes"),
        "open_questions": {s: [q.field for q in v.questions()] for s, v in verdicts.items() if v.questions()},
    }
