"""Demo step after monitoring: the fairness alert has demoted the hiring screener's
risk-management control and opened an incident; the compliance officer triages it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .compliance import review

if TYPE_CHECKING:
    from haechi.core import Haechi

    from .build import DemoContext


def populate(hc: Haechi, ctx: DemoContext) -> None:
    review(hc, ctx)
