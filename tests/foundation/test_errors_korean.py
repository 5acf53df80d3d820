"""Expected errors read in Korean where a Korean user meets them: the terminal with
HAECHI_LANG=ko (exit code 2) and the API's ``message_ko``; the English stays as it was."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def haechi(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("HAECHI_") and k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    environ.update({"HAECHI_HOME": str(home), "PYTHONPATH": str(SRC), "COLUMNS": "200", **env})
    return subprocess.run([sys.executable, "-m", "haechi", *args], env=environ, capture_output=True,
                          text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("errors") / "home"
    assert haechi("init", "--org", "hanbit", "--name", "Hanbit", home=home).returncode == 0
    return home


RECORD = ("esg", "record", "loan-screening", "--activity", "inference", "--start", "2026-01-01",
          "--end", "2026-01-31")

CASES = [
    (("systems", "show", "no-such-system"), "system 'no-such-system' not found",
     "시스템 'no-such-system'을(를) 찾을 수 없습니다"),
    (("evidence", "show", "999999"), "evidence E-999999 not found", "증적 E-999999을(를) 찾을 수 없습니다"),
    (("label", "settings", "loan-screening", "--set", "novalue"), "--set 'novalue' is not KEY=VALUE",
     "--set 'novalue'이(가) 키=값 형식이 아닙니다"),
    (("packs", "show", "no-such-pack"), "no pack 'no-such-pack' (packs: kr-ai-basic-act",
     "'no-such-pack' 팩이 없습니다. 다음 중 하나를 쓰세요: kr-ai-basic-act"),
    (RECORD, "give --kwh, or --device and --hours for an estimate", "--kwh를 주거나"),
    ((*RECORD, "--device", "gpu", "--hours", "2"), "--device 'gpu' is not KIND:TDP_W[:COUNT[:UTILISATION]]",
     "--device 'gpu'은(는) 종류:TDP_W"),
]


@pytest.mark.parametrize(("args", "english", "korean"), CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_the_terminal_speaks_korean(home: Path, args: tuple[str, ...], english: str, korean: str) -> None:
    ko = haechi(*args, home=home, HAECHI_LANG="ko")
    en = haechi(*args, home=home, HAECHI_LANG="en")
    assert ko.returncode == 2 and en.returncode == 2
    assert "Traceback" not in ko.stderr + en.stderr
    assert korean in ko.stderr and english not in ko.stderr
    assert english in en.stderr and not HANGUL.search(en.stderr)


API_CASES = [
    ("GET", "/api/v1/systems/no-such-system", None, 404, "system 'no-such-system' not found",
     "시스템 'no-such-system'을(를) 찾을 수 없습니다"),
    ("GET", "/api/v1/evidence/E-999999", None, 404, "evidence E-999999 not found",
     "증적 E-999999을(를) 찾을 수 없습니다"),
    ("POST", "/api/v1/transparency/review-requests/999999/resolve", {"status": "closed"}, 404,
     "review request 999999 not found", "검토 요청 999999을(를) 찾을 수 없습니다"),
    ("POST", "/api/v1/transparency/deliveries", {"items": [{"system": "loan-screening"}]}, 422,
     "deliveries[0] lacks kind, channel", "deliveries[0]에 kind, channel이(가) 없습니다"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "english", "korean"), API_CASES,
                         ids=[c[1] for c in API_CASES])
def test_the_api_gives_message_ko(api, method: str, path: str, body: dict | None, status: int,  # type: ignore[no-untyped-def]
                                  english: str, korean: str) -> None:
    response = api.request(method, path, json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"] == english
    assert error["message_ko"].startswith(korean) and not re.search(r"[a-z]{4,} [a-z]{4,}", error["message_ko"])


def test_the_dashboard_shows_the_korean_error(hc) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from haechi.api import create_app
    from tests.conftest import web_login

    hc.accounts.create_org("acme", "Acme Corp", "에이크미")
    hc.accounts.create_user(hc.local_actor("acme"), "ana@acme.example", "editor", "password-123")
    with TestClient(create_app(hc=hc), follow_redirects=False) as web:
        assert web_login(web, "ana@acme.example", "password-123", "/systems").status_code == 303
        html = {"Accept": "text/html"}
        web.get("/lang/ko?next=/systems")
        korean = web.get("/systems/not-there", headers=html)
        assert korean.status_code == 404 and "시스템 &#39;not-there&#39;을(를) 찾을 수 없습니다" in korean.text
        assert "not found" not in korean.text
        web.get("/lang/en?next=/systems")
        english = web.get("/systems/not-there", headers=html)
        assert "system &#39;not-there&#39; not found" in english.text and "찾을 수 없습니다" not in english.text
