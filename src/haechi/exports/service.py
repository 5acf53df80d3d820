"""The export service (``hc.exports``): CycloneDX, OSCAL, Excel and CSV out; Excel/CSV in.

Every export is validated before it is returned (CycloneDX strict schema 1.6, OSCAL via
compliance-trestle's models) and logged like a report (SHA-256, ledger entry).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Issue, ValidationFailed
from haechi.reports.collect import verdicts
from haechi.reports.service import Document

from . import cyclonedx, oscal, tabular
from .importer import import_file

if TYPE_CHECKING:
    from haechi.auth.service import Accounts
    from haechi.compliance.service import ComplianceService
    from haechi.registry.service import SystemRegistry
    from haechi.reports.service import ReportsService
    from haechi.store.db import Database
    from haechi.verdicts.service import VerdictService

OSCAL_KINDS = ("component-definition", "assessment-results")
NOTES = {
    "about": "Haechi export: one sheet per table; the first row holds the column names.",
    "empty cell": "unknown (null)", "[]": "an empty list", "lists": "values joined with '; '",
    "formulas": "values starting with = + - @, a tab or a carriage return are text, never formulas "
                "(in CSV they carry a leading apostrophe, which the import removes)",
    "import": "haechi import xlsx FILE reads the inventory and incidents sheets; the others are export-only.",
}


def _json(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


class ExportService:
    """Standard exports of the actor's organisation.

    :param db: the workspace database (an import writes in one transaction).
    :param accounts: the organisation an export names.
    :param systems: the registry (inventory rows, imported cards).
    :param reports: collects what a document shows and logs handed-out files.
    :param verdicts: returns the verdict service (the verdicts sheet).
    :param compliance: returns the compliance service (controls, evidence, risks, incidents).
    """

    def __init__(self, db: Database, accounts: Accounts, systems: SystemRegistry, reports: ReportsService,
                 verdicts: Callable[[], VerdictService], compliance: Callable[[], ComplianceService]) -> None:
        self.db = db
        self.accounts = accounts
        self.systems = systems
        self.reports = reports
        self.verdicts = verdicts
        self.compliance = compliance

    def _org(self, actor: Actor) -> dict[str, Any]:
        return self.accounts.get_org(actor.org_slug).to_dict()

    def _log(self, actor: Actor, content: bytes, fmt: str, name: str, variant: str,
             system: str | None = None) -> Document:
        return self.reports.log_document(actor, content, fmt, name, kind="export", variant=variant, system=system)

    # --- CycloneDX ----------------------------------------------------------------------
    def cyclonedx_doc(self, actor: Actor, slug: str) -> dict[str, Any]:
        """The validated ML-BOM of one system as data."""
        actor.require(Permission.READ)
        doc = cyclonedx.build_bom(self.reports.collect_system(actor, slug), self._org(actor))
        cyclonedx.validate(doc)
        return doc

    def cyclonedx(self, actor: Actor, slug: str) -> Document:
        content = _json(self.cyclonedx_doc(actor, slug))
        return self._log(actor, content, "json", f"{slug}.cdx.json", "cyclonedx", slug)

    # --- OSCAL -----------------------------------------------------------------------------
    def oscal_doc(self, actor: Actor, kind: str, systems: list[str] | None = None) -> dict[str, Any]:
        """A validated OSCAL component definition or assessment results (all systems by default)."""
        actor.require(Permission.READ)
        if kind not in OSCAL_KINDS:
            raise ValidationFailed(f"unknown OSCAL document '{kind}'", issues=[
                Issue("kind", kind, f"use one of: {', '.join(OSCAL_KINDS)}")],
                key="exports.unknown_oscal_document", values={"kind": kind})
        slugs = systems or [r.slug for r in self.systems.all(actor)]
        collected = [self.reports.collect_system(actor, slug) for slug in slugs]
        build = oscal.component_definition if kind == "component-definition" else oscal.assessment_results
        return build(collected, self._org(actor))

    def oscal(self, actor: Actor, kind: str, systems: list[str] | None = None) -> Document:
        content = _json(self.oscal_doc(actor, kind, systems))
        return self._log(actor, content, "json", f"{actor.org_slug}-{kind}.oscal.json", f"oscal-{kind}")

    # --- spreadsheets ----------------------------------------------------------------------
    def workbook_data(self, actor: Actor) -> dict[str, list[dict[str, Any]]]:
        """Rows of every sheet (inventory, verdicts, controls, evidence, risks, incidents)."""
        actor.require(Permission.READ)
        records = self.systems.all(actor)
        rules, compliance = self.verdicts(), self.compliance()
        data: dict[str, list[dict[str, Any]]] = {
            "inventory": [tabular.flatten(r.card.to_json(), tabular.COLUMNS["inventory"]) for r in records],
            "verdicts": [row for r in records for row in _verdict_rows(rules, actor, r.slug)],
            "controls": [c | {"system": x["system"]} for x in (compliance.status(actor, r.slug) for r in records)
                         for c in x.get("controls_detail", [])],
            "evidence": compliance.evidence.list(actor),
            "risks": compliance.risks.list(actor, include_closed=True),
            "incidents": compliance.incidents.list(actor)}
        return tabular.sheets(data)

    def xlsx(self, actor: Actor) -> Document:
        content = tabular.to_xlsx(self.workbook_data(actor), NOTES)
        return self._log(actor, content, "xlsx", f"{actor.org_slug}-haechi.xlsx", "xlsx")

    def csv(self, actor: Actor, sheet: str | None = None) -> Document:
        """One sheet as CSV, or every sheet as CSV files in a zip."""
        tables = self.workbook_data(actor)
        if sheet is None:
            return self._log(actor, tabular.to_csv_zip(tables), "zip", f"{actor.org_slug}-haechi-csv.zip", "csv")
        if sheet not in tables:
            raise ValidationFailed(f"unknown sheet '{sheet}'", key="exports.unknown_sheet", values={"sheet": sheet},
                                   issues=[Issue("sheet", sheet, f"use one of: {', '.join(tables)}")])
        return self._log(actor, tabular.to_csv(sheet, tables[sheet]), "csv", f"{sheet}.csv", f"csv-{sheet}")

    def import_file(self, actor: Actor, path: Path) -> dict[str, Any]:
        """Import an exported workbook or CSV sheet, all or nothing."""
        return import_file(self.db, self.systems, self.compliance, actor, path)


def _verdict_rows(rules: VerdictService, actor: Actor, slug: str) -> list[dict[str, Any]]:
    rows = []
    for r in verdicts(rules, actor, slug).get("results", []):
        for ob in r.get("obligations", []):
            rows.append({"system": slug, "pack": r["pack"], "pack_version": r.get("pack_version"),
                         "pack_sha256": r.get("pack_sha256"), "obligation": ob["id"], "article": ob.get("article"),
                         "citation": ob.get("citation"), "status": ob.get("status"),
                         "effective_from": ob.get("effective_from")})
    return rows
