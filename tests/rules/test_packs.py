"""Every shipped pack validates, cites its articles, and has a stable checksum."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from haechi.domain.yamlio import loads
from haechi.rules import PackLibrary, load_pack_text, pack_json_schema, shipped_library
from haechi.rules.loader import load_pack_document, pack_sha256
from haechi.rules.schema import FRAMEWORK_ARTICLE, LAW_ARTICLE
from haechi.rules.topics import topic_ids

ROOT = Path(__file__).resolve().parents[2]
LIB = shipped_library()
VERSIONS = list(LIB)


def _text(loaded) -> str:  # type: ignore[no-untyped-def]
    return files("haechi.packs").joinpath(loaded.source).read_text("utf-8")


def test_all_shipped_packs_load() -> None:
    refs = [p.ref for p in VERSIONS]
    assert refs == ["kr-ai-basic-act@1", "kr-ai-basic-act@2", "eu-ai-act@1", "eu-ai-act@2", "eu-cra@1",
                    "jp-ai-promotion@1", "jp-ai-promotion@2", "cn-ai@1", "nist-ai-rmf@1",
                    "us-state-ai@1", "us-state-ai@2", "iso-42001@1"]
    assert all(p.origin == "shipped" for p in VERSIONS)


@pytest.mark.parametrize("loaded", VERSIONS, ids=lambda p: p.ref)
def test_every_obligation_cites_an_article(loaded) -> None:  # type: ignore[no-untyped-def]
    pattern = re.compile(LAW_ARTICLE if loaded.pack.kind == "law" else FRAMEWORK_ARTICLE)
    for ob in loaded.pack.obligations:
        assert pattern.match(ob.article), ob.id
        assert ob.citation.strip() and ob.title.strip() and ob.title_ko.strip(), ob.id
        assert ob.description.strip() and ob.description_ko.strip(), ob.id
        assert ob.topic in topic_ids(), ob.id
    for rule in loaded.pack.rules:
        assert rule.article and rule.citation, rule.id


@pytest.mark.parametrize("loaded", VERSIONS, ids=lambda p: p.ref)
def test_checksum_is_stable_and_content_based(loaded) -> None:  # type: ignore[no-untyped-def]
    text = _text(loaded)
    doc = loads(text, loaded.source)
    assert pack_sha256(doc.data) == loaded.sha256
    # Re-serialising (different layout, no comments) keeps the content and the checksum.
    relaid = yaml.safe_dump(doc.data, sort_keys=True, allow_unicode=True, default_flow_style=True)
    assert load_pack_text(relaid, "relaid.yaml").sha256 == loaded.sha256
    # Presentation is not content: reordering or re-prefixing keeps it.
    doc.data["presentation"] = {**doc.data.get("presentation", {}), "order": 999}
    assert load_pack_document(doc).sha256 == loaded.sha256
    # Any change of content changes it.
    doc.data["obligations"][0]["title"] += " (edited)"
    assert load_pack_document(doc).sha256 != loaded.sha256


def test_uncertain_facts_are_marked() -> None:
    kr = LIB.get("kr-ai-basic-act@1").pack
    grace = next(n for n in kr.notes if n.id == "grace-period")
    assert grace.confidence == "uncertain"
    label = next(o for o in kr.obligations if o.id == "kr.31.2.output-label")
    assert {g.id: g.confidence for g in label.guidance}["c2pa-not-named"] == "uncertain"
    assert {g.id: g.confidence for g in label.guidance}["outputs-leave-service"] == "secondary"
    omnibus = LIB.get("eu-ai-act@2").pack
    # Adopted (Regulation (EU) 2026/1744) but known from secondary summaries only.
    assert omnibus.status == "adopted" and omnibus.confidence == "secondary"
    assert LIB.get("jp-ai-promotion@1").pack.confidence == "secondary"


def test_versions_keep_obligation_ids() -> None:
    v1 = {o.id for o in LIB.get("eu-ai-act@1").pack.obligations}
    v2 = {o.id for o in LIB.get("eu-ai-act@2").pack.obligations}
    assert v1 <= v2 and v2 - v1 == {"eu.5.1.ncii-csam-ban"}


def test_crosswalk_points_at_real_obligations_and_references() -> None:
    cw = next(c for c in LIB.crosswalks if c.id == "kr-ai-basic-act-crosswalk")
    assert len(cw.entries) == 21
    for entry in cw.entries:
        source = LIB.get(cw.source_pack).pack
        assert set(entry.source.obligations) <= {o.id for o in source.obligations}, entry.id
        for link in entry.links:
            target = LIB.get(link.pack).pack
            assert set(link.obligations) <= {o.id for o in target.obligations}, (entry.id, link.pack)
            if target.kind == "framework":
                known = {o.article for o in target.obligations} | {c.id for c in target.catalogue}
                assert set(link.refs) <= known, (entry.id, set(link.refs) - known)


def test_published_json_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "schemas" / "pack.schema.json").read_text("utf-8"))
    assert committed == json.loads(json.dumps(pack_json_schema()))
    assert "Condition" in committed["$defs"]
    assert committed["$defs"]["Rule"]["properties"]["when"]["$ref"] == "#/$defs/Condition"


def test_library_without_shipped_packs_is_empty(tmp_path: Path) -> None:
    assert list(PackLibrary.load(tmp_path, include_shipped=False)) == []
