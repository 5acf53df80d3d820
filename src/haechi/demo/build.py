"""Build the demo workspace step by step.

The company step creates the organisation, users and AI systems; every capability
declares a step (``demo/<area>.py`` with ``populate(hc, ctx)``) in its capability
(:mod:`haechi.capability`). Data is
generated from fixed seeds, so every build is the same.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from haechi.auth.roles import Actor
from haechi.capability import DemoStep, capabilities
from haechi.core import Haechi

DEMO_ORG = "hanbit"
DEMO_PASSWORD = "hanbit-demo-2026"

def steps() -> list[DemoStep]:
    """The capabilities' demo steps in build order (the company comes first)."""
    return sorted((step for capability in capabilities() for step in capability.demo_steps),
                  key=lambda step: step.order)


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
               progress: Callable[[DemoStep], None] = lambda _: None) -> int:
    """Create the demo organisation and run every step, telling ``progress`` each step done
    (the caller words it in its reader's language); returns the number of AI systems."""
    from .company import create_company

    first, *rest = steps()
    ctx = create_company(hc, today or dt.date.today())
    # After the organisation exists: keys and each organisation's own signing certificate.
    for prepare in hc.hooks.workspace_init:
        prepare(hc)
    progress(first)
    for step in rest:
        importlib.import_module(step.module).populate(hc, ctx)
        progress(step)
    return len(hc.systems.all(ctx.actor))
