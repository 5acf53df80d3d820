"""Fixtures of the compliance tests: a registered high-impact system and a movable clock."""

from __future__ import annotations

import datetime as dt

import pytest

from haechi import Haechi
from haechi.auth.roles import Actor

from .cards import card


class MovableClock:
    """A clock the test moves forward: ``clock.advance(days=31)``."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(hc: Haechi) -> MovableClock:
    """Time for the compliance service, starting 2026-03-02 09:00 KST (00:00 UTC)."""
    c = MovableClock(dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC))
    hc.compliance.clock = c
    return c


@pytest.fixture
def screener(hc: Haechi, actor: Actor, clock: MovableClock) -> str:
    """The hiring screener (high-impact in Korea, high-risk deployer duties in the EU)."""
    hc.systems.add(actor, card())
    return "hiring-screener"


def user(hc: Haechi, admin: Actor, role: str) -> Actor:
    """A user of ``admin``'s organisation with ``role``, as an actor."""
    email = f"{role}@{admin.org_slug}.example"
    hc.accounts.create_user(admin, email, role, "password-123")
    return hc.accounts.authenticate(email, "password-123")


def control_ref(hc: Haechi, actor: Actor, key: str, system: str = "hiring-screener") -> str:
    return next(c["ref"] for c in hc.compliance.controls.list(actor, system) if c["key"] == key)


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def accept_pending(hc: Haechi, admin: Actor, note: str = "checked against the control's requirements") -> list[str]:
    """Accept every piece of evidence waiting for review, as a second person (four eyes).

    The hiring screener is high-impact, so evidence a test adds waits for a reviewer other
    than its submitter before it counts.
    """
    email = f"reviewer@{admin.org_slug}.example"
    if not any(u.email == email for u in hc.accounts.list_users(admin)):
        hc.accounts.create_user(admin, email, "editor", "password-123")
    reviewer = hc.accounts.authenticate(email, "password-123")
    done = []
    for item in hc.compliance.reviews.pending(reviewer):
        if item["can_review"]:
            done.append(hc.compliance.reviews.decide(reviewer, item["ref"], True, note)["ref"])
    return done


def operate(hc: Haechi, actor: Actor, control: str, reason: str | None = None) -> dict:
    """Mark ``control`` operating: ``actor`` asks, a second person approves (four eyes)."""
    asked = hc.compliance.controls.transition(actor, control, "operating", reason)
    if not asked.get("request"):
        return asked
    email = f"reviewer@{actor.org_slug}.example"
    if not any(u.email == email for u in hc.accounts.list_users(actor)):
        hc.accounts.create_user(actor, email, "editor", "password-123")
    reviewer = hc.accounts.authenticate(email, "password-123")
    return hc.compliance.controls.decide(reviewer, control, True, "proof checked again")
