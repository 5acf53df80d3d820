"""Evidence uploads with odd names: the name is only a display name, cut to its last part
without control characters and kept short; never a path, never a 500 (SQLite and
PostgreSQL, whose column would refuse an over-long name)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from haechi.demo.company import demo_card

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ODD = {".": "upload", "..": "upload", "a" * 300 + ".pdf": None, "dir/x.pdf": "x.pdf", "dir\\x.pdf": "x.pdf",
       "..\\..\\etc\\passwd.pdf": "passwd.pdf", "../../x.pdf": "x.pdf"}


@pytest.fixture
def client(db_hc: Haechi) -> Iterator[TestClient]:
    db_hc.accounts.create_org("acme", "Acme")
    admin = db_hc.local_actor("acme")
    db_hc.accounts.create_user(admin, "ed@acme.example", "editor", None, "Ed")
    db_hc.systems.add(admin, demo_card("hiring-screener"))
    with TestClient(create_app(hc=db_hc)) as api:
        api.headers["Authorization"] = f"Bearer {db_hc.accounts.create_token(admin, 'ed@acme.example')}"
        yield api


def test_odd_upload_names_are_display_names(client: TestClient) -> None:
    for number, (name, expected) in enumerate(ODD.items()):
        content = PDF + str(number).encode()
        made = client.post("/api/v1/evidence", files={"file": (name, content, "application/pdf")},
                           data={"system": "hiring-screener", "evidence_type": "document",
                                 "media_type": "application/pdf"})  # the name may carry no type
        assert made.status_code == 201, (name, made.text)
        body = made.json()
        stored = body["filename"]
        assert not re.search(r"[/\\\x00-\x1f]", stored) and 0 < len(stored) <= 120
        assert stored == (expected or stored) and body["title"] == stored
        if expected is None:
            assert stored.endswith(".pdf") and stored.startswith("aaa")
        download = client.get(f"/api/v1/evidence/{body['ref']}/file")
        assert download.status_code == 200 and download.content == content
        revised = client.post(f"/api/v1/evidence/{body['ref']}/revisions",
                              files={"file": (name, content + b" v2", "application/pdf")},
                              data={"media_type": "application/pdf"})
        assert revised.status_code == 201, revised.text
        assert not re.search(r"[/\\]", revised.json()["filename"])


def test_a_name_and_upload_without_any_type_is_a_clear_422(client: TestClient) -> None:
    refused = client.post("/api/v1/evidence", files={"file": ("..", PDF)},
                          data={"system": "hiring-screener", "evidence_type": "document"})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert "unknown file type" in error["message"] and error["message_ko"]
