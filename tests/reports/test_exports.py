"""Exports validate against their schemas; the Excel/CSV import reproduces the data; bad
imports list every bad row and store nothing."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Org
from haechi.domain.errors import ValidationFailed
from haechi.exports import cyclonedx
from haechi.exports.tabular import COLUMNS


def _model_card(doc: dict) -> dict:
    return next(c for c in doc["components"] if c["type"] == "machine-learning-model")["modelCard"]


def test_cyclonedx_model_card_is_valid_and_carries_monitoring_and_esg(org: Org) -> None:
    doc = org.hc.exports.cyclonedx_doc(org.actor, "hiring-screener")
    cyclonedx.validate(doc)  # strict CycloneDX 1.6 JSON schema
    assert doc["specVersion"] == "1.6"
    card = _model_card(doc)
    fairness = card["considerations"]["fairnessAssessments"]
    latest = org.hc.monitor.results(org.actor, "hiring-screener")["windows"][-1]["fairness"]["sex"]
    lowest = min(latest["groups"], key=lambda g: latest["groups"][g]["selection_rate"])
    assert fairness[0]["groupAtRisk"] == f"sex={lowest}"
    assert str(latest["demographic_parity_difference"]) in fairness[0]["harms"]
    energy = {e["activity"]: e for e in card["considerations"]["environmentalConsiderations"]["energyConsumptions"]}
    assert energy["training"]["activityEnergyCost"] == {"value": 1250.5, "unit": "kWh"}
    assert energy["inference"]["properties"][0]["value"] == "estimated"
    metrics = {(m["type"], m["slice"].split(";")[0]) for m in card["quantitativeAnalysis"]["performanceMetrics"]}
    assert any(name == "recall" for name, _ in metrics)
    props = {p["name"]: p["value"] for p in doc["metadata"]["properties"]}
    assert props["haechi:kr-ai-basic-act:high_impact"] in ("yes", "no", "unknown")


def test_cyclonedx_validator_rejects_a_wrong_value(org: Org) -> None:
    doc = copy.deepcopy(org.hc.exports.cyclonedx_doc(org.actor, "hiring-screener"))
    _model_card(doc)["considerations"]["environmentalConsiderations"]["energyConsumptions"][0]["activity"] = "mining"
    with pytest.raises(ValidationFailed):
        cyclonedx.validate(doc)


def test_oscal_documents_validate_with_trestle(org: Org) -> None:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.component import ComponentDefinition

    comp = org.hc.exports.oscal_doc(org.actor, "component-definition")["component-definition"]
    ComponentDefinition.model_validate(comp)
    screener = next(c for c in comp["components"] if c["title"].startswith("Applicant"))
    sources = {ci["source"] for ci in screener["control-implementations"]}
    assert any(s.startswith("urn:haechi:pack:kr-ai-basic-act@") for s in sources)
    results = org.hc.exports.oscal_doc(org.actor, "assessment-results")["assessment-results"]
    AssessmentResults.model_validate(results)
    findings = [f for r in results["results"] for f in r.get("findings", [])]
    status = org.hc.compliance.status(org.actor, "hiring-screener")["obligations"]
    assert {f["target"]["target-id"] for f in findings} >= {o["id"] for o in status}
    assert all(f["target"]["status"]["state"] in ("satisfied", "not-satisfied") for f in findings)


def test_excel_export_then_import_reproduces_the_data(org: Org) -> None:
    doc = org.hc.exports.xlsx(org.actor)
    path = org.tmp / "export.xlsx"
    path.write_bytes(doc.content)
    book = load_workbook(path)
    assert {"inventory", "verdicts", "controls", "evidence", "risks", "incidents"} <= set(book.sheetnames)
    assert [c.value for c in book["inventory"][1]] == COLUMNS["inventory"]
    org.hc.accounts.create_org("newco", "New Co")
    other = org.hc.local_actor("newco")
    before = org.hc.exports.workbook_data(org.actor)
    result = org.hc.exports.import_file(other, path)
    assert result["created"] == 3 and result["incidents"] == len(before["incidents"]) >= 1
    after = org.hc.exports.workbook_data(other)
    assert after["inventory"] == before["inventory"]
    keep = ("system", "title", "description", "severity", "source", "aware_at", "status")
    assert [{k: r[k] for k in keep} for r in after["incidents"]] == \
        [{k: r[k] for k in keep} for r in before["incidents"]]
    assert after["verdicts"] == before["verdicts"]  # same cards, same law: same verdicts
    again = org.hc.exports.import_file(other, path)  # importing twice changes no card
    assert again["unchanged"] == 3 and again["created"] == 0


def test_csv_sheet_round_trip(org: Org) -> None:
    csv_doc = org.hc.exports.csv(org.actor, "inventory")
    path = org.tmp / "inventory.csv"
    path.write_bytes(csv_doc.content)
    org.hc.accounts.create_org("csvco", "CSV Co")
    other = org.hc.local_actor("csvco")
    assert org.hc.exports.import_file(other, path)["created"] == 3
    assert org.hc.exports.workbook_data(other)["inventory"] == org.hc.exports.workbook_data(org.actor)["inventory"]


def test_bad_import_lists_every_row_and_stores_nothing(org: Org) -> None:
    path = org.tmp / "inventory.csv"
    path.write_bytes(org.hc.exports.csv(org.actor, "inventory").content)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[0]["id"] = "Bad Id!"
    broken = next(i for i, r in enumerate(rows) if r["id"] == "support-chatbot")
    rows[broken]["domains"] = "customer_service; astrology"
    rows[broken]["operator.country"] = "Korea"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS["inventory"])
        writer.writeheader()
        writer.writerows(rows)
    org.hc.accounts.create_org("badco", "Bad Co")
    other = org.hc.local_actor("badco")
    with pytest.raises(ValidationFailed) as err:
        org.hc.exports.import_file(other, path)
    places = [i.location for i in err.value.issues]
    assert any(p.startswith("inventory row 2, id") for p in places)
    assert any(p.startswith(f"inventory row {broken + 2}, domains") for p in places)
    assert any(p.startswith(f"inventory row {broken + 2}, operator.country") for p in places)
    assert all(i.file == str(path) for i in err.value.issues)
    assert org.hc.systems.all(other) == []


def test_export_cli_writes_valid_files(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme", "--name", "Acme").code == 0
    card = Path(__file__).parents[2] / "src/haechi/demo/cards/hiring-screener.yaml"
    assert cli("systems", "add", str(card)).code == 0
    out = tmp_path / "bom.json"
    res = cli("export", "cyclonedx", "hiring-screener", "--out", str(out))
    assert res.code == 0 and "sha256" in res.err
    cyclonedx.validate(json.loads(out.read_text()))
    assert cli("export", "xlsx", "--out", str(tmp_path / "all.xlsx")).code == 0
    assert cli("export", "oscal", "assessment-results", "--out", str(tmp_path / "ar.json")).code == 0
    bad = cli("import", "csv", str(tmp_path / "ar.json"))
    assert bad.code == 2


def test_export_import_round_trip_on_both_databases(db_hc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from haechi.demo.company import demo_card

    db_hc.accounts.create_org("hanbit", "Hanbit Precision Co., Ltd.", "한빛정밀")
    actor = db_hc.local_actor("hanbit")
    for slug in ("hiring-screener", "press-defect-vision"):
        db_hc.systems.add(actor, demo_card(slug))
    db_hc.compliance.incidents.open(actor, title="라인 정지 오경보", system="press-defect-vision", severity="low")
    path = tmp_path / "export.xlsx"
    path.write_bytes(db_hc.exports.xlsx(actor).content)
    db_hc.accounts.create_org("newco", "New Co")
    other = db_hc.local_actor("newco")
    assert db_hc.exports.import_file(other, path)["created"] == 2
    mine, theirs = db_hc.exports.workbook_data(actor), db_hc.exports.workbook_data(other)
    assert theirs["inventory"] == mine["inventory"]
    assert [i["title"] for i in theirs["incidents"]] == [i["title"] for i in mine["incidents"]]
    cyclonedx.validate(db_hc.exports.cyclonedx_doc(other, "hiring-screener"))


def test_hand_made_partial_sheet_creates_and_updates_only_its_columns(org: Org) -> None:
    path = org.tmp / "inventory.csv"
    path.write_text("id,name,domains,markets\n"
                    "new-ocr,Invoice OCR,internal_productivity,KR\n"
                    "support-chatbot,Support chatbot (renamed),customer_service; content_generation,KR; EU\n",
                    encoding="utf-8")
    before = org.hc.systems.get(org.actor, "support-chatbot").card
    result = org.hc.exports.import_file(org.actor, path)
    assert (result["created"], result["updated"]) == (1, 1)
    after = org.hc.systems.get(org.actor, "support-chatbot").card
    assert after.name == "Support chatbot (renamed)" and after.markets == ["KR", "EU"]
    assert after.generative == before.generative and after.owners == before.owners  # columns not in the sheet
    assert org.hc.systems.get(org.actor, "new-ocr").card.domains == ["internal_productivity"]
