"""The demo company's connected product and Chinese market, as its people meet them.

* ``press-defect-vision`` ships in a connected press controller sold in Germany and Poland:
  a Cyber Resilience Act product whose exploited vulnerability runs the Art. 14 clocks (the
  24-hour early warning filed, the 72-hour notification running), with Korean and English
  text, in the draft report and in the reminders; its CycloneDX export (a fresh
  ``haechi export cyclonedx`` process) is the SBOM the pack's guidance points to.
* ``marketing-image-gen`` also publishes in China: the ``cn-ai`` pack applies and every
  labelled demo image carries the GB 45438-2025 implicit label.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import Demo
from haechi.transparency.aigc_xmp import read_aigc


def _cra_incident(demo: Demo) -> dict:  # type: ignore[type-arg]
    found = [i for i in demo.hc.compliance.incidents.list(demo.actor, "press-defect-vision")
             if i["classification"].get("cra")]
    assert len(found) == 1
    return demo.hc.compliance.incidents.get(demo.actor, found[0]["ref"])


def test_the_exploited_vulnerability_runs_the_cra_clocks(demo: Demo) -> None:
    incident = _cra_incident(demo)
    assert incident["classification"]["cra"] == "exploited_vulnerability" and incident["cra_clocks"]
    clocks = {c["clock"]: c for c in incident["clocks"]}
    assert list(clocks) == ["cra.14.early_warning", "cra.14.notification"]
    assert clocks["cra.14.early_warning"]["state"] == "met" and clocks["cra.14.notification"]["state"] == "running"
    aware = dt.datetime.fromisoformat(incident["aware_at"])
    assert dt.datetime.fromisoformat(clocks["cra.14.notification"]["due_at"]) == aware + dt.timedelta(hours=72)
    assert clocks["cra.14.notification"]["due_local"].endswith("+09:00")
    # written in both languages
    assert incident["title"].startswith("Authentication bypass") and incident["title_ko"].startswith("HV-200")
    assert "폴란드" in incident["description_ko"] and "Poland" in incident["description"]
    draft = demo.client.get(f"/api/v1/incidents/{incident['ref']}/report", params={"lang": "ko"}).json()
    body = "\n".join(s["body"] for s in draft["sections"])
    assert "사이버복원력법 제14조: 제품의 실제 악용되는 취약점" in body and "기한 내 제출" in body
    due = demo.client.get("/api/v1/reminders/due", params={"days": 7}).json()
    notification = [i for i in due["items"] if i["ref"] == incident["ref"]]
    assert [i["citation"] for i in notification] == ["Regulation (EU) 2024/2847 Art. 14(2)(b)"]
    assert 0 < notification[0]["hours_left"] <= 72


def test_the_connected_product_is_in_the_cra_and_its_sbom_exports(demo: Demo, tmp_path: Path) -> None:
    verdict = demo.client.get("/api/v1/systems/press-defect-vision/verdict").json()
    cra = next(r for r in verdict["results"] if r["pack"] == "eu-cra")
    statuses = {o["id"]: o["status"] for o in cra["obligations"]}
    assert statuses["cra.14.1.exploited-vulnerability-report"] == "applies"
    sbom = next(o for o in cra["obligations"] if o["id"] == "cra.annex-i-ii.sbom")
    assert any("haechi export cyclonedx" in g["text"] for g in sbom["guidance"])
    env = {**os.environ, "HAECHI_HOME": str(demo.tmp)}
    env.pop("HAECHI_DATABASE_URL", None)
    out = tmp_path / "press-defect-vision.cdx.json"
    done = subprocess.run([sys.executable, "-m", "haechi", "export", "cyclonedx", "press-defect-vision", "-o",
                           str(out)], env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    bom = json.loads(out.read_text(encoding="utf-8"))
    assert (bom["bomFormat"], bom["specVersion"]) == ("CycloneDX", "1.6")
    assert [c["type"] for c in bom["components"]] == ["machine-learning-model"]


def test_the_image_tool_in_china_writes_the_implicit_label(demo: Demo) -> None:
    verdict = demo.client.get("/api/v1/systems/marketing-image-gen/verdict").json()
    china = next(r for r in verdict["results"] if r["pack"] == "cn-ai")
    assert {o["id"]: o["status"] for o in china["obligations"]}["cn.label.5.implicit-label"] == "applies"
    images = sorted((demo.tmp / "demo-media").glob("*-labelled.png"))
    assert len(images) == 3
    for image in images:
        label = read_aigc(image.read_bytes(), "image/png")
        assert label and label["valid"] and label["ai_generated"]
        assert label["fields"]["ContentProducer"] == "한빛정밀 주식회사"
