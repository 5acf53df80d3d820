"""Throttling of guessable or abusable requests, with counters in the database.

A :class:`Policy` allows some events per key within a window; each event beyond the
allowance locks the key for a time that doubles with every further event (exponential
back-off, capped). Counters live in ``throttle_counters`` so every worker of
``haechi serve`` and every restart sees the same lockout. Keys are hashed: a counter
never stores an e-mail address or a client address in clear.

Used by logins (per account and per client address) and by the public review-request
endpoint (per client and per system).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from haechi.domain.errors import TooManyRequests
from haechi.store.security_tables import ThrottleCounter
from haechi.store.tables import utcnow

if TYPE_CHECKING:
    from haechi.store.db import Database


@dataclass(frozen=True)
class Policy:
    """``allowance`` events per ``window``, the last of them locking for ``first_lock``, doubling up to ``max_lock``."""

    name: str
    allowance: int
    window: dt.timedelta
    first_lock: dt.timedelta
    max_lock: dt.timedelta

    def key(self, subject: str) -> str:
        digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:48]
        return f"{self.name}:{digest}"

    def lock_for(self, hits: int) -> dt.timedelta | None:
        """How long a key is locked after its ``hits``-th event (``None``: still allowed).

        The event that uses up the allowance locks for ``first_lock``; every further one
        (possible only after a lock ran out) doubles it.
        """
        over = hits - self.allowance
        if over < 0:
            return None
        return min(self.first_lock * 2 ** min(over, 30), self.max_lock)


MINUTE, HOUR = dt.timedelta(minutes=1), dt.timedelta(hours=1)
#: Counters quiet for this long are forgotten (every window is shorter).
STALE = dt.timedelta(days=1)
#: Share of recorded events that also sweep out stale counters, so the table stays small
#: without a sweep (and its row locks) on every event.
PURGE_CHANCE = 0.02
#: Failed logins of one account (known or not: unknown addresses are counted the same way).
LOGIN_ACCOUNT = Policy("login:account", 5, HOUR, dt.timedelta(seconds=30), 15 * MINUTE)
#: Failed logins from one client address, whatever account they try.
LOGIN_CLIENT = Policy("login:client", 20, HOUR, dt.timedelta(seconds=30), 15 * MINUTE)


class Throttle:
    """Check, count and clear throttled keys; ``clock`` is injectable for tests."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.clock: Callable[[], dt.datetime] = utcnow

    def retry_after(self, *keys: str) -> int:
        """Seconds until every one of ``keys`` is unlocked (0 when none is locked)."""
        now = self.clock()
        with self.db.reader() as s:
            rows = s.execute(select(ThrottleCounter).where(ThrottleCounter.key.in_(keys))).scalars()
            waits = [(r.locked_until - now).total_seconds() for r in rows if r.locked_until and r.locked_until > now]
        return math.ceil(max(waits)) if waits else 0

    def check(self, keys: list[str], message: str, message_ko: str) -> None:
        """Raise :class:`TooManyRequests` while any key is locked; ``{seconds}`` fills the messages."""
        seconds = self.retry_after(*keys)
        if seconds > 0:
            raise TooManyRequests(message.format(seconds=seconds), message_ko=message_ko.format(seconds=seconds),
                                  retry_after=seconds)

    def record(self, policy: Policy, key: str) -> None:
        """Count one event for ``key``; over the allowance, lock it (longer each time)."""
        for attempt in range(2):  # a concurrent first insert of the same key: count again on the row it made
            try:
                with self.db.transaction() as s:
                    self._count(s, policy, key)
                break
            except IntegrityError:
                if attempt:
                    raise
        if random.random() < PURGE_CHANCE:
            self.purge()

    def purge(self) -> int:
        """Forget counters quiet for a day and not locked; returns how many went."""
        now = self.clock()
        stale = delete(ThrottleCounter).where(ThrottleCounter.window_start < now - STALE, or_(
            ThrottleCounter.locked_until.is_(None), ThrottleCounter.locked_until < now))
        try:
            with self.db.transaction() as s:
                return int(getattr(s.execute(stale), "rowcount", 0) or 0)
        except DBAPIError:  # another worker sweeping the same rows: it will finish the job
            return 0

    def _count(self, s: Session, policy: Policy, key: str) -> None:
        now = self.clock()
        locked_row = select(ThrottleCounter).where(ThrottleCounter.key == key).with_for_update()
        row = s.execute(locked_row).scalar_one_or_none()
        if row is None:
            row = ThrottleCounter(key=key, hits=0, window_start=now)
            s.add(row)
        quiet = row.locked_until is None or row.locked_until <= now
        if quiet and now - row.window_start > policy.window:
            row.hits, row.window_start = 0, now  # an old burst is forgiven after a quiet window
        row.hits += 1
        lock = policy.lock_for(row.hits)
        row.locked_until = now + lock if lock else row.locked_until
        s.flush()

    def clear(self, key: str) -> None:
        """Forget ``key`` (an account's failures after a successful login)."""
        with self.db.transaction() as s:
            row = s.get(ThrottleCounter, key)
            if row is not None:
                s.delete(row)
