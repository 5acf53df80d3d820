"""Sites, production/maintenance/safety periods and their KPIs. Part of ``hc.esg``."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Conflict, Issue
from haechi.ledger import LedgerAction, append
from haechi.store.esg_tables import EsgImport, EsgPeriod, EsgSite

from . import factors
from .kpi import aggregate, monthly
from .production import parse_production
from .service_base import EsgBase, midnight
from .tabular import read_table
from .views import period_of


class ProductionRecords(EsgBase):
    """Sites, imports of period records, KPIs."""

    def set_site(
        self,
        actor: Actor,
        slug: str,
        *,
        country: str | None = None,
        name: str | None = None,
        name_ko: str | None = None,
    ) -> dict[str, Any]:
        """Create or update a site; its country selects the factor for avoided emissions."""
        actor.require(Permission.WRITE)
        code = country.upper() if country else None
        if code and code not in factors.known_countries():
            factors.choose_factor(code, dt.date.max)
        with self.db.transaction() as s:
            row = s.execute(
                select(EsgSite).where(EsgSite.org_id == actor.org_id, EsgSite.slug == slug)
            ).scalar_one_or_none()
            if row is None:
                row = EsgSite(org_id=actor.org_id, slug=slug)
                s.add(row)
            row.country = code or row.country
            row.name, row.name_ko = name or row.name, name_ko or row.name_ko
            s.flush()
            append(
                s,
                actor.org_id,
                actor.label,
                LedgerAction.ESG_SITE_SET,
                "esg_site",
                slug,
                {"country": row.country, "name": row.name, "name_ko": row.name_ko},
            )
            return self._site_view(row)

    @staticmethod
    def _site_view(row: EsgSite) -> dict[str, Any]:
        return {"id": row.slug, "name": row.name, "name_ko": row.name_ko, "country": row.country}

    def sites(self, actor: Actor) -> list[dict[str, Any]]:
        actor.require(Permission.READ)
        with self.db.reader() as s:
            sites = s.execute(select(EsgSite).where(EsgSite.org_id == actor.org_id).order_by(EsgSite.slug)).scalars()
            out = []
            for site in sites:
                lines = s.execute(select(EsgPeriod.line).where(EsgPeriod.site_id == site.id).distinct()).scalars()
                out.append({**self._site_view(site), "lines": sorted(lines)})
            return out

    def import_production(
        self,
        actor: Actor,
        path: Path | str,
        *,
        site: str,
        line: str,
        replace: bool = False,
        country: str | None = None,
        data: bytes | None = None,
        name: str | None = None,
    ) -> dict[str, Any]:
        """Import a production CSV/Parquet for one line: all rows or none."""
        actor.require(Permission.WRITE)
        table = read_table(path, data, name)
        parsed = parse_production(table)
        raw = data if data is not None else Path(path).read_bytes()
        if country or not self._site_exists(actor, site):
            self.set_site(actor, site, country=country)
        with self.db.transaction() as s:
            site_row = self.site_row(s, actor, site)
            replaced = self._clear_overlaps(s, actor, site_row, line, parsed.periods, table.source, replace)
            record = EsgImport(
                org_id=actor.org_id,
                site_id=site_row.id,
                line=line,
                source=table.source,
                sha256=hashlib.sha256(raw).hexdigest(),
                rows=len(parsed.periods),
                replaced=replaced,
                actor=actor.label,
            )
            s.add(record)
            s.flush()
            s.add_all(
                EsgPeriod(
                    org_id=actor.org_id,
                    site_id=site_row.id,
                    line=line,
                    import_id=record.id,
                    **{k: getattr(p, k) for k in p.__dataclass_fields__},
                )
                for p in parsed.periods
            )
            append(
                s,
                actor.org_id,
                actor.label,
                LedgerAction.ESG_PRODUCTION_IMPORT,
                "esg_import",
                str(record.id),
                {
                    "site": site,
                    "line": line,
                    "source": table.source,
                    "sha256": record.sha256,
                    "rows": record.rows,
                    "replaced": replaced,
                },
            )
            return {
                "import_id": record.id,
                "site": site,
                "line": line,
                "rows": record.rows,
                "replaced": replaced,
                "sha256": record.sha256,
                "conversions": parsed.conversions,
                "ignored_columns": parsed.ignored_columns,
                "from": parsed.periods[0].period_start.isoformat(),
                "to": parsed.periods[-1].period_end.isoformat(),
            }

    def _site_exists(self, actor: Actor, site: str) -> bool:
        with self.db.reader() as s:
            return (
                s.execute(select(EsgSite.id).where(EsgSite.org_id == actor.org_id, EsgSite.slug == site)).first()
                is not None
            )

    def _clear_overlaps(
        self,
        s: Session,
        actor: Actor,
        site: EsgSite,
        line: str,
        periods: list[Any],
        source: str,
        replace: bool,
    ) -> int:
        lo, hi = periods[0].period_start, max(p.period_end for p in periods)
        stored = (
            s.execute(
                select(EsgPeriod).where(
                    EsgPeriod.org_id == actor.org_id,
                    EsgPeriod.site_id == site.id,
                    EsgPeriod.line == line,
                    EsgPeriod.period_start < hi,
                    EsgPeriod.period_end > lo,
                )
            )
            .scalars()
            .all()
        )
        clashes = [
            row
            for row in stored
            if any(p.period_start < row.period_end and row.period_start < p.period_end for p in periods)
        ]
        if clashes and not replace:
            first = clashes[0]
            raise Conflict(
                f"{source}: {len(clashes)} period(s) overlap data already stored for "
                f"{site.slug}/{line} (first: {first.period_start:%Y-%m-%d %H:%M}–"
                f"{first.period_end:%Y-%m-%d %H:%M}); nothing was imported",
                issues=[
                    Issue(
                        "period_start",
                        "overlaps stored periods",
                        "pass --replace to replace the stored periods in that range",
                    )
                ],
                key="esg.period_overlap_data_already", values={"source": source},
            )
        if clashes:
            s.execute(delete(EsgPeriod).where(EsgPeriod.id.in_([c.id for c in clashes])))
        return len(clashes)

    def periods(
        self,
        actor: Actor,
        site: str,
        line: str | None = None,
        frm: dt.date | None = None,
        to: dt.date | None = None,
    ) -> list[Any]:
        """Stored periods of a site (one line or all) that start in ``[frm, to]``."""
        actor.require(Permission.READ)
        with self.db.reader() as s:
            site_row = self.site_row(s, actor, site)
            stmt = select(EsgPeriod).where(EsgPeriod.org_id == actor.org_id, EsgPeriod.site_id == site_row.id)
            if line:
                stmt = stmt.where(EsgPeriod.line == line)
            if frm:
                stmt = stmt.where(EsgPeriod.period_start >= midnight(frm))
            if to:
                stmt = stmt.where(EsgPeriod.period_start < midnight(to + dt.timedelta(days=1)))
            return [period_of(r) for r in s.execute(stmt.order_by(EsgPeriod.period_start)).scalars()]

    def kpi(
        self,
        actor: Actor,
        *,
        site: str,
        line: str | None = None,
        frm: dt.date | None = None,
        to: dt.date | None = None,
        by_month: bool = False,
    ) -> dict[str, Any]:
        """KPIs of a line (or the whole site) over a date range: sums first, then ratios."""
        periods = self.periods(actor, site, line, frm, to)
        result = {
            "site": site,
            "line": line,
            "from": frm.isoformat() if frm else None,
            "to": to.isoformat() if to else None,
            **aggregate(periods),
        }
        if by_month:
            result["months"] = monthly(periods)
        return result
