"""The law-pack REST API: spec JSON over HTTP, the error shape, roles and tenancy."""

from __future__ import annotations

import datetime as dt
import json

from haechi.rules import classify

from .cards import UNKNOWN, card
from .test_loader import POLICY
from .test_spec_json import HIRING


def test_classify_a_card_over_http(api) -> None:  # type: ignore[no-untyped-def]
    res = api.post("/api/v1/classify", json={"card": HIRING, "as_of": "2026-11-26"})
    assert res.status_code == 200, res.text
    assert res.json() == json.loads(json.dumps(classify(HIRING, as_of=dt.date(2026, 11, 26)).to_json()))


def test_bad_card_gets_the_error_shape_with_field_locations(api) -> None:  # type: ignore[no-untyped-def]
    res = api.post("/api/v1/classify", json={"card": {"id": "x-y", "name": "X", "domains": ["employmnt"]}})
    assert res.status_code == 422
    body = res.json()
    assert body["ok"] is False and body["error"]["code"] == "validation_failed"
    error = body["error"]["errors"][0]
    assert error["location"] == "card.domains[0]" and "employment" in error["fix"]
    both = api.post("/api/v1/classify", json={"card": HIRING, "system": "hiring-screener"})
    assert both.status_code == 400 and both.json()["error"]["message_ko"]


def test_registered_system_verdict_history_questions_and_answers(api) -> None:  # type: ignore[no-untyped-def]
    assert api.post("/api/v1/systems", json=card(significant_impact=UNKNOWN, domains=["credit"])).status_code == 201
    verdict = api.get("/api/v1/systems/golden-case/verdict", params={"as_of": "2026-11-26"}).json()
    assert verdict["results"][0]["classes"]["high_impact"] == "unknown"
    only = api.get("/api/v1/systems/golden-case/verdict", params=[("pack", "eu-ai-act@2"), ("all", "true")]).json()
    assert [r["pack_version"] for r in only["results"]] == [2]
    questions = api.get("/api/v1/systems/golden-case/questions").json()["items"]
    assert "significant_impact" in [q["field"] for q in questions]
    answered = api.post("/api/v1/systems/golden-case/answers",
                        json={"answers": {"significant_impact": True}, "expected_revision": 1})
    assert answered.status_code == 200, answered.text
    assert answered.json()["revision"] == 2
    assert answered.json()["verdict"]["results"][0]["classes"]["high_impact"] == "yes"
    stale = api.post("/api/v1/systems/golden-case/answers",
                     json={"answers": {"profiling": True}, "expected_revision": 1})
    assert stale.status_code == 409
    history = api.get("/api/v1/systems/golden-case/verdict/history", params={"pack": "kr-ai-basic-act"}).json()
    assert [h["cause"] for h in history["items"]] == ["revision", "initial"]
    by_id = api.post("/api/v1/classify", json={"system": "golden-case", "packs": ["nist-ai-rmf"]}).json()
    assert by_id["results"][0]["pack"] == "nist-ai-rmf"


def test_packs_diff_compare_crosswalk_catalogue(api) -> None:  # type: ignore[no-untyped-def]
    items = api.get("/api/v1/packs").json()["items"]
    assert {"kr-ai-basic-act@1", "eu-ai-act@2"} <= {p["ref"] for p in items}
    shown = api.get("/api/v1/packs/eu-ai-act@2").json()
    assert shown["status"] == "adopted" and shown["in_force_from"] == "2026-07-27" and shown["pack"]["changes"]
    assert api.get("/api/v1/packs/nope").status_code == 404
    api.post("/api/v1/systems", json=HIRING)
    diff = api.get("/api/v1/packs/eu-ai-act/diff", params={"from": 1, "to": 2, "as_of": "2026-11-26"}).json()
    assert diff["obligations"]["added"][0]["id"] == "eu.5.1.ncii-csam-ban"
    assert [s["system"] for s in diff["affected_systems"]] == ["hiring-screener"]
    table = api.get("/api/v1/systems/hiring-screener/compare", params={"as_of": "2026-11-26"}).json()
    assert [c["pack"] for c in table["columns"]] == ["kr-ai-basic-act", "eu-ai-act", "eu-cra"]
    posted = api.post("/api/v1/compare", json={"card": HIRING, "as_of": "2026-11-26"}).json()
    assert posted == table
    every = api.get("/api/v1/systems/hiring-screener/compare", params={"as_of": "2026-11-26", "all": 1}).json()
    assert "us-state-ai" in [c["pack"] for c in every["columns"]] and every["all"] is True
    assert api.post("/api/v1/compare", json={"card": HIRING, "as_of": "2026-11-26", "all": True}).json() == every
    named = api.get("/api/v1/systems/hiring-screener/compare",
                    params=[("as_of", "2026-11-26"), ("pack", "nist-ai-rmf")]).json()
    assert [c["pack"] for c in named["columns"]][-1] == "nist-ai-rmf"
    unknown = api.get("/api/v1/systems/hiring-screener/compare", params={"pack": "no-such-pack"})
    assert unknown.status_code in (404, 422) and "no-such-pack" in unknown.text
    walk = api.get("/api/v1/crosswalk", params={"article": "kr:31(2)"}).json()["items"]
    assert walk[0]["entry"] == "R02"
    assert api.get("/api/v1/crosswalk", params={"article": "31(2)"}).status_code == 422
    catalogue = api.get("/api/v1/obligations", params={"pack": "kr-ai-basic-act"}).json()["items"]
    assert catalogue[0]["id"] == "kr.31.1.advance-notice" and catalogue[0]["effective_from"] == "2026-01-22"


def test_validate_pack_text(api) -> None:  # type: ignore[no-untyped-def]
    ok = api.post("/api/v1/packs/validate", content=POLICY, headers={"Content-Type": "text/yaml"})
    assert ok.status_code == 200 and ok.json()["ref"] == "acme-policy@1"
    bad = api.post("/api/v1/packs/validate", content=POLICY.replace("topic: measurement", "topic: x"),
                   headers={"Content-Type": "text/yaml"})
    assert bad.status_code == 422
    assert bad.json()["error"]["errors"][0]["line"] == 37


def test_roles_and_tenancy(api) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import org_with_users

    api.post("/api/v1/systems", json=HIRING)
    viewer = {"Authorization": f"Bearer {api.tokens['viewer']}"}
    assert api.get("/api/v1/systems/hiring-screener/verdict", headers=viewer).status_code == 200
    assert api.post("/api/v1/rules/refresh", headers=viewer, json={}).status_code == 403
    assert api.post("/api/v1/systems/hiring-screener/answers", headers=viewer,
                    json={"answers": {"profiling": False}}).status_code == 403
    other = {"Authorization": f"Bearer {org_with_users(api.hc, 'globex')['admin']}"}
    assert api.get("/api/v1/systems/hiring-screener/verdict", headers=other).status_code == 404
    assert api.get("/api/v1/systems/hiring-screener/verdict/history", headers=other).status_code == 404
    assert api.post("/api/v1/classify", headers=other, json={"system": "hiring-screener"}).status_code == 404
    assert api.post("/api/v1/rules/refresh", json={"as_of": "2026-11-26"}).status_code == 200
