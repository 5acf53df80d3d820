"""Energy records of AI systems (metered, CodeCarbon, estimated): stored with the grid
factor chosen when they are recorded, offered to compliance as evidence, listed. Part of
``hc.esg``; the checks of a record are :class:`~haechi.esg.energy_entry.EnergyEntry`'s.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.events import EvidenceOffered
from haechi.ledger import LedgerAction, append
from haechi.store.esg_tables import EsgEnergyRecord

from . import energy, factors
from .codecarbon import parse_codecarbon
from .energy_entry import EnergyEntry, check_estimate, grid_factor
from .service_base import EsgBase
from .tabular import read_table
from .views import energy_view, overlap_share


class EnergyRecords(EsgBase):
    """Energy per system and activity."""

    def record_energy(
        self,
        actor: Actor,
        system: str,
        *,
        activity: str,
        kwh: float,
        start: dt.date,
        end: dt.date,
        country: str | None = None,
        pue: float | None = None,
        method: str = "metered",
        note: str | None = None,
        inference_count: int | None = None,
        factor_id: str | None = None,
        factor_fallback: str = "none",
        details: dict[str, Any] | None = None,
        external_id: str | None = None,
    ) -> dict[str, Any]:
        """Store the energy of one system and activity; the grid factor is chosen now and kept."""
        actor.require(Permission.WRITE)
        entry = EnergyEntry(activity, kwh, start, end, pue, method, note, inference_count, details or {}, external_id)
        choice = grid_factor(country, end, factor_id, factor_fallback)
        with self.db.transaction() as s:
            return energy_view(self._add_energy(s, actor, system, entry, choice), system)

    def _add_energy(self, s: Session, actor: Actor, system: str, entry: EnergyEntry,
                    choice: factors.FactorChoice) -> EsgEnergyRecord:
        sys_row = self.system_row(s, actor, system)
        row = EsgEnergyRecord(
            org_id=actor.org_id,
            system_id=sys_row.id,
            activity=entry.activity,
            method=entry.method,
            kwh=entry.kwh,
            pue=entry.pue,
            start_date=entry.start,
            end_date=entry.end,
            country=(choice.requested_country or "").upper() or None,
            factor_id=choice.factor.id,
            factor_fallback=choice.fallback,
            inference_count=entry.inference_count,
            external_id=entry.external_id,
            note=entry.note,
            details=entry.details,
            actor=actor.label,
        )
        s.add(row)
        s.flush()
        append(
            s,
            actor.org_id,
            actor.label,
            LedgerAction.ESG_ENERGY_RECORD,
            "esg_energy",
            str(row.id),
            {
                "system": system,
                "activity": entry.activity,
                "method": entry.method,
                "kwh": entry.kwh,
                "pue": entry.pue,
                "start": entry.start,
                "end": entry.end,
                "factor_id": choice.factor.id,
                "fallback": choice.fallback,
            },
        )
        self._offer_evidence(s, actor, system, row)
        return row

    def _offer_evidence(self, s: Session, actor: Actor, system: str, row: EsgEnergyRecord) -> None:
        """Offer the record to compliance as ``energy_record`` evidence, in the same transaction.

        The payload holds the measured facts only (not the row id), so recording the same
        energy twice leaves one piece of evidence.
        """
        payload = {
            "system": system,
            "activity": row.activity,
            "method": row.method,
            "kwh": row.kwh,
            "pue": row.pue,
            "start": row.start_date.isoformat(),
            "end": row.end_date.isoformat(),
            "country": row.country,
            "factor_id": row.factor_id,
            "inference_count": row.inference_count,
            "external_id": row.external_id,
        }
        period = f"{payload['start']}..{payload['end']}"
        title = f"{row.activity.capitalize()} energy {row.kwh:g} kWh ({row.method}), {period}"
        offer = EvidenceOffered(s, actor, system, "energy_record", title, payload,
                                {"source": "esg", "source_ref": f"energy:{row.id}"})
        self.events.publish(offer)

    def estimate_energy(
        self,
        actor: Actor,
        system: str,
        *,
        activity: str,
        devices: list[energy.Device],
        hours: float,
        start: dt.date,
        end: dt.date,
        **options: Any,
    ) -> dict[str, Any]:
        """Record an energy estimate from hardware, hours and utilisation (method ``estimated``)."""
        check_estimate(devices, hours)
        estimate = energy.estimate_kwh(devices, hours)
        return self.record_energy(
            actor,
            system,
            activity=activity,
            kwh=estimate["kwh"],
            start=start,
            end=end,
            method="estimated",
            details={"estimate": estimate},
            **options,
        )

    def import_codecarbon(
        self,
        actor: Actor,
        system: str,
        path: Path | str,
        *,
        activity: str = "training",
        country: str | None = None,
        data: bytes | None = None,
        name: str | None = None,
        factor_fallback: str = "none",
    ) -> dict[str, Any]:
        """Import every run of a CodeCarbon ``emissions.csv``; runs seen before are skipped."""
        actor.require(Permission.WRITE)
        runs = parse_codecarbon(read_table(path, data, name))
        prepared = []
        for run in runs:
            entry = EnergyEntry(activity, run.kwh, run.start, run.end, run.pue, "codecarbon", details=run.details,
                                external_id=run.external_id)
            prepared.append((entry, grid_factor(run.country or country, run.end, None, factor_fallback)))
        with self.db.transaction() as s:
            sys_row = self.system_row(s, actor, system)
            seen = set(
                s.execute(
                    select(EsgEnergyRecord.external_id).where(
                        EsgEnergyRecord.org_id == actor.org_id,
                        EsgEnergyRecord.system_id == sys_row.id,
                    )
                ).scalars()
            )
            added = [self._add_energy(s, actor, system, entry, choice) for entry, choice in prepared
                     if entry.external_id not in seen]
            return {
                "system": system,
                "runs": len(runs),
                "imported": len(added),
                "skipped_duplicates": len(runs) - len(added),
                "records": [energy_view(r, system) for r in added],
            }

    def energy_records(
        self,
        actor: Actor,
        system: str | None = None,
        frm: dt.date | None = None,
        to: dt.date | None = None,
    ) -> list[dict[str, Any]]:
        """Energy records (pro-rated by days to ``[frm, to]`` when given)."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            slugs = self.slugs(s, actor)
            stmt = self.overlapping(s, actor, EsgEnergyRecord, system, frm, to)
            rows = s.execute(stmt.order_by(EsgEnergyRecord.start_date, EsgEnergyRecord.id)).scalars().all()
            return [energy_view(r, slugs[r.system_id], overlap_share(r.start_date, r.end_date, frm, to)) for r in rows]
