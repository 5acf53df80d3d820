"""``hc.esg``: ESG operations of the actor's organisation, behind one object.

Energy records (:mod:`.energy_records`, checked by :mod:`.energy_entry`), contractual
instruments (:mod:`.instruments`), sites, production periods and
KPIs (:mod:`.production_records`), social indicators (here), links and effects
(:mod:`.analysis`) and the report (:mod:`.report`). Every write runs in one transaction
with its ledger entry; every query is filtered by the actor's organisation.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from haechi.auth.roles import Actor, Permission
from haechi.ledger import LedgerAction, append
from haechi.store.esg_tables import EsgSocial

from .energy_records import EnergyRecords
from .instruments import Instruments
from .production_records import ProductionRecords
from .service_base import check_range, invalid
from .social import BY_NAME as SOCIAL_INDICATORS
from .views import social_view


class EsgService(EnergyRecords, Instruments, ProductionRecords):
    """ESG operations of the actor's organisation (``hc.esg``)."""

    def record_social(
        self,
        actor: Actor,
        indicator: str,
        *,
        start: dt.date,
        end: dt.date,
        value: float | None = None,
        items: list[str] | None = None,
        system: str | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Record one social or governance indicator for a period."""
        actor.require(Permission.WRITE)
        spec = SOCIAL_INDICATORS.get(indicator)
        if spec is None:
            raise invalid(
                "indicator",
                f"unknown indicator '{indicator}'",
                "use one of: " + ", ".join(SOCIAL_INDICATORS),
                f"알 수 없는 지표 '{indicator}'",
            )
        _check_social_value(spec.kind, value, items)
        check_range(start, end)
        with self.db.transaction() as s:
            system_id = self.system_row(s, actor, system).id if system else None
            row = EsgSocial(
                org_id=actor.org_id,
                system_id=system_id,
                indicator=indicator,
                value=value,
                items=items,
                start_date=start,
                end_date=end,
                note=note,
                actor=actor.label,
            )
            s.add(row)
            s.flush()
            append(
                s,
                actor.org_id,
                actor.label,
                LedgerAction.ESG_SOCIAL_RECORD,
                "esg_social",
                str(row.id),
                {
                    "indicator": indicator,
                    "value": value,
                    "items": items,
                    "system": system,
                    "start": start,
                    "end": end,
                },
            )
            return social_view(row, system)

    def social(
        self,
        actor: Actor,
        frm: dt.date | None = None,
        to: dt.date | None = None,
        system: str | None = None,
    ) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            slugs = self.slugs(s, actor)
            stmt = self.overlapping(s, actor, EsgSocial, system, frm, to)
            rows = s.execute(stmt.order_by(EsgSocial.start_date)).scalars()
            return [social_view(r, slugs.get(r.system_id) if r.system_id else None) for r in rows]

    # --- analysis (delegated) -------------------------------------------------------
    def link(
        self,
        actor: Actor,
        system: str,
        *,
        site: str,
        line: str,
        kpis: list[str] | None = None,
        deployed_at: dt.date | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        from .analysis import link

        return link(self, actor, system, site=site, line=line, kpis=kpis, deployed_at=deployed_at, note=note)

    def links(self, actor: Actor, system: str | None = None) -> list[dict[str, Any]]:
        from .analysis import links

        return links(self, actor, system)

    def effect(self, actor: Actor, system: str, **options: Any) -> dict[str, Any]:
        from .analysis import effects

        return effects(self, actor, system, **options)

    def report(self, actor: Actor, frm: dt.date, to: dt.date, **options: Any) -> dict[str, Any]:
        from .report import build_report

        return build_report(self, actor, frm, to, **options)


def _check_social_value(kind: str, value: float | None, items: list[str] | None) -> None:
    if kind == "list":
        if not items:
            raise invalid(
                "items",
                "this indicator is a list",
                "give one or more --item values",
                "항목을 입력하세요",
            )
        return
    if value is None or not math.isfinite(value) or value < 0 or (kind == "share" and value > 1) \
            or (kind == "count" and value != int(value)):
        expected = "a share between 0 and 1" if kind == "share" else "a whole number of zero or more"
        raise invalid("value", f"value must be {expected}", f"give --value as {expected}", "값을 확인하세요")
