"""The export service (``hc.exports``): CycloneDX, OSCAL, Excel and CSV out; Excel/CSV in.

Every export is validated before it is returned (CycloneDX strict schema 1.6, OSCAL via
compliance-trestle's models) and logged like a report (SHA-256, ledger entry).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from haechi.auth.roles import Actor, Permission
from haechi.domain.errors import Issue, ValidationFailed
from haechi.reports.collect import collect_system, verdicts
from haechi.reports.service import Document

from . import cyclonedx, oscal, tabular
from .importer import import_file

if TYPE_CHECKING:
    from haechi.core import Haechi

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
    """Standard exports of the actor's organisation."""

    def __init__(self, hc: Haechi) -> None:
        self.hc = hc

    def _org(self, actor: Actor) -> dict[str, Any]:
        return self.hc.accounts.get_org(actor.org_slug).to_dict()

    def _log(self, actor: Actor, content: bytes, fmt: str, name: str, variant: str,
             system: str | None = None) -> Document:
        return self.hc.reports.log_document(actor, content, fmt, name, kind="export", variant=variant, system=system)

    # --- CycloneDX ----------------------------------------------------------------------
    def cyclonedx_doc(self, actor: Actor, slug: str) -> dict[str, Any]:
        """The validated ML-BOM of one system as data."""
        actor.require(Permission.READ)
        doc = cyclonedx.build_bom(collect_system(self.hc, actor, slug), self._org(actor))
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
                message_ko="OSCAL 문서 종류가 틀렸습니다")
        slugs = systems or [r.slug for r in self.hc.systems.all(actor)]
        collected = [collect_system(self.hc, actor, slug) for slug in slugs]
        build = oscal.component_definition if kind == "component-definition" else oscal.assessment_results
        return build(collected, self._org(actor))

    def oscal(self, actor: Actor, kind: str, systems: list[str] | None = None) -> Document:
        content = _json(self.oscal_doc(actor, kind, systems))
        return self._log(actor, content, "json", f"{actor.org_slug}-{kind}.oscal.json", f"oscal-{kind}")

    # --- spreadsheets ----------------------------------------------------------------------
    def workbook_data(self, actor: Actor) -> dict[str, list[dict[str, Any]]]:
        """Rows of every sheet (inventory, verdicts, controls, evidence, risks, incidents)."""
        actor.require(Permission.READ)
        records = self.hc.systems.all(actor)
        data: dict[str, list[dict[str, Any]]] = {
            "inventory": [tabular.flatten(r.card.to_json(), tabular.COLUMNS["inventory"]) for r in records],
            "verdicts": [row for r in records for row in _verdict_rows(self.hc, actor, r.slug, r.card.to_json())]}
        compliance = getattr(self.hc, "compliance", None)
        if compliance is not None:
            data["controls"] = [c | {"system": x["system"]} for x in
                                (compliance.status(actor, r.slug) for r in records)
                                for c in x.get("controls_detail", [])]
            data["evidence"] = compliance.evidence.list(actor)
            data["risks"] = compliance.risks.list(actor, include_closed=True)
            data["incidents"] = compliance.incidents.list(actor)
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
            raise ValidationFailed(f"unknown sheet '{sheet}'", issues=[
                Issue("sheet", sheet, f"use one of: {', '.join(tables)}")], message_ko="시트 이름이 틀렸습니다")
        return self._log(actor, tabular.to_csv(sheet, tables[sheet]), "csv", f"{sheet}.csv", f"csv-{sheet}")

    def import_file(self, actor: Actor, path: Path) -> dict[str, Any]:
        """Import an exported workbook or CSV sheet, all or nothing."""
        return import_file(self.hc, actor, path)


def _verdict_rows(hc: Haechi, actor: Actor, slug: str, card: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for r in verdicts(hc, actor, slug, card).get("results", []):
        for ob in r.get("obligations", []):
            rows.append({"system": slug, "pack": r["pack"], "pack_version": r.get("pack_version"),
                         "pack_sha256": r.get("pack_sha256"), "obligation": ob["id"], "article": ob.get("article"),
                         "citation": ob.get("citation"), "status": ob.get("status"),
                         "effective_from": ob.get("effective_from")})
    return rows
