"""Energy and scope 2 emissions of AI systems: pure formulas (no I/O).

* facility energy = IT energy × PUE (PUE 1.0 when not given, and shown as such);
* location-based tCO2e = facility kWh / 1000 × grid factor (tCO2e/MWh);
* market-based tCO2e = Σ covered MWh × instrument factor + uncovered MWh × residual
  factor, where the residual factor is the location-based one because no official Korean
  residual mix exists (esg-facts §1.1) — and every figure says so;
* estimated energy = hours × Σ devices (count × TDP W × utilisation) / 1000, flagged
  ``estimated``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Activity = Literal["training", "fine_tuning", "inference", "evaluation"]
ACTIVITIES: tuple[str, ...] = ("training", "fine_tuning", "inference", "evaluation")
Method = Literal["metered", "codecarbon", "estimated"]
METHODS: tuple[str, ...] = ("metered", "codecarbon", "estimated")
InstrumentKind = Literal["ppa", "rec", "green_premium", "supplier_specific"]
INSTRUMENT_KINDS: tuple[str, ...] = ("ppa", "rec", "green_premium", "supplier_specific")
RESIDUAL_NOTE = (
    "no residual-mix factor is published for this grid; uncovered electricity uses the location-based factor"
)
RESIDUAL_NOTE_KO = "잔여 배출계수가 공표되지 않아 계약으로 덮이지 않은 전력에는 지역 기준 계수를 적용"


def facility_kwh(it_kwh: float, pue: float | None) -> float:
    """Energy at the facility: IT energy × PUE (1.0 when PUE is unknown)."""
    return it_kwh * (pue if pue is not None else 1.0)


def location_tco2e(facility_energy_kwh: float, factor_t_per_mwh: float) -> float:
    """Location-based emissions in tCO2e: kWh / 1000 × tCO2e/MWh."""
    return facility_energy_kwh / 1000.0 * factor_t_per_mwh


@dataclass(frozen=True)
class Device:
    """A piece of hardware for an energy estimate: ``count`` devices of ``tdp_w`` watts."""

    kind: str
    tdp_w: float
    count: int = 1
    utilisation: float = 0.5  # CodeCarbon's constant mode uses 50 % of TDP (esg-facts §1.2)


def estimate_kwh(devices: list[Device], hours: float) -> dict[str, Any]:
    """Estimated IT energy: hours × Σ count × TDP × utilisation / 1000.

    Returns the kWh and the inputs, so the estimate can be shown and reproduced.
    """
    watts = sum(d.count * d.tdp_w * d.utilisation for d in devices)
    kwh = watts * hours / 1000.0
    return {
        "kwh": kwh,
        "hours": hours,
        "average_power_w": watts,
        "devices": [
            {"kind": d.kind, "tdp_w": d.tdp_w, "count": d.count, "utilisation": d.utilisation} for d in devices
        ],
        "formula": "hours × Σ(count × tdp_w × utilisation) / 1000",
    }


def per_1000(value: float | None, events: int | None) -> tuple[float | None, str | None]:
    """Intensity per 1,000 inferences, or ``None`` with the reason it cannot be computed."""
    if value is None:
        return None, "no value"
    if events is None:
        return None, "no inference event count (monitoring logs or --inferences)"
    if events <= 0:
        return None, "zero inference events in the period"
    return value / events * 1000.0, None


@dataclass(frozen=True)
class Instrument:
    """A contractual instrument (PPA, REC, green premium, supplier rate) for market-based."""

    id: str
    kind: str
    country: str
    start: dt.date
    end: dt.date
    mwh: float
    factor: float = 0.0  # tCO2e/MWh of the contracted electricity
    system: str | None = None  # bound to one AI system, or None for the organisation


@dataclass
class Usage:
    """One energy record as seen by the market-based allocation."""

    key: Any
    system: str
    country: str
    end: dt.date
    facility_mwh: float
    location_factor: float
    covered: list[tuple[str, float, float]] = field(default_factory=list)  # (instrument, MWh, factor)

    @property
    def uncovered_mwh(self) -> float:
        return max(self.facility_mwh - sum(mwh for _, mwh, _ in self.covered), 0.0)

    def market_tco2e(self) -> float:
        """Σ covered MWh × instrument factor + uncovered MWh × location factor (residual)."""
        contracted = sum(mwh * factor for _, mwh, factor in self.covered)
        return contracted + self.uncovered_mwh * self.location_factor


def allocate_instruments(usages: list[Usage], instruments: list[Instrument]) -> dict[str, float]:
    """Spread each instrument's MWh over the usages it can cover, pro rata to their need.

    An instrument covers usages in its country whose end date lies in its period (and of
    its system when bound). System-bound instruments go first, so an organisation-wide
    certificate never takes what a dedicated PPA already covers. Returns the MWh of each
    instrument left unused (never applied twice, never beyond consumption).
    """
    unused: dict[str, float] = {}
    for inst in sorted(instruments, key=lambda i: (i.system is None, i.start, i.id)):
        eligible = [
            u
            for u in usages
            if u.country == inst.country
            and inst.start <= u.end <= inst.end
            and (inst.system is None or inst.system == u.system)
            and u.uncovered_mwh > 0
        ]
        need = sum(u.uncovered_mwh for u in eligible)
        give = min(inst.mwh, need)
        for usage in eligible:
            share = give * usage.uncovered_mwh / need if need else 0.0
            if share > 0:
                usage.covered.append((inst.id, share, inst.factor))
        unused[inst.id] = inst.mwh - give
    return unused


def market_basis(usage: Usage) -> str:
    """How a market-based figure was formed: contracts, residual, or both."""
    if not usage.covered:
        return "location_factor_no_instruments"
    return "instruments" if usage.uncovered_mwh <= 1e-12 else "instruments_and_location_residual"
