"""The documentation site: references generated from the code cannot drift; the site builds offline."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
FIX = "regenerate it: python scripts/docs.py cli api ledger"


def _docs_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("haechi_docs", ROOT / "scripts" / "docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_matches_help() -> None:
    generated = _docs_module().cli_reference().rstrip("\n") + "\n"
    committed = (ROOT / "docs/reference/cli.md").read_text(encoding="utf-8")
    assert generated == committed, f"docs/reference/cli.md is out of date; {FIX}"
    for command in ("haechi dossier", "haechi report portfolio", "haechi export cyclonedx", "haechi import xlsx",
                    "haechi passport verify"):
        assert f"## `{command}`" in committed


def test_api_reference_matches_openapi() -> None:
    docs = _docs_module()
    generated = docs.api_reference(docs.openapi()).rstrip("\n") + "\n"
    committed = (ROOT / "docs/reference/api.md").read_text(encoding="utf-8")
    assert generated == committed, f"docs/reference/api.md is out of date; {FIX}"
    assert "`/p/{org}/{system}.json` | The signed public passport (no login) **(public)**" in committed


def test_ledger_actions_reference_matches_the_vocabulary() -> None:
    from haechi.ledger import LedgerAction

    generated = _docs_module().ledger_actions_reference().rstrip("\n") + "\n"
    committed = (ROOT / "docs/reference/ledger-actions.md").read_text(encoding="utf-8")
    assert generated == committed, f"docs/reference/ledger-actions.md is out of date; {FIX}"
    assert all(f"| `{member.value}` |" in committed for member in LedgerAction)


def test_site_builds_offline(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                   cwd=ROOT, check=True)
    pages = list((tmp_path / "site").rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"(src|href)=\"https?://(cdn|cdnjs|fonts|unpkg)", text), page
    guide = (tmp_path / "site/guide/dashboard/index.html").read_text(encoding="utf-8")
    for image in re.findall(r'src="([^"]+\.png)"', guide):
        assert (tmp_path / "site/guide/dashboard" / image).resolve().exists(), image
