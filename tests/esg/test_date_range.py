"""Dates at the ends of the calendar (year 1, 9999; year 0 and 10000 do not parse) are a
422 naming the field, in query parameters and bodies — ESG periods and records, evidence
effective dates, incident times, the ESG report period — never a 500, and nothing stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from haechi.demo.company import demo_card
from haechi.domain.dates import check_date
from haechi.domain.errors import ValidationFailed
from haechi.esg.tabular import parse_instant

ABSURD = ["9999-12-31", "0001-01-01", "0000-01-01", "10000-01-01", "1899-12-31", "2200-01-01"]


@pytest.fixture
def client(hc: Haechi) -> TestClient:
    hc.accounts.create_org("acme", "Acme")
    admin = hc.local_actor("acme")
    hc.accounts.create_user(admin, "ed@acme.example", "admin", None, "Ed")
    hc.systems.add(admin, demo_card("hiring-screener"))
    api = TestClient(create_app(hc=hc), raise_server_exceptions=False)
    api.headers["Authorization"] = f"Bearer {hc.accounts.create_token(admin, 'ed@acme.example')}"
    return api


def _requests(day: str) -> list[tuple[str, str, dict[str, Any], str]]:
    """(method, url, keyword arguments, the field the error must name)."""
    esg_body = {"system": "hiring-screener", "activity": "inference", "start": day, "end": "2026-01-31", "kwh": 1.0,
                "country": "KR"}
    return [
        ("get", "/api/v1/esg/kpi", {"params": {"site": "changwon", "from": day, "to": "2026-01-31"}}, "from"),
        ("get", "/api/v1/esg/report", {"params": {"from": "2026-01-01", "to": day}}, "to"),
        ("get", "/api/v1/esg/energy", {"params": {"from": day}}, "from"),
        ("get", "/api/v1/esg/systems/hiring-screener/effect", {"params": {"at": day}}, "at"),
        ("post", "/api/v1/esg/energy", {"json": esg_body}, "start"),
        ("post", "/api/v1/esg/social", {"json": {"indicator": "ai_training_hours", "start": "2026-01-01",
                                                 "end": day, "value": 1}}, "end"),
        ("put", "/api/v1/esg/links", {"json": {"system": "hiring-screener", "site": "changwon", "line": "press-2",
                                               "deployed_at": day}}, "deployed_at"),
        ("post", "/api/v1/evidence/links", {"json": {"url": "https://example.org/r", "title": "report",
                                                     "system": "hiring-screener", "evidence_type": "link",
                                                     "valid_until": day}}, "valid_until"),
        ("post", "/api/v1/evidence", {"files": {"file": ("a.txt", b"hello")},
                                      "data": {"system": "hiring-screener", "evidence_type": "document",
                                               "effective_from": day}}, "effective_from"),
        ("post", "/api/v1/incidents", {"json": {"title": "x", "system": "hiring-screener",
                                                "aware_at": f"{day}T00:00:00Z"}}, "aware_at"),
    ]


@pytest.mark.parametrize("day", ABSURD)
def test_out_of_range_dates_are_a_422_naming_the_field(client: TestClient, hc: Haechi, day: str) -> None:
    before = len(hc.compliance.evidence.list(hc.local_actor("acme")))
    for method, url, kwargs, field in _requests(day):
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 422, (url, day, response.status_code, response.text[:300])
        error = response.json()["error"]
        named = " ".join([error["message"], *(e["location"] for e in error["errors"])])
        assert field in named, (url, day, error)
    assert len(hc.compliance.evidence.list(hc.local_actor("acme"))) == before


def test_dates_inside_the_range_still_work(client: TestClient) -> None:
    assert client.get("/api/v1/esg/energy", params={"from": "1900-01-01", "to": "2199-12-31"}).status_code == 200
    made = client.post("/api/v1/evidence/links", json={"url": "https://example.org/r", "title": "report",
                                                       "system": "hiring-screener", "evidence_type": "link",
                                                       "valid_until": "2199-12-31"})
    assert made.status_code == 201, made.text


def test_library_and_file_checks() -> None:
    assert check_date(dt.date(2026, 5, 1), "day") == dt.date(2026, 5, 1)
    with pytest.raises(ValidationFailed) as err:
        check_date(dt.date(9999, 12, 31), "valid_until")
    assert err.value.issues[0].location == "valid_until" and "2199-12-31" in err.value.issues[0].fix
    with pytest.raises(ValueError, match="outside the accepted dates"):
        parse_instant("9999-12-31", end=True)
    assert parse_instant("2026-01-31", end=True) == dt.datetime(2026, 2, 1, tzinfo=dt.UTC)


def test_report_period_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme", "--name", "Acme").code == 0
    late = cli("report", "esg", "--from", "9999-12-31", "--to", "9999-12-31", "--format", "json")
    assert late.code == 2 and "to: 9999-12-31" in late.err and "2199-12-31" in late.err
    early = cli("report", "esg", "--from", "0001-01-01", "--format", "json")
    assert early.code == 2 and "from: 0001-01-01" in early.err
    assert cli("report", "esg", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "json").code == 0
