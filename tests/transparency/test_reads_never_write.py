"""Reading the transparency kit and the passports changes nothing: no row, no version,
no ledger entry, no file, no key. Writes happen only on an explicit store command.

Each test fills a workspace through the write paths, takes a fingerprint of every table
and every file in the data directory, runs the reads (library, REST API, public pages)
and compares.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import select

from haechi import Haechi
from haechi.auth.roles import Actor
from haechi.domain.card import SystemCard
from haechi.store.tables import Base

from . import cards
from .conftest import make_png


def fingerprint(hc: Haechi) -> dict[str, Any]:
    """Every row of every table and every file (with its digest) under the data directory."""
    import haechi.store.all_tables  # noqa: F401  (every table on the metadata)

    with hc.db.reader() as s:
        rows = {t.name: sorted(repr(tuple(r)) for r in s.execute(select(t)).all())
                for t in Base.metadata.sorted_tables}
    files = {str(p.relative_to(hc.home)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
             for p in sorted(hc.home.rglob("*"))}
    return {"rows": rows, "files": files}


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    tables = [name for name in before["rows"] if before["rows"][name] != after["rows"].get(name)]
    files = sorted(set(before["files"].items()) ^ set(after["files"].items()))
    return tables + [name for name, _ in files]


def _workspace(hc: Haechi, actor: Actor, tmp_path: Path) -> dict[str, Any]:
    """A workspace with stored notices, a labelled image, a receipt, a posting and a passport."""
    for card in (cards.chatbot(), cards.image_gen(), cards.hiring()):
        hc.systems.add(actor, SystemCard.model_validate(card))
    hc.transparency.current_notice(actor, "support-chatbot")  # stored as version 1 ...
    hc.systems.update(actor, SystemCard.model_validate(  # ... and then out of date
        cards.chatbot(description="Answers questions about orders and returns.")))
    hc.transparency.certs.create_local(org=actor.org_slug)
    labelled = tmp_path / "labelled.png"
    hc.transparency.label_file(actor, "marketing-image-gen", "image", make_png(tmp_path / "gen.png"), labelled)
    receipt = hc.transparency.receipts.create(actor, "hiring-screener", {
        "decision_id": "d-1", "result": "rejected", "contributions": {"experience": -0.4, "skills": 0.2}})
    hc.transparency.posting.update(actor, {"published": True, "intro": {"en": "How we use AI", "ko": "AI 이용 안내"}})
    hc.passport.configure(actor, "support-chatbot", enabled=True)
    hc.passport.publish(actor, "support-chatbot")
    return {"labelled": labelled, "token": receipt["token"]}


def test_library_reads_store_nothing(hc: Haechi, org: Actor, tmp_path: Path) -> None:
    made = _workspace(hc, org, tmp_path)
    hc.accounts.create_org("globex", "Globex Corp.", "글로벡스")  # no passport, so no key
    before = fingerprint(hc)
    kit = hc.transparency
    outdated = kit.notice(org, "support-chatbot", lang="en", fmt="json")
    assert outdated.draft and outdated.content.version == 2  # the next version, shown unsaved
    kit.notice(org, "hiring-screener")
    kit.notice(org, "marketing-image-gen", channel="place", fmt="html")
    kit.duties(org, "support-chatbot")
    kit.notice_versions(org, "support-chatbot")
    kit.label_settings(org, "marketing-image-gen")
    kit.delivery_counts(org)
    kit.decisions(org)
    kit.verify(org, made["labelled"], reencode=False)
    kit.verify(None, made["labelled"], reencode=False)
    kit.posting.settings(org)
    kit.posting.public("hanbit")
    kit.receipts.get(None, made["token"])
    kit.receipts.render(None, made["token"], "html", "ko")
    kit.receipts.requests(org)
    hc.passport.public("hanbit", "support-chatbot")
    hc.passport.keys("hanbit")
    hc.passport.settings(org, "support-chatbot")
    hc.passport.history(org, "support-chatbot")
    hc.passport.enabled_systems(org)
    for refused in (lambda: hc.passport.keys("globex"), lambda: hc.passport.public("globex", "x"),
                    lambda: kit.posting.public("globex")):
        try:
            refused()
        except Exception as error:  # the one refusal; what matters is that it left nothing behind
            assert type(error).__name__ == "NotFound"
    assert changed(before, fingerprint(hc)) == []


def test_storing_a_notice_is_the_explicit_write(hc: Haechi, org: Actor, tmp_path: Path) -> None:
    hc.systems.add(org, SystemCard.model_validate(cards.chatbot()))
    assert hc.transparency.notice(org, "support-chatbot").draft is True
    assert hc.transparency.notice_versions(org, "support-chatbot") == []
    stored, draft = hc.transparency.current_notice(org, "support-chatbot")
    assert (stored.version, draft) == (1, False)
    shown = hc.transparency.notice(org, "support-chatbot")
    assert (shown.content.version, shown.draft) == (1, False)


def test_http_reads_store_nothing(api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hc = api.hc
    actor = hc.local_actor("acme")
    made = _workspace(hc, actor, tmp_path)
    before = fingerprint(hc)
    system = "/api/v1/transparency/systems/support-chatbot"
    for path in (f"{system}/notice", f"{system}/notice?format=html&lang=en", f"{system}/notice/versions",
                 f"{system}/duties", f"{system}/snapshot", f"{system}/label-settings",
                 "/api/v1/transparency/decisions", "/api/v1/transparency/deliveries/counts",
                 "/api/v1/transparency/posting", "/api/v1/transparency/public/acme",
                 f"/api/v1/transparency/receipts/{made['token']}", "/api/v1/transparency/review-requests",
                 "/public/acme/ai", "/p/acme/support-chatbot", "/p/acme/support-chatbot/qr.svg",
                 "/.well-known/haechi/acme/passport-keys.json", "/p/acme/hiring-screener",
                 "/.well-known/haechi/nobody/passport-keys.json"):
        response = api.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
    verified = api.post("/api/v1/transparency/verify", params={"reencode": "false"},
                        files={"file": ("l.png", made["labelled"].read_bytes(), "image/png")})
    assert verified.status_code == 200
    # Authentication notes when a token was last used; that is the login's record, not a read's.
    assert [name for name in changed(before, fingerprint(hc)) if name != "api_tokens"] == []


def test_the_command_line_notice_reads_unless_told_to_store(cli, cli_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import yaml
    assert cli("init", "--org", "hanbit", "--name", "Hanbit Precision Co., Ltd.").code == 0
    card = tmp_path / "chatbot.yaml"
    card.write_text(yaml.safe_dump(cards.chatbot(), allow_unicode=True))
    assert cli("systems", "add", str(card)).code == 0
    shown = cli("notice", "support-chatbot", "--format", "json").json()
    assert (shown["version"], shown["draft"]) == (1, True)
    assert cli("notice", "support-chatbot", "--format", "json").json()["draft"] is True
    stored = cli("notice", "support-chatbot", "--store", "--format", "json").json()
    assert (stored["version"], stored["draft"]) == (1, False)
    assert cli("notice", "support-chatbot", "--format", "json").json()["draft"] is False
