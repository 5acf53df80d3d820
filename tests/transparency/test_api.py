"""The transparency endpoints over HTTP (TestClient with a bearer token)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from haechi.domain.card import SystemCard
from haechi.store.tables import LedgerEntry

from . import cards
from .conftest import make_png


def test_notice_text_label_deliveries_and_verify_over_http(api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hc = api.hc
    actor = hc.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate(cards.chatbot()))
    hc.systems.add(actor, SystemCard.model_validate(cards.image_gen()))
    notice = api.get("/api/v1/transparency/systems/support-chatbot/notice", params={"lang": "en"})
    assert notice.status_code == 200 and notice.json()["notice"]["version"] == 1
    html = api.get("/api/v1/transparency/systems/support-chatbot/notice", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html") and "haechi-notice" in html.text
    labelled = api.post("/api/v1/transparency/systems/support-chatbot/label/text", json={"text": "안녕하세요"})
    assert labelled.status_code == 200 and labelled.headers["ai-system"] == "support-chatbot"
    recorded = api.post("/api/v1/transparency/deliveries", json={"items": [
        {"system": "support-chatbot", "kind": "notice", "channel": "screen", "notice_version": 1,
         "session_hash": "abc", "delivered_at": "2026-11-26T10:00:00+09:00"}]})
    assert recorded.json() == {"recorded": 1}
    counts = api.get("/api/v1/transparency/deliveries/counts").json()
    assert counts["items"][0]["count"] == 1
    bad = api.post("/api/v1/transparency/deliveries", json={"items": [{"system": "support-chatbot"}]})
    assert bad.status_code == 422 and bad.json()["ok"] is False
    hc.transparency.certs.create_local()
    out = tmp_path / "l.png"
    hc.transparency.label_file(actor, "marketing-image-gen", "image", make_png(tmp_path / "g.png"), out)
    report = api.post("/api/v1/transparency/verify", files={"file": ("l.png", out.read_bytes(), "image/png")})
    assert report.status_code == 200 and report.json()["verdict"] == "valid"
    viewer = api.get("/api/v1/transparency/decisions", headers={"Authorization": f"Bearer {api.tokens['viewer']}"})
    assert viewer.status_code == 200
    denied = api.patch("/api/v1/transparency/systems/support-chatbot/label-settings", json={"position": "suffix"},
                       headers={"Authorization": f"Bearer {api.tokens['viewer']}"})
    assert denied.status_code == 403
    changed = api.patch("/api/v1/transparency/systems/support-chatbot/label-settings", json={"position": "suffix"})
    assert changed.json()["position"] == "suffix"
    wrong = api.patch("/api/v1/transparency/systems/support-chatbot/label-settings", json={"mode": "loud"})
    assert wrong.status_code == 422


def test_receipts_reviews_and_posting_over_http(api) -> None:  # type: ignore[no-untyped-def]
    hc = api.hc
    actor = hc.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate(cards.hiring()))
    created = api.post("/api/v1/transparency/systems/hiring-screener/receipts", json={
        "decision_id": "A-1", "result": "rejected", "features": {"skills": 0.2},
        "contributions": {"skills": -0.3}})
    assert created.status_code == 201
    token = created.json()["token"]
    anonymous = {"Authorization": ""}
    page = api.get(f"/api/v1/transparency/receipts/{token}", params={"format": "html", "lang": "en"}, headers=anonymous)
    assert page.status_code == 200 and "Main criteria" in page.text
    review = api.post(f"/api/v1/transparency/receipts/{token}/review", json={"message": "please re-check"},
                      headers=anonymous)
    assert review.status_code == 201 and review.json()["status"] == "open"
    tasks = api.get("/api/v1/transparency/review-requests").json()["items"]
    assert tasks[0]["decision_id"] == "A-1"
    resolved = api.post(f"/api/v1/transparency/review-requests/{tasks[0]['id']}/resolve",
                        json={"status": "upheld", "resolution": "checked by HR"})
    assert resolved.json()["status"] == "upheld"
    assert api.get("/api/v1/transparency/public/acme", headers=anonymous).status_code == 404
    assert api.put("/api/v1/transparency/posting", json={"published": True}).status_code == 200
    public = api.get("/api/v1/transparency/public/acme", headers=anonymous).json()
    assert public["high_impact"][0]["system"] == "hiring-screener"
    bad = api.put("/api/v1/transparency/posting", json={"published": True, "systems": {"ghost": {}}})
    assert bad.status_code == 404


def test_public_review_requests_are_throttled_per_client_and_per_system(api) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from fastapi.testclient import TestClient

    from haechi.transparency.receipt_book import REVIEW_SYSTEM

    hc = api.hc
    hc.systems.add(hc.local_actor("acme"), SystemCard.model_validate(cards.hiring()))
    token = api.post("/api/v1/transparency/systems/hiring-screener/receipts", json={
        "decision_id": "A-1", "result": "rejected", "features": {"skills": 0.2},
        "contributions": {"skills": -0.3}}).json()["token"]
    url = f"/api/v1/transparency/receipts/{token}/review"
    person = TestClient(api.app, client=("198.51.100.7", 5000))
    answers = [person.post(url, json={"message": f"please re-check #{i}"}) for i in range(11)]
    assert [a.status_code for a in answers] == [201] * 10 + [429]
    refused = answers[-1]
    assert int(refused.headers["Retry-After"]) > 0
    error = refused.json()["error"]
    assert error["code"] == "too_many_requests" and "too many review requests" in error["message"]
    assert "검토 요청이 너무 많습니다" in error["message_ko"]
    assert person.post(f"/api/v1/transparency/receipts/{'x' * 24}/review", json={"message": "x"}).status_code == 429
    assert len(hc.transparency.receipts.requests(hc.local_actor("acme"))) == 10
    # Someone else may still ask, until the system as a whole had too many.
    throttle = hc.accounts.throttle
    for _ in range(REVIEW_SYSTEM.allowance - 11):
        throttle.record(REVIEW_SYSTEM, REVIEW_SYSTEM.key(f"{hc.local_actor('acme').org_id}/hiring-screener"))
    neighbour = TestClient(api.app, client=("203.0.113.9", 5000))
    assert neighbour.post(url, json={"message": "mine too"}).status_code == 201
    third = TestClient(api.app, client=("192.0.2.44", 5000))
    assert third.post(url, json={"message": "and mine"}).status_code == 429
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
    throttle.clock = lambda: later
    assert third.post(url, json={"message": "and mine"}).status_code == 201


def test_public_pages_answer_alike_for_unknown_and_unpublished_organisations(api) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    anonymous = TestClient(api.app)
    for template in ("/api/v1/transparency/public/{org}", "/public/{org}/ai?format=json"):
        known, unknown = (anonymous.get(template.format(org=org)) for org in ("acme", "nobody"))
        assert known.status_code == unknown.status_code == 404
        assert known.json() == unknown.json()
        assert "acme" not in known.text
    pages = [anonymous.get(f"/public/{org}/ai", headers={"Accept": "text/html"}) for org in ("acme", "nobody")]
    assert pages[0].status_code == pages[1].status_code == 404
    assert pages[0].text.replace("/public/acme/", "/public/nobody/") == pages[1].text  # only the own links differ


def _ledger_entries(hc) -> int:  # type: ignore[no-untyped-def]
    with hc.db.reader() as s:
        return int(s.execute(select(func.count()).select_from(LedgerEntry)).scalar_one())


def test_reading_a_notice_stores_nothing_storing_is_a_post(api) -> None:  # type: ignore[no-untyped-def]
    hc = api.hc
    actor = hc.local_actor("acme")
    hc.systems.add(actor, SystemCard.model_validate(cards.chatbot()))
    url = "/api/v1/transparency/systems/support-chatbot"
    entries = _ledger_entries(hc)
    for _ in range(5):
        shown = api.get(f"{url}/notice", params={"lang": "en"}).json()
        assert shown["draft"] is True and shown["version"] == 1
        assert api.get(f"{url}/snapshot").status_code == 200
    assert api.get(f"{url}/notice/versions").json()["total"] == 0
    assert _ledger_entries(hc) == entries
    stored = api.post(f"{url}/notice")
    assert stored.status_code == 200 and stored.json()["version"] == 1
    assert api.get(f"{url}/notice").json()["draft"] is False
    assert api.get(f"{url}/notice/versions").json()["total"] == 1
    viewer = {"Authorization": f"Bearer {api.tokens['viewer']}"}
    assert api.post(f"{url}/notice", headers=viewer).status_code == 403


def test_a_receipt_with_a_non_finite_score_spelled_as_text_is_422(api) -> None:  # type: ignore[no-untyped-def]
    api.hc.systems.add(api.hc.local_actor("acme"), SystemCard.model_validate(cards.hiring()))
    for body in ({"score": "Infinity"}, {"contributions": {"skills": "nan"}}):
        response = api.post("/api/v1/transparency/systems/hiring-screener/receipts",
                            json={"decision_id": "A-2", "result": "rejected", **body})
        assert response.status_code == 422, response.text
        location = response.json()["error"]["errors"][0]["location"]
        assert location.startswith("body." + next(iter(body)))
