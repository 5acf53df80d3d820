"""Generate the reference pages of the documentation site and build it (offline).

    python scripts/docs.py cli      write docs/reference/cli.md from every command's --help
    python scripts/docs.py api      write docs/reference/api.md from the app's OpenAPI document
    python scripts/docs.py ledger   write docs/reference/ledger-actions.md from the ledger's action vocabulary
    python scripts/docs.py build    all three, then ``mkdocs build`` into ./site (no network)

``tests/reports/test_docs.py`` regenerates the pages in memory and fails when the
committed files differ, so the reference cannot drift from the code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DOCS = ROOT / "docs"
WIDTH = "100"


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path of the click tree, groups first."""
    out = [path]
    for name in sorted(getattr(command, "commands", {}) or {}):
        sub = command.commands[name]
        if not getattr(sub, "hidden", False):
            out += _commands(sub, (*path, name))
    return out


def cli_reference() -> str:
    """Markdown with the --help output of every command, at a fixed width and without colour."""
    os.environ.update({"COLUMNS": WIDTH, "NO_COLOR": "1", "TERM": "dumb", "_TYPER_FORCE_DISABLE_TERMINAL": "1"})
    import typer
    from typer.testing import CliRunner

    from haechi.cli.main import build_app

    app = build_app()  # every command module (the CLI loads only what a command needs)

    runner = CliRunner()
    parts = ["# CLI reference", "",
             "Generated from `haechi … --help` by `python scripts/docs.py cli`; a test keeps it in step with the code.",
             ""]
    for path in _commands(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"], terminal_width=int(WIDTH), env={"COLUMNS": WIDTH})
        title = " ".join(("haechi", *path))
        text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        parts += [f"## `{title}`", "", "```text", text, "```", ""]
    return "\n".join(parts)


def openapi() -> dict[str, Any]:
    from haechi import Haechi
    from haechi.api import create_app

    hc = Haechi(memory=True)
    try:
        return create_app(hc=hc).openapi()
    finally:
        hc.close()


def api_reference(spec: dict[str, Any]) -> str:
    """Markdown of every operation: method, path, summary, whether it is public, parameters."""
    parts = ["# REST API reference", "",
             f"{spec['info']['title']} {spec['info']['version']}. Generated from `/openapi.json` by "
             "`python scripts/docs.py api`. Every endpoint takes a bearer token (`haechi tokens create EMAIL`) "
             "unless marked public. Errors use one shape: "
             "`{\"ok\": false, \"error\": {\"status\", \"code\", \"message\", \"message_ko\", \"errors\": [...]}}`.",
             ""]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, operations in sorted(spec["paths"].items()):
        for method, op in operations.items():
            by_tag.setdefault((op.get("tags") or ["other"])[0], []).append((method.upper(), path, op))
    for tag in sorted(by_tag):
        parts += [f"## {tag}", "", "| method | path | what | parameters |", "|---|---|---|---|"]
        for method, path, op in by_tag[tag]:
            params = ", ".join(f"`{p['name']}`" for p in op.get("parameters", []) if p.get("in") == "query")
            public = " **(public)**" if op.get("x-public") else ""
            parts.append(f"| {method} | `{path}` | {op.get('summary', '')}{public} | {params or '—'} |")
        parts.append("")
    return "\n".join(parts)


def ledger_actions_reference() -> str:
    """Markdown table of every ledger action: the stored text and what it records, in English and Korean."""
    from haechi.ledger import LedgerAction

    parts = ["# Ledger actions", "",
             "Every ledger entry names what happened in its `action` field, one of the values below. "
             "The text is covered by the entry's hash, so a value never changes once written: a new kind "
             "of change gets a new value. `haechi audit export` writes them "
             "as stored.", "",
             "모든 원장 항목은 `action` 필드에 아래 값 중 하나로 무엇이 일어났는지 기록합니다. 이 값은 항목의 "
             "해시에 포함되므로 한 번 기록된 값은 바뀌지 않으며, 새로운 종류의 변경에는 새 값이 추가됩니다.", "",
             "Generated from `haechi.ledger.LedgerAction` by `python scripts/docs.py ledger`; "
             "a test keeps it in step with the code.", "",
             "| action | what it records | 기록 내용 |", "|---|---|---|"]
    parts += [f"| `{member.value}` | {member.description} | {member.description_ko} |" for member in LedgerAction]
    return "\n".join(parts)


def write(name: str, text: str) -> None:
    path = DOCS / "reference" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def main(argv: list[str]) -> None:
    what = argv[0] if argv else "build"
    if what in ("cli", "build"):
        write("cli.md", cli_reference())
    if what in ("api", "build"):
        spec = openapi()
        write("api.md", api_reference(spec))
    if what in ("ledger", "build"):
        write("ledger-actions.md", ledger_actions_reference())
    if what == "build":
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(ROOT / "site")],
                       cwd=ROOT, check=True)
        print("built site/ (open site/index.html)")


if __name__ == "__main__":
    main(sys.argv[1:])
