"""The CLI as a user runs it: init, users, tokens, the systems round trip, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CARD = """\
id: hiring-screener
name: Applicant screening assistant
domains: [employment]
markets: [KR, EU]
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace(request: pytest.FixtureRequest, cli, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    if request.param == "postgresql":
        from haechi import Haechi
        from haechi.settings import Settings
        from tests.conftest import _empty_tables

        url = request.getfixturevalue("_pg_migrated")
        monkeypatch.setenv("HAECHI_DATABASE_URL", url)
        hc = Haechi(Settings())
        _empty_tables(hc)
        hc.close()
    result = cli("init", "--org", "acme", "--name", "Acme Corp")
    assert result.code == 0, result
    return cli


def _write(tmp_path: Path, text: str, name: str = "card.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--version")
    assert result.code == 0 and result.out.startswith("haechi ")


def test_help_lists_commands_in_a_fixed_order(cli) -> None:  # type: ignore[no-untyped-def]
    """Running one command first imports only its module; the full listing must not depend
    on which command a process ran before (the CLI reference is generated from it)."""
    import typer

    from haechi.capability import capabilities
    from haechi.cli.main import build_app

    assert cli("esg", "--help").code == 0  # registers the esg module ahead of the others
    command = typer.main.get_command(build_app())
    listed = command.list_commands(typer.Context(command))  # type: ignore[attr-defined]
    app = build_app()
    groups = {info.name for info in app.registered_groups}
    canonical = [name for capability in capabilities() for declared in capability.commands
                 for name in declared.names]
    # Typer lists plain commands first, then groups; each part in the canonical order.
    assert listed == [n for n in canonical if n not in groups] + [n for n in canonical if n in groups]


def test_text_in_brackets_is_printed_not_taken_for_markup(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--org", "acme", "--name", "Acme Corp").code == 0
    card = CARD.replace("Applicant screening assistant", "Screener [beta] [bold]")
    assert cli("systems", "add", _write(tmp_path, card)).code == 0
    shown = cli("systems", "show", "hiring-screener")
    assert shown.out.splitlines()[0].startswith("Screener [beta] [bold] (hiring-screener)")


def test_systems_round_trip(workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = workspace
    added = cli("systems", "add", _write(tmp_path, CARD), "--format", "json")
    assert added.code == 0, added
    assert added.json()["revision"] == 1
    changed = CARD.replace("[KR, EU]", "[KR]")
    updated = cli("systems", "update", _write(tmp_path, changed, "v2.yaml"), "--note", "EU launch cancelled",
                  "--format", "json")
    assert updated.json()["revision"] == 2
    listing = cli("systems", "list", "--format", "json").json()
    assert [s["id"] for s in listing] == ["hiring-screener"]
    shown = cli("systems", "show", "hiring-screener", "--format", "json").json()
    assert shown["card"]["markets"] == ["KR"]
    history = cli("systems", "history", "hiring-screener", "--format", "json").json()
    assert [h["action"] for h in history] == ["create", "update"]
    assert history[1]["changes"] == [{"field": "markets", "old": ["KR", "EU"], "new": ["KR"]}]
    exported = cli("systems", "export", "hiring-screener", "--format", "json")
    assert json.loads(exported.out)["id"] == "hiring-screener"
    yaml_export = cli("systems", "export", "hiring-screener")
    assert "markets:\n- KR" in yaml_export.out
    removed = cli("systems", "remove", "hiring-screener", "--format", "json")
    assert removed.json()["deleted"] is True
    assert cli("systems", "list", "--format", "json").json() == []
    assert len(cli("systems", "history", "hiring-screener", "--format", "json").json()) == 3
    table = cli("systems", "list", "--deleted")
    assert table.code == 0 and "hiring-screener" in table.out


def test_exported_card_can_be_added_back(workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = workspace
    cli("systems", "add", _write(tmp_path, CARD))
    out = tmp_path / "exported.yaml"
    assert cli("systems", "export", "hiring-screener", "-o", str(out)).code == 0
    cli("systems", "remove", "hiring-screener")
    again = cli("systems", "add", str(out), "--format", "json")
    assert again.code == 0 and again.json()["card"]["domains"] == ["employment"]


def test_invalid_card_exits_2_naming_file_line_field_fix(workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "id: hiring-screener\nname: x\ndomains: [employmnt]\nsignificant_impact: maybe\n")
    result = workspace("systems", "add", path)
    assert result.code == 2
    assert f"{path}:3 domains[0]" in result.err and "did you mean 'employment'" in result.err
    assert f"{path}:4 significant_impact" in result.err and "true or false" in result.err
    assert "Traceback" not in result.err + result.out


def test_broken_yaml_exits_2(workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = workspace("systems", "add", _write(tmp_path, "id: x\nname: [oops\n"))
    assert result.code == 2 and "YAML" in result.err and "Traceback" not in result.err


def test_missing_file_and_unknown_system_exit_2(workspace) -> None:  # type: ignore[no-untyped-def]
    assert workspace("systems", "add", "/no/such/card.yaml").code == 2
    missing = workspace("systems", "show", "nope")
    assert missing.code == 2 and "not found" in missing.err


def test_users_and_tokens(workspace) -> None:  # type: ignore[no-untyped-def]
    cli = workspace
    created = cli("users", "create", "ana@acme.example", "--org", "acme", "--role", "editor",
                  "--password-stdin", "--format", "json", stdin="correct horse battery\n")
    assert created.code == 0, created
    assert created.json()["role"] == "editor"
    token = cli("tokens", "create", "ana@acme.example", "--format", "json").json()["token"]
    assert token.startswith("hct_")
    from haechi import Haechi
    from haechi.settings import Settings

    hc = Haechi(Settings())
    try:
        assert hc.accounts.actor_for_token(token).role == "editor"
        assert hc.accounts.authenticate("ana@acme.example", "correct horse battery").org_slug == "acme"
    finally:
        hc.close()
    bad_role = cli("users", "create", "bo@acme.example", "--org", "acme", "--role", "owner")
    assert bad_role.code == 2 and "unknown role" in bad_role.err
    duplicate = cli("users", "create", "ana@acme.example", "--org", "acme", "--role", "viewer")
    assert duplicate.code == 2 and "already exists" in duplicate.err


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("systems", "list", "--format", "xml").code == 2
    assert cli("no-such-command").code == 2


def test_settings_come_from_haechi_variables_and_arguments_win(monkeypatch: pytest.MonkeyPatch) -> None:
    from haechi.settings import Settings

    monkeypatch.setenv("HAECHI_PORT", "9001")
    monkeypatch.setenv("haechi_schedule_monitors", "false")
    monkeypatch.setenv("HAECHI_NOT_A_SETTING", "x")
    settings = Settings(lang="ko")
    assert (settings.port, settings.schedule_monitors, settings.lang) == (9001, False, "ko")
    assert Settings(port=7).port == 7


def test_a_bad_setting_names_the_variable_and_exits_2(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HAECHI_PORT", "eighty")
    result = cli("systems", "list")
    assert result.code == 2
    assert "HAECHI_PORT" in result.err and "'eighty'" in result.err and "Traceback" not in result.err


def test_the_console_script_pauses_the_collector_only_while_it_starts(tmp_path: Path) -> None:
    """Start-up runs without cyclic collection; once the facade is open the collector is
    back on with the start-up objects frozen, so the command (and ``serve``) collect."""
    import os
    import subprocess
    import sys

    script = """
import gc, json, sys
import haechi.cli.common as common
seen = {}
real_open = common.open_haechi
def spy(*args, **kwargs):
    seen["while_starting"] = gc.isenabled()
    hc = real_open(*args, **kwargs)
    seen["after_open"] = gc.isenabled()
    seen["frozen"] = gc.get_freeze_count()
    return hc
common.open_haechi = spy
sys.argv = ["haechi", "init", "--org", "acme", "--name", "Acme"]
from haechi.cli.entry import main
try:
    main()
finally:
    print(json.dumps(seen), file=sys.stderr)
"""
    env = {**os.environ, "HAECHI_HOME": str(tmp_path / "home")}
    env.pop("HAECHI_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", script], check=False, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stderr.strip().splitlines()[-1])
    assert seen["while_starting"] is False and seen["after_open"] is True and seen["frozen"] > 10_000
    # the real console path end to end: python -m haechi is the script without its wrapper
    listed = subprocess.run([sys.executable, "-m", "haechi", "orgs", "list", "--format", "json"], check=False,
                            env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["slug"] == "acme"


def test_running_the_cli_in_process_leaves_the_collector_alone(cli) -> None:  # type: ignore[no-untyped-def]
    """Embedders and tests call run() themselves: no pause, no freeze in their process."""
    import gc

    frozen = gc.get_freeze_count()
    assert cli("--version").code == 0
    cli("systems", "list")  # opens the facade (and fails for want of an organisation)
    assert gc.isenabled() and gc.get_freeze_count() == frozen
