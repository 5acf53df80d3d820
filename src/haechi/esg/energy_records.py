"""Energy records of AI systems (metered, CodeCarbon, estimated) and contractual
instruments for market-based scope 2. Part of ``hc.esg``.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict
from haechi.events import EvidenceOffered
from haechi.ledger import LedgerAction, append
from haechi.store.esg_tables import EsgEnergyRecord, EsgInstrument

from . import energy, factors
from .codecarbon import parse_codecarbon
from .service_base import EsgBase, check_range, invalid
from .tabular import read_table
from .views import energy_view, overlap_share


class EnergyRecords(EsgBase):
    """Energy per system and activity, and instruments."""

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
        self._check_energy(activity, kwh, start, end, pue, method, inference_count)
        choice = self._factor(country, end, factor_id, factor_fallback)
        with self.db.transaction() as s:
            row = self._add_energy(
                s,
                actor,
                system,
                activity,
                kwh,
                start,
                end,
                choice,
                pue,
                method,
                note,
                inference_count,
                details or {},
                external_id,
            )
            return energy_view(row, system)

    def _check_energy(
        self,
        activity: str,
        kwh: float,
        start: dt.date,
        end: dt.date,
        pue: float | None,
        method: str,
        inference_count: int | None,
    ) -> None:
        if activity not in energy.ACTIVITIES:
            raise invalid(
                "activity",
                f"unknown activity '{activity}'",
                "use one of: " + ", ".join(energy.ACTIVITIES),
                f"알 수 없는 활동 '{activity}'",
            )
        if method not in energy.METHODS:
            raise invalid(
                "method",
                f"unknown method '{method}'",
                "use one of: " + ", ".join(energy.METHODS),
                f"알 수 없는 방법 '{method}'",
            )
        if not math.isfinite(kwh) or kwh < 0:  # NaN or Infinity would blank every total it joins
            raise invalid(
                "kwh",
                f"energy must be a finite number of kWh, zero or more (got {kwh:g})",
                "give the energy used, zero or more",
                "에너지는 0 이상",
            )
        if pue is not None and (not math.isfinite(pue) or pue < 1):
            raise invalid(
                "pue",
                f"PUE {pue:g} is not a finite number of 1.0 or more",
                "PUE = facility ÷ IT energy, so 1.0 or more",
                "PUE는 1.0 이상이어야 합니다",
            )
        if inference_count is not None and inference_count < 0:
            raise invalid("inferences", "negative inference count", "give zero or more", "추론 횟수는 0 이상")
        check_range(start, end, "record")

    def _factor(self, country: str | None, end: dt.date, factor_id: str | None, fallback: str) -> factors.FactorChoice:
        if factor_id:
            return factors.FactorChoice(factors.factor_by_id(factor_id), "explicit", country)
        return factors.choose_factor(country, end, fallback)

    def _add_energy(
        self,
        s: Session,
        actor: Actor,
        system: str,
        activity: str,
        kwh: float,
        start: dt.date,
        end: dt.date,
        choice: factors.FactorChoice,
        pue: float | None,
        method: str,
        note: str | None,
        inference_count: int | None,
        details: dict[str, Any],
        external_id: str | None,
    ) -> EsgEnergyRecord:
        sys_row = self.system_row(s, actor, system)
        row = EsgEnergyRecord(
            org_id=actor.org_id,
            system_id=sys_row.id,
            activity=activity,
            method=method,
            kwh=kwh,
            pue=pue,
            start_date=start,
            end_date=end,
            country=(choice.requested_country or "").upper() or None,
            factor_id=choice.factor.id,
            factor_fallback=choice.fallback,
            inference_count=inference_count,
            external_id=external_id,
            note=note,
            details=details,
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
                "activity": activity,
                "method": method,
                "kwh": kwh,
                "pue": pue,
                "start": start,
                "end": end,
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
        for i, device in enumerate(devices):
            if not math.isfinite(device.tdp_w) or device.tdp_w <= 0 or device.count < 1 \
                    or not 0 <= device.utilisation <= 1:
                raise invalid(
                    f"devices[{i}]",
                    "impossible device (TDP ≤ 0, count < 1 or utilisation outside 0–1)",
                    "give TDP in watts, a count of 1 or more and utilisation between 0 and 1",
                    "장치 값이 올바르지 않습니다",
                )
        if not math.isfinite(hours) or hours < 0 or not devices:
            raise invalid(
                "hours",
                "an estimate needs devices and hours ≥ 0",
                "give --device and --hours",
                "장치와 시간을 입력하세요",
            )
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
            self._check_energy(activity, run.kwh, run.start, run.end, run.pue, "codecarbon", None)
            prepared.append((run, self._factor(run.country or country, run.end, None, factor_fallback)))
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
            added = [
                self._add_energy(
                    s,
                    actor,
                    system,
                    activity,
                    run.kwh,
                    run.start,
                    run.end,
                    choice,
                    run.pue,
                    "codecarbon",
                    None,
                    None,
                    run.details,
                    run.external_id,
                )
                for run, choice in prepared
                if run.external_id not in seen
            ]
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
            stmt = select(EsgEnergyRecord).where(EsgEnergyRecord.org_id == actor.org_id)
            if system:
                stmt = stmt.where(EsgEnergyRecord.system_id == self.system_row(s, actor, system).id)
            if frm:
                stmt = stmt.where(EsgEnergyRecord.end_date >= frm)
            if to:
                stmt = stmt.where(EsgEnergyRecord.start_date <= to)
            rows = s.execute(stmt.order_by(EsgEnergyRecord.start_date, EsgEnergyRecord.id)).scalars().all()
            return [energy_view(r, slugs[r.system_id], overlap_share(r.start_date, r.end_date, frm, to)) for r in rows]

    # --- instruments ---------------------------------------------------------
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
                    message_ko=f"'{ident}' 계약 수단이 이미 있습니다",
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
