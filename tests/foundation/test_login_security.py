"""Login defences: throttling with a clear message, CSRF on login and logout, password policy."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from haechi import Haechi
from haechi.api import create_app
from haechi.auth.throttle import LOGIN_ACCOUNT, LOGIN_CLIENT, Policy
from haechi.domain.errors import TooManyRequests, Unauthorized, ValidationFailed
from tests.conftest import org_with_users, web_login

HTML = {"Accept": "text/html"}
GOOD = "hanbit-demo-2026"


@pytest.fixture
def web(hc: Haechi) -> Iterator[TestClient]:
    hc.accounts.create_org("acme", "Acme Corp")
    hc.accounts.create_user(hc.local_actor("acme"), "ana@acme.example", "editor", GOOD)
    with TestClient(create_app(hc=hc), follow_redirects=False) as client:
        yield client


def _failures(hc: Haechi, policy: Policy, subject: str, count: int) -> None:
    """Earlier failed logins, counted without spending a password hash on each."""
    for _ in range(count):
        hc.accounts.throttle.record(policy, policy.key(subject))


def _later(hc: Haechi, minutes: float) -> None:
    moved = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    hc.accounts.throttle.clock = lambda: moved


# --- throttling --------------------------------------------------------------
def test_wrong_passwords_lock_the_account_then_the_window_passes(web: TestClient, hc: Haechi) -> None:
    for _ in range(5):
        assert web_login(web, "ana@acme.example", "wrong-password-x").status_code == 401
    locked = web_login(web, "ana@acme.example", "wrong-password-x", headers=HTML)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "too many failed logins" in locked.text and "<form" in locked.text
    # Even the right password is refused while the account is locked.
    right = web_login(web, "ana@acme.example", GOOD)
    assert right.status_code == 429 and "haechi_session" not in right.headers.get("set-cookie", "")
    web.cookies.set("haechi_lang", "ko")
    korean = web_login(web, "ana@acme.example", GOOD, headers=HTML)
    assert "로그인 실패가 너무 많습니다" in korean.text
    _later(hc, 20)
    assert web_login(web, "ana@acme.example", GOOD).status_code == 303


def test_back_off_grows_with_each_further_failure(web: TestClient, hc: Haechi) -> None:
    _failures(hc, LOGIN_ACCOUNT, "ana@acme.example", 5)
    first = int(web_login(web, "ana@acme.example", GOOD).headers["Retry-After"])
    _later(hc, first / 60 + 0.01)
    assert web_login(web, "ana@acme.example", "wrong-password-x").status_code == 401
    second = int(web_login(web, "ana@acme.example", GOOD).headers["Retry-After"])
    assert second > first


def test_unknown_accounts_are_throttled_like_known_ones(web: TestClient, hc: Haechi) -> None:
    _failures(hc, LOGIN_ACCOUNT, "nobody@acme.example", 4)
    assert web_login(web, "nobody@acme.example", "wrong-password-x").status_code == 401
    assert web_login(web, "nobody@acme.example", "wrong-password-x").status_code == 429


def test_many_accounts_from_one_address_lock_the_address(web: TestClient, hc: Haechi) -> None:
    _failures(hc, LOGIN_CLIENT, "testclient", 19)
    assert web_login(web, "guess@acme.example", "wrong-password-x").status_code == 401
    assert web_login(web, "ana@acme.example", GOOD).status_code == 429
    with TestClient(create_app(hc=hc), follow_redirects=False, client=("10.0.0.7", 4000)) as other:
        assert web_login(other, "ana@acme.example", GOOD).status_code == 303


def test_lockout_holds_across_workers(tmp_path, request) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_haechi

    first = make_haechi("sqlite", tmp_path / "home", request)
    first.accounts.create_org("acme", "Acme Corp")
    first.accounts.create_user(first.local_actor("acme"), "ana@acme.example", "editor", GOOD)
    second = make_haechi("sqlite", tmp_path / "home", request)  # another process on the same database
    try:
        _failures(first, LOGIN_ACCOUNT, "ana@acme.example", 5)
        with TestClient(create_app(hc=second), follow_redirects=False) as two:
            assert web_login(two, "ana@acme.example", GOOD).status_code == 429
    finally:
        first.close()
        second.close()


def test_successful_login_forgives_earlier_failures(web: TestClient, hc: Haechi) -> None:
    _failures(hc, LOGIN_ACCOUNT, "ana@acme.example", 4)
    assert web_login(web, "ana@acme.example", GOOD).status_code == 303
    web.cookies.clear()
    _failures(hc, LOGIN_ACCOUNT, "ana@acme.example", 3)
    assert web_login(web, "ana@acme.example", "wrong-password-x").status_code == 401


# --- CSRF on login and logout ---------------------------------------------------
def test_login_without_the_form_token_is_refused(web: TestClient) -> None:
    forged = web.post("/login", data={"email": "ana@acme.example", "password": GOOD, "next": "/"}, headers=HTML)
    assert forged.status_code == 403 and "haechi_session" not in forged.headers.get("set-cookie", "")
    assert "expired or came from another site" in forged.text
    web.get("/login")
    wrong = web.post("/login", data={"email": "ana@acme.example", "password": GOOD, "csrf_token": "x" * 32})
    assert wrong.status_code == 403


def test_logout_is_a_post_with_the_session_token(web: TestClient) -> None:
    assert web_login(web, "ana@acme.example", GOOD).status_code == 303
    page = web.get("/systems", headers=HTML)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert web.get("/logout").status_code == 405
    forged = web.post("/logout", headers=HTML)
    assert forged.status_code == 403
    assert web.get("/systems?format=json").status_code == 200  # still signed in
    assert web.post("/logout", data={"csrf_token": token}).status_code == 303
    assert web.get("/systems?format=json").status_code == 401
    assert web.post("/logout").headers["location"] == "/login"  # nothing left to end: no error


# --- password policy ---------------------------------------------------------------
WEAK = ["password", " " * 8, " " * 14, "short-pw", "password1234", "aaaaaaaaaaaaaaaa",
        "ana-secret-phrase"]


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passwords_are_refused_in_the_library(hc: Haechi, weak: str) -> None:
    hc.accounts.create_org("acme", "Acme Corp")
    with pytest.raises(ValidationFailed) as refused:
        hc.accounts.create_user(hc.local_actor("acme"), "ana@acme.example", "viewer", weak)
    assert refused.value.message_ko and refused.value.issues[0].location == "password"


def test_api_refuses_weak_passwords_with_both_languages(api: TestClient) -> None:
    for weak in ("password", " " * 8):
        response = api.post("/api/v1/users", json={"email": "new@acme.example", "role": "viewer", "password": weak})
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert "password" in error["message"] and error["message_ko"]
        assert error["errors"][0]["location"] == "password" and error["errors"][0]["fix"]
    ok = api.post("/api/v1/users", json={"email": "new@acme.example", "role": "viewer", "password": GOOD})
    assert ok.status_code == 201


def test_password_change_follows_the_policy(hc: Haechi) -> None:
    org_with_users(hc, "acme")
    admin = hc.local_actor("acme")
    with pytest.raises(ValidationFailed):
        hc.accounts.set_password(admin, "viewer@acme.example", "qwerty123456")
    with pytest.raises(ValidationFailed):
        hc.accounts.set_password(admin, "viewer@acme.example", "my-viewer-password")
    hc.accounts.set_password(admin, "viewer@acme.example", "plum orbit lantern")


def test_cli_refuses_weak_passwords(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme", "--name", "Acme").code == 0
    for weak in ("password\n", "        \n"):
        res = cli("users", "create", "x@acme.example", "--role", "viewer", "--password-stdin", stdin=weak)
        assert res.code == 2 and "password refused" in res.err + res.out, res
    res = cli("users", "create", "x@acme.example", "--role", "viewer", "--password-stdin", stdin=GOOD + "\n")
    assert res.code == 0, res


def test_dashboard_refuses_weak_passwords(web: TestClient, hc: Haechi) -> None:
    hc.accounts.create_user(hc.local_actor("acme"), "boss@acme.example", "admin", GOOD)
    web_login(web, "boss@acme.example", GOOD)
    page = web.get("/settings", headers=HTML)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    refused = web.post("/settings/users", data={"csrf_token": token, "email": "new@acme.example", "role": "viewer",
                                                "password": "password"}, headers=HTML)
    assert refused.status_code == 422 and "password refused" in refused.text
    assert "new@acme.example" not in [u["email"] for u in web.get("/settings?format=json").json()["users"]]


def test_lockout_counts_on_both_databases(db_hc: Haechi) -> None:
    db_hc.accounts.create_org("acme", "Acme Corp")
    db_hc.accounts.create_user(db_hc.local_actor("acme"), "ana@acme.example", "editor", GOOD)
    _failures(db_hc, LOGIN_ACCOUNT, "ana@acme.example", 4)
    with pytest.raises(Unauthorized):
        db_hc.accounts.authenticate("ANA@acme.example ", "wrong-password-x", "192.0.2.1")
    with pytest.raises(TooManyRequests) as locked:
        db_hc.accounts.authenticate("ana@acme.example", GOOD, "192.0.2.1")
    assert 0 < locked.value.retry_after <= 30 and locked.value.message_ko
    _later(db_hc, 1)
    assert db_hc.accounts.authenticate("ana@acme.example", GOOD, "192.0.2.1").label == "ana@acme.example"


def test_quiet_counters_are_forgotten(hc: Haechi) -> None:
    _failures(hc, LOGIN_CLIENT, "192.0.2.9", 3)
    _failures(hc, LOGIN_ACCOUNT, "ana@acme.example", 5)  # locked for 30 s
    _later(hc, 24 * 60 + 1)
    assert hc.accounts.throttle.purge() == 2
    assert hc.accounts.throttle.purge() == 0
