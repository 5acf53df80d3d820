"""Grid emission factors shipped as data, and the rule that picks one.

Every factor carries its value (tCO2e/MWh), data year, publication date and source.
The rule: for a country and a record end date, use the latest *automatic* factor
published on or before that date, preferring official national factors over a
public dataset. A factor is never silently replaced: when no factor qualifies, the
lookup raises :class:`FactorNotFound` naming the fix, unless the caller asked for an
explicit fallback, and then the result is flagged.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from haechi.domain.errors import Issue, ValidationFailed

Fallback = Literal["none", "later", "world"]
FALLBACKS: tuple[str, ...] = ("none", "later", "world")
_TIER_RANK = {"official": 0, "dataset": 1, "legacy": 2, "fallback": 3}
UNIT = "tCO2e/MWh"


@dataclass(frozen=True)
class GridFactor:
    """One published grid emission factor."""

    id: str
    country: str
    value: float
    data_year: int
    published: dt.date | None
    source: str
    tier: str
    auto: bool
    note: str

    def to_dict(self, sources: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        """JSON form; ``sources`` adds the source's name and first URL."""
        out: dict[str, Any] = {
            "id": self.id,
            "country": self.country,
            "value": self.value,
            "unit": UNIT,
            "year": self.data_year,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "tier": self.tier,
            "note": self.note,
        }
        if sources and self.source in sources:
            meta = sources[self.source]
            out["source_name"] = meta.get("name")
            out["source_name_ko"] = meta.get("name_ko") or meta.get("name")
            out["source_url"] = (meta.get("urls") or [None])[0]
        return out


@dataclass(frozen=True)
class FactorChoice:
    """The factor used for one figure, and whether a fallback was involved."""

    factor: GridFactor
    fallback: str | None = None  # None, "later" or "world"
    requested_country: str | None = None

    @property
    def flagged(self) -> bool:
        return self.fallback is not None

    def describe(self) -> dict[str, Any]:
        """The fields every emission figure carries (spec: factor, factor_year, factor_source)."""
        return {
            "factor": self.factor.value,
            "factor_unit": UNIT,
            "factor_id": self.factor.id,
            "factor_year": self.factor.data_year,
            "factor_source": self.factor.source,
            "factor_fallback": self.fallback,
        }


class FactorNotFound(ValidationFailed):
    """No grid factor qualifies for a country and date."""

    code = "factor_not_found"


def _parse_row(row: dict[str, str]) -> GridFactor:
    return GridFactor(
        id=row["id"],
        country=row["country"],
        value=float(row["value_tco2e_per_mwh"]),
        data_year=int(row["data_year"]),
        published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
        source=row["source"],
        tier=row["tier"],
        auto=row["auto"] == "yes",
        note=row["note"],
    )


@lru_cache(maxsize=1)
def load_factors() -> tuple[GridFactor, ...]:
    """Every shipped factor (``esg/data/grid_factors.csv``)."""
    text = resources.files("haechi.esg").joinpath("data/grid_factors.csv").read_text("utf-8")
    return tuple(_parse_row(row) for row in csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def load_sources() -> dict[str, dict[str, Any]]:
    """Source metadata by id (``esg/data/factor_sources.yaml``)."""
    text = resources.files("haechi.esg").joinpath("data/factor_sources.yaml").read_text("utf-8")
    data: dict[str, dict[str, Any]] = yaml.safe_load(text)
    return data


def factor_by_id(factor_id: str) -> GridFactor:
    """A factor chosen explicitly by id (also the non-automatic history entries)."""
    for factor in load_factors():
        if factor.id == factor_id:
            return factor
    raise FactorNotFound(
        f"unknown grid factor '{factor_id}'",
        issues=[
            Issue(
                "factor",
                f"'{factor_id}' is not a shipped factor",
                "list them with 'haechi esg factors' and use one of the ids",
            )
        ],
        key="esg.unknown_grid_factor", values={"factor_id": factor_id},
    )


def known_countries() -> set[str]:
    return {f.country for f in load_factors() if f.auto}


def choose_factor(country: str | None, on: dt.date, fallback: str = "none") -> FactorChoice:
    """The factor for ``country`` on ``on`` (a record's end date), or a flagged fallback.

    :raises FactorNotFound: no country, an unknown country, or no factor published by
        ``on``, and ``fallback`` does not allow a substitute.
    """
    if fallback not in FALLBACKS:
        raise ValidationFailed(
            f"unknown factor fallback '{fallback}'", key="esg.unknown_factor_fallback", values={"fallback": fallback},
            issues=[
                Issue(
                    "factor_fallback",
                    f"'{fallback}' is not allowed",
                    "use one of: none, later, world",
                )
            ],
        )
    code = (country or "").strip().upper()
    candidates = [f for f in load_factors() if f.auto and f.country == code]
    published = [f for f in candidates if f.published is not None and f.published <= on]
    if published:
        best = min(published, key=lambda f: (_TIER_RANK[f.tier], -f.published.toordinal()))  # type: ignore[union-attr]
        return FactorChoice(best, None, code)
    if candidates and fallback == "later":
        earliest = min(candidates, key=lambda f: (_TIER_RANK[f.tier], f.published or dt.date.max))
        return FactorChoice(earliest, "later", code)
    if fallback == "world":
        return FactorChoice(factor_by_id("world-iea-2019"), "world", code or None)
    raise _not_found(code, on, bool(candidates))


def _not_found(code: str, on: dt.date, country_known: bool) -> FactorNotFound:
    if not code:
        message, fix = (
            "no country given for an emission figure",
            "give the ISO country code, e.g. --country KR",
        )
        message_ko = "배출량 계산에 국가 코드가 없습니다 (예: --country KR)"
    elif country_known:
        message = f"no grid factor for {code} was published on or before {on.isoformat()}"
        fix = "pass --factor-fallback later to use the earliest later factor (flagged), or choose one with --factor ID"
        message_ko = f"{on.isoformat()} 이전에 공표된 {code} 전력 배출계수가 없습니다"
    else:
        message = f"unknown country '{code}': no grid factor is shipped for it"
        fix = (
            "use an ISO 3166-1 alpha-2 code (see 'haechi esg factors'), or pass "
            "--factor-fallback world to use the world average (flagged)"
        )
        message_ko = f"알 수 없는 국가 '{code}': 전력 배출계수가 없습니다"
    return FactorNotFound(message, issues=[Issue("country", message, fix)], message_ko=message_ko)
