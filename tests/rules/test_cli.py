"""``haechi classify | compare | crosswalk | packs`` as a user runs them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from haechi.domain.yamlio import dumps_yaml
from haechi.rules import classify

from .cards import card
from .test_loader import POLICY
from .test_spec_json import HIRING


def _write(tmp_path: Path, data: dict | str, name: str = "card.yaml") -> str:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else dumps_yaml(data), encoding="utf-8")
    return str(path)


def test_classify_a_card_file_without_a_workspace(cli, cli_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, HIRING)
    res = cli("classify", path, "--at", "2026-11-26", "--format", "json")
    assert res.code == 0, res
    expected = classify(HIRING, as_of=dt.date(2026, 11, 26)).to_json()
    assert res.json() == json.loads(json.dumps(expected))
    assert not cli_home.exists(), "a card file must be classified without creating a workspace"
    table = cli("classify", path, "--at", "2026-11-26")
    assert table.code == 0 and "kr-ai-basic-act@2" in table.out and "34(1)(1)" in table.out


def test_classify_options(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, card())
    only_eu = cli("classify", path, "--pack", "eu-ai-act@2", "--all", "--format", "json").json()
    assert [(r["pack"], r["pack_version"]) for r in only_eu["results"]] == [("eu-ai-act", 2)]
    assert "not_applicable" in {o["status"] for o in only_eu["results"][0]["obligations"]}
    two = cli("classify", path, "-p", "nist-ai-rmf", "-p", "iso-42001", "--format", "json").json()
    assert [r["pack"] for r in two["results"]] == ["nist-ai-rmf", "iso-42001"]


def test_bad_input_exits_2_with_line_and_fix(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = _write(tmp_path, "id: bad-card\nname: Bad\ndomains: [employmnt]\nsignificant_impact: maybe\n", "bad.yaml")
    res = cli("classify", bad)
    assert res.code == 2 and "Traceback" not in res.err
    assert "bad.yaml:3 domains[0]" in res.err and "did you mean 'employment'" in res.err
    assert "bad.yaml:4 significant_impact" in res.err
    good = _write(tmp_path, card())
    assert cli("classify", good, "--at", "26/11/2026").code == 2
    wrong_pack = cli("classify", good, "--pack", "eu-ai-akt")
    assert wrong_pack.code == 2 and "did you mean 'eu-ai-act'" in wrong_pack.err
    assert cli("classify", str(tmp_path / "missing.yaml")).code == 2


def test_packs_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    listing = cli("packs", "list", "--format", "json").json()
    assert [p["ref"] for p in listing][:4] == ["kr-ai-basic-act@1", "kr-ai-basic-act@2", "eu-ai-act@1",
                                               "eu-ai-act@2"]
    shown = cli("packs", "show", "eu-ai-act@2", "--format", "json").json()
    assert shown["status"] == "adopted" and len(shown["sha256"]) == 64
    assert cli("packs", "show", "kr-ai-basic-act").code == 0
    good = cli("packs", "validate", _write(tmp_path, POLICY, "policy.yaml"), "--format", "json")
    assert good.code == 0 and good.json()["ref"] == "acme-policy@1"
    bad = cli("packs", "validate", _write(tmp_path, POLICY.replace("topic: measurement", "topic: x"), "b.yaml"))
    assert bad.code == 2 and "b.yaml:37 obligations[0].topic: unknown topic 'x'" in bad.err
    diff = cli("packs", "diff", "eu-ai-act@1", "eu-ai-act@2", "--format", "json").json()
    assert [o["id"] for o in diff["obligations"]["added"]] == ["eu.5.1.ncii-csam-ban"]
    assert "affected_systems" not in diff  # no workspace here
    assert cli("packs", "diff", "eu-ai-act@1", "eu-ai-act@2").code == 0


def test_user_packs_dir_is_used(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    packs = tmp_path / "packs"
    packs.mkdir()
    _write(packs, POLICY, "acme.yaml")
    monkeypatch.setenv("HAECHI_PACKS_DIR", str(packs))
    path = _write(tmp_path, card(roles=["deployer"], domains=["credit"], markets=["KR"]))
    out = cli("classify", path, "--at", "2026-05-01", "--format", "json").json()
    assert [r["pack"] for r in out["results"]] == ["kr-ai-basic-act", "acme-policy"]


def test_compare_and_crosswalk(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = cli("compare", _write(tmp_path, HIRING), "--at", "2026-11-26", "--format", "json").json()
    # Offered in Korea and the EU: the Korean and EU laws only; the others are named as left out.
    assert [c["pack"] for c in data["columns"]] == ["kr-ai-basic-act", "eu-ai-act", "eu-cra"]
    assert [c["offered"] for c in data["columns"]] == [True, True, True]
    assert data["left_out"] == ["jp-ai-promotion", "cn-ai", "us-state-ai", "nist-ai-rmf", "iso-42001"]
    topics = {r["topic"]: r for r in data["rows"]}
    assert topics["risk_management"]["missing_in"] == ["eu-ai-act", "eu-cra"]
    every = cli("compare", _write(tmp_path, HIRING), "--at", "2026-11-26", "--all", "--format", "json").json()
    assert [c["pack"] for c in every["columns"]] == ["kr-ai-basic-act", "eu-ai-act", "jp-ai-promotion", "cn-ai",
                                                     "us-state-ai", "eu-cra", "nist-ai-rmf", "iso-42001"]
    assert [c["offered"] for c in every["columns"]][2:5] == [False, False, False] and every["left_out"] == []
    named = cli("compare", _write(tmp_path, HIRING), "--at", "2026-11-26", "--pack", "nist-ai-rmf",
                "--format", "json").json()
    assert [c["pack"] for c in named["columns"]] == ["kr-ai-basic-act", "eu-ai-act", "eu-cra", "nist-ai-rmf"]
    assert cli("compare", _write(tmp_path, HIRING), "--at", "2026-11-26").code == 0
    walk = cli("crosswalk", "kr:34(1)", "--format", "json").json()
    assert [e["entry"] for e in walk] == ["R09", "R10", "R11", "R12", "R13", "R14", "U02", "U08"]
    r12 = next(e for e in walk if e["entry"] == "R12")
    assert {link["pack"]: link["refs"] for link in r12["links"]}["eu-ai-act"] == ["14", "26(2)"]
    back = cli("crosswalk", "eu:50(2)", "--format", "json").json()
    assert back[0]["direction"] == "reverse" and back[0]["links"][0]["pack"] == "kr-ai-basic-act"
    assert cli("crosswalk", "kr:34(1)").code == 0
    assert cli("crosswalk", "kr:99").code == 2
    assert cli("crosswalk", "34(1)").code == 2


def test_classify_a_registered_system(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme", "--name", "Acme Corp").code == 0
    assert cli("systems", "add", _write(tmp_path, HIRING)).code == 0
    out = cli("classify", "hiring-screener", "--at", "2026-11-26", "--format", "json")
    assert out.code == 0, out
    assert out.json()["results"][0]["classes"]["high_impact"] == "yes"
    diff = cli("packs", "diff", "eu-ai-act@1", "eu-ai-act@2", "--at", "2026-11-26", "--format", "json").json()
    assert [s["system"] for s in diff["affected_systems"]] == ["hiring-screener"]
    assert cli("classify", "no-such-system").code == 2
