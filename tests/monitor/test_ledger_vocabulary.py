"""Every ledger entry monitoring writes names its action from the ledger vocabulary
(``LedgerAction``), never as free text that could drift from what auditors are told."""

from __future__ import annotations

import ast
from pathlib import Path

from haechi.monitor import service

MONITOR = Path(__file__).resolve().parents[2] / "src" / "haechi" / "monitor"


def test_monitor_ledger_appends_use_the_action_vocabulary() -> None:
    literal = []
    for path in sorted(MONITOR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "append" \
                    and len(node.args) >= 4 and isinstance(node.args[3], ast.Constant | ast.JoinedStr):
                literal.append(f"{path.name}:{node.lineno}")
    assert literal == []


def test_every_alert_status_has_its_ledger_action() -> None:
    assert set(service.ALERT_ACTIONS) == set(service.ALERT_STATUSES)
    assert all(action.value == f"alert.{status}" for status, action in service.ALERT_ACTIONS.items())
