"""The transparency commands end to end through ``haechi`` (exit codes, files, JSON)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from . import cards
from .conftest import make_png


def _workspace(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "hanbit", "--name", "Hanbit Precision Co., Ltd.", "--name-ko", "한빛정밀").code == 0
    for card in (cards.chatbot(), cards.image_gen()):
        path = tmp_path / f"{card['id']}.yaml"
        path.write_text(yaml.safe_dump(card, allow_unicode=True))
        assert cli("systems", "add", str(path)).code == 0


def test_notice_label_and_verify_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _workspace(cli, tmp_path)
    result = cli("notice", "support-chatbot", "--lang", "ko", "--channel", "terms")
    assert result.code == 0 and result.out.startswith("제○조 (인공지능 이용 고지)")
    data = cli("notice", "support-chatbot", "--lang", "en", "--format", "json").json()
    assert data["version"] == 1 and data["notice"]["system"] == "support-chatbot"
    pdf = tmp_path / "place.pdf"
    assert cli("notice", "support-chatbot", "--channel", "place", "--format", "pdf", "--out", str(pdf)).code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    src = make_png(tmp_path / "gen.png")
    out = tmp_path / "labelled.png"
    labelled = cli("label", "image", str(src), str(out), "--system", "marketing-image-gen", "--format", "json")
    assert labelled.code == 0 and labelled.json()["applied"] is True
    report = cli("label", "verify", str(out), "--format", "json").json()
    assert report["verdict"] == "valid" and report["system"]["system_id"] == "marketing-image-gen"
    assert report["reencode"]["survived"] is False
    table = cli("label", "verify", str(out))
    assert table.code == 0 and "signature valid" in table.out
    text_in, text_out = tmp_path / "answer.txt", tmp_path / "answer.json"
    text_in.write_text("배송은 내일 도착합니다.", encoding="utf-8")
    assert cli("label", "text", str(text_in), str(text_out), "--system", "support-chatbot", "--as", "json").code == 0
    body = json.loads(text_out.read_text(encoding="utf-8"))
    assert body["content"] == "배송은 내일 도착합니다." and body["ai_disclosure"]["system"] == "support-chatbot"


def test_user_errors_exit_2_without_traceback(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _workspace(cli, tmp_path)
    src = make_png(tmp_path / "gen.png")
    same = cli("label", "image", str(src), str(src), "--system", "marketing-image-gen")
    assert same.code == 2 and "never modifies an input in place" in same.err and "Traceback" not in same.err
    wrong = cli("label", "video", str(src), str(tmp_path / "o.mp4"), "--system", "marketing-image-gen")
    assert wrong.code == 2 and "haechi label image" in wrong.err
    missing = cli("notice", "no-such-system")
    assert missing.code == 2 and "not found" in missing.err
    pdf = cli("notice", "support-chatbot", "--format", "pdf")
    assert pdf.code == 2 and "--out" in pdf.err


def test_receipt_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "hanbit").code == 0
    path = tmp_path / "hiring.yaml"
    path.write_text(yaml.safe_dump(cards.hiring(), allow_unicode=True))
    assert cli("systems", "add", str(path)).code == 0
    event = tmp_path / "event.yaml"
    event.write_text("decision_id: A-7\nresult: not shortlisted\nresult_ko: 면접 대상 아님\n"
                     "features: {skills_match: 0.3}\ncontributions: {skills_match: -0.4}\n", encoding="utf-8")
    created = cli("receipt", "create", "hiring-screener", str(event), "--format", "json")
    assert created.code == 0
    token = created.json()["token"]
    shown = cli("receipt", "show", token, "--lang", "ko")
    assert shown.code == 0 and "면접 대상 아님" in shown.out
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just a list\n")
    failed = cli("receipt", "create", "hiring-screener", str(bad))
    assert failed.code == 2 and "mapping" in failed.err
    assert cli("receipt", "requests", "--format", "json").json() == []


def test_label_settings_command(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _workspace(cli, tmp_path)
    changed = cli("label", "settings", "support-chatbot", "--set", "mode=machine_only", "--set", "artistic_work=true",
                  "--format", "json")
    assert changed.code == 0 and changed.json()["mode"] == "machine_only" and changed.json()["artistic_work"] is True
    wrong = cli("label", "settings", "support-chatbot", "--set", "mode=loud")
    assert wrong.code == 2 and "mode" in wrong.err
    for broken in ("mode=[", "mode=.nan"):  # unreadable or non-finite: a user error, not an internal one
        refused = cli("label", "settings", "support-chatbot", "--set", broken)
        assert refused.code == 2 and "--set mode" in refused.err and "Traceback" not in refused.err


def test_label_image_and_verify_in_a_fresh_process(tmp_path: Path) -> None:
    """The console script as a user runs it: no module imported beforehand by other tests."""
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home")}
    env.pop("HAECHI_DATABASE_URL", None)

    def haechi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "haechi", *args], env=env, capture_output=True, text=True,
                              timeout=180, check=False)

    assert haechi("init", "--org", "hanbit", "--name", "Hanbit").returncode == 0
    card = tmp_path / "image-gen.yaml"
    card.write_text(yaml.safe_dump(cards.image_gen(), allow_unicode=True))
    assert haechi("systems", "add", str(card)).returncode == 0
    src, out = make_png(tmp_path / "gen.png"), tmp_path / "labelled.png"
    labelled = haechi("label", "image", str(src), str(out), "--system", "marketing-image-gen", "--format", "json")
    assert labelled.returncode == 0, labelled.stderr
    assert json.loads(labelled.stdout)["applied"] is True
    verified = haechi("label", "verify", str(out), "--format", "json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["verdict"] == "valid"


def test_label_verify_names_the_organisation_that_signed(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _workspace(cli, tmp_path)
    assert cli("orgs", "create", "globex", "--name", "Globex Media").code == 0
    card = tmp_path / "globex-gen.yaml"
    card.write_text(yaml.safe_dump(cards.image_gen(), allow_unicode=True))
    assert cli("systems", "add", str(card), "--org", "globex").code == 0
    src = make_png(tmp_path / "gen.png")
    for org in ("hanbit", "globex"):
        done = cli("label", "image", str(src), str(tmp_path / f"{org}.png"), "--system", "marketing-image-gen",
                   "--org", org, "--format", "json")
        assert done.code == 0, done
    hanbit = cli("label", "verify", str(tmp_path / "hanbit.png"), "--org", "hanbit", "--format", "json").json()
    globex = cli("label", "verify", str(tmp_path / "globex.png"), "--org", "globex", "--format", "json").json()
    assert hanbit["signer"]["issuer"] == "Hanbit Precision Co., Ltd." and hanbit["trusted"]
    assert globex["signer"]["common_name"] == "Globex Media content signer (test)" and globex["trusted"]
    table = cli("label", "verify", str(tmp_path / "globex.png"), "--org", "globex")
    assert "Globex Media content signer" in table.out


def test_korea_only_high_impact_system_requires_explanation_receipts(tmp_path: Path) -> None:
    """A high-impact system offered only in Korea: the explanation duty of KR Art. 34(1)(2)
    makes its receipts required (no EU Art. 86 to fall back on), run as a user runs it."""
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home")}
    env.pop("HAECHI_DATABASE_URL", None)

    def haechi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "haechi", *args], env=env, capture_output=True, text=True,
                              timeout=180, check=False)

    assert haechi("init", "--org", "hanbit", "--name", "Hanbit").returncode == 0
    card = tmp_path / "hiring.yaml"
    card.write_text(yaml.safe_dump(cards.hiring(markets=["KR"]), allow_unicode=True))
    assert haechi("systems", "add", str(card)).returncode == 0
    event = tmp_path / "event.yaml"
    event.write_text("decision_id: K-1\nresult: not shortlisted\nresult_ko: 면접 대상 아님\n"
                     "features: {skills_match: 0.3}\ncontributions: {skills_match: -0.4}\n", encoding="utf-8")
    created = haechi("receipt", "create", "hiring-screener", str(event), "--format", "json")
    assert created.returncode == 0, created.stderr
    receipt = json.loads(created.stdout)
    content = receipt.get("content", receipt)
    assert content["required"] is True, receipt
    assert any("34(1)(2)" in c for c in content["legal_basis"]["en"])
    assert all("50(" not in c and "86" not in c for c in content["legal_basis"]["en"])
    shown = haechi("receipt", "show", receipt["token"], "--lang", "ko")
    assert shown.returncode == 0 and "제34조제1항제2호" in shown.stdout, shown.stdout
