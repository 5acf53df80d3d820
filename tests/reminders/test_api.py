"""The reminders API: the due list, my preferences (validated), webhooks (admin only), the delivery log."""

from __future__ import annotations

from typing import Any


def test_reminders_api(api: Any) -> None:
    due = api.get("/api/v1/reminders/due?days=30")
    assert due.status_code == 200 and due.json()["days"] == 30 and due.json()["items"] == []
    assert api.get("/api/v1/reminders/due?days=400").status_code == 422
    assert api.get("/api/v1/reminders/due?system=nope").status_code == 404
    mine = api.get("/api/v1/reminders/preferences").json()
    assert mine["channels"] == ["email"] and mine["saved"] is False
    saved = api.put("/api/v1/reminders/preferences", json={"lang": "en", "channels": ["none"], "digest": False})
    assert saved.status_code == 200 and saved.json() | {"saved": True} == saved.json()
    assert saved.json()["lang"] == "en" and saved.json()["channels"] == ["none"]
    bad = api.put("/api/v1/reminders/preferences", json={"lang": "fr"})
    assert bad.status_code == 422 and bad.json()["ok"] is False
    viewer = {"Authorization": f"Bearer {api.tokens['viewer']}"}
    refused = api.post("/api/v1/reminders/webhooks", json={"name": "x", "url": "https://example.com/hook"},
                       headers=viewer)
    assert refused.status_code == 403
    private = api.post("/api/v1/reminders/webhooks", json={"name": "x", "url": "http://10.0.0.5/hook"})
    assert private.status_code == 422  # the SSRF check of monitoring webhooks applies here too
    log = api.get("/api/v1/reminders/deliveries")
    assert log.status_code == 200 and log.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert api.get("/api/v1/reminders/deliveries/99").status_code == 404
