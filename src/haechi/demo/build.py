"""Build the demo workspace step by step.

The company step creates the organisation, users and AI systems; every capability
adds a step (``demo/<area>.py`` with ``populate(hc, ctx)``) to :data:`STEPS`. Data is
generated from fixed seeds, so every build is the same.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from haechi.auth.roles import Actor
from haechi.core import Haechi

DEMO_ORG = "hanbit"
DEMO_PASSWORD = "hanbit-demo-2026"

#: (module under haechi.demo, label), run in order.
STEPS: list[tuple[str, str]] = [
    ("company", "organisation, users and AI systems"),
    ("rules", "law packs: verdicts for every system, one open question answered"),
    ("esg", "ESG: twelve months of line, energy and safety records, AI energy, social indicators"),
    ("transparency", "transparency: notices, chatbot deliveries, labelled campaign images, a receipt, the public page"),
    ("compliance", "compliance: approved plans, evidence, controls moved through their states, risks"),
    ("monitor", "monitoring: months of predictions in the log lake for three systems, monitors and their alerts"),
    ("compliance_review", "compliance: the fairness alert's incident triaged, its EU clock running; ledger signed"),
    ("reports", "passports for the hiring screener and the support chatbot, dossiers"),
]


@dataclass
class DemoContext:
    """What steps share: the admin actor, the demo 'today', users and free notes."""

    hc: Haechi
    actor: Actor
    today: dt.date
    users: dict[str, Actor] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    def user(self, email: str) -> Actor:
        return self.users.get(email, self.actor)


def demo_exists(hc: Haechi) -> bool:
    return any(org.slug == DEMO_ORG for org in hc.accounts.list_orgs())


def build_demo(hc: Haechi, today: dt.date | None = None,
               progress: Callable[[str], None] = lambda _: None) -> str:
    """Create the demo organisation and run every step; returns a one-line summary."""
    from .company import create_company

    for prepare in hc.hooks.workspace_init:
        prepare(hc)
    ctx = create_company(hc, today or dt.date.today())
    progress(STEPS[0][1])
    for module_name, label in STEPS[1:]:
        module = importlib.import_module(f"haechi.demo.{module_name}")
        module.populate(hc, ctx)
        progress(label)
    systems = len(hc.systems.all(ctx.actor))
    return f"demo ready: organisation '{DEMO_ORG}' with {systems} AI systems"
