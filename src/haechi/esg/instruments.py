"""Contractual instruments (PPAs, RECs, green premiums, supplier-specific rates) for
market-based scope 2 figures. Part of ``hc.esg``."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy import select

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict
from haechi.ledger import LedgerAction, append
from haechi.store.esg_tables import EsgInstrument

from . import energy, factors
from .service_base import EsgBase, check_range, invalid


class Instruments(EsgBase):
    """The organisation's contractual instruments."""

    def add_instrument(
        self,
        actor: Actor,
        ident: str,
        *,
        kind: str,
        country: str,
        start: dt.date,
        end: dt.date,
        mwh: float,
        factor: float = 0.0,
        system: str | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """Record a PPA, REC, green premium or supplier-specific rate for market-based figures."""
        actor.require(Permission.WRITE)
        if kind not in energy.INSTRUMENT_KINDS:
            raise invalid(
                "kind",
                f"unknown instrument kind '{kind}'",
                "use one of: " + ", ".join(energy.INSTRUMENT_KINDS),
                "알 수 없는 계약 수단",
            )
        if not (math.isfinite(mwh) and math.isfinite(factor)) or mwh <= 0 or factor < 0:
            raise invalid(
                "mwh",
                "MWh must be above zero and the factor zero or more",
                "give the contracted MWh and its tCO2e/MWh (0 for renewable)",
                "MWh와 계수를 확인하세요",
            )
        check_range(start, end, "instrument")
        code = country.upper()
        if code not in factors.known_countries():
            factors.choose_factor(code, end)  # raises the clear unknown-country error
        with self.db.transaction() as s:
            if s.execute(
                select(EsgInstrument).where(EsgInstrument.org_id == actor.org_id, EsgInstrument.ident == ident)
            ).scalar_one_or_none():
                raise Conflict(
                    f"instrument '{ident}' already exists",
                    key="esg.instrument_already_exists", values={"ident": ident},
                )
            system_id = self.system_row(s, actor, system).id if system else None
            row = EsgInstrument(
                org_id=actor.org_id,
                ident=ident,
                kind=kind,
                country=code,
                start_date=start,
                end_date=end,
                mwh=mwh,
                factor=factor,
                system_id=system_id,
                note=note,
            )
            s.add(row)
            s.flush()
            append(
                s,
                actor.org_id,
                actor.label,
                LedgerAction.ESG_INSTRUMENT_ADD,
                "esg_instrument",
                ident,
                {
                    "kind": kind,
                    "country": code,
                    "start": start,
                    "end": end,
                    "mwh": mwh,
                    "factor": factor,
                    "system": system,
                },
            )
            return self._instrument_view(row, system)

    def instruments(self, actor: Actor) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            slugs = self.slugs(s, actor)
            rows = s.execute(
                select(EsgInstrument).where(EsgInstrument.org_id == actor.org_id).order_by(EsgInstrument.start_date)
            ).scalars()
            return [self._instrument_view(r, slugs.get(r.system_id) if r.system_id else None) for r in rows]

    @staticmethod
    def _instrument_view(row: EsgInstrument, system: str | None) -> dict[str, Any]:
        return {
            "id": row.ident,
            "kind": row.kind,
            "country": row.country,
            "start": row.start_date.isoformat(),
            "end": row.end_date.isoformat(),
            "mwh": row.mwh,
            "factor": row.factor,
            "factor_unit": factors.UNIT,
            "system": system,
            "note": row.note,
        }
