"""Tables of the server's own defences: throttling counters shared by every worker.

A counter lives in the database (not in process memory) so a lockout holds across
``haechi serve`` workers and restarts. Keys name what is counted, e.g.
``login:account:<sha256>`` or ``review:client:<address>``; they hold no tenant data.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .tables import Base, utcnow


class ThrottleCounter(Base):
    """Recent events for one key and, once over its allowance, when it may try again."""

    __tablename__ = "throttle_counters"
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
