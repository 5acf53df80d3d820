"""Services get their collaborators from the composition root: no module outside the shells
(CLI, API, dashboard, demo) and ``core.py`` reaches for the facade, and recording energy
loads neither the monitoring lake nor the reporting modules."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
SHELLS = {"cli", "api", "web", "demo"}
#: The adapter a host application calls with its own Haechi instance (the in-process twin
#: of ``from_server``): it is an entry point like the shells, not a service.
ENTRY_POINTS = {("transparency/middleware.py", "from_haechi")}


def _facade_uses(path: Path, name: str) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    entry = {fn for file, fn in ENTRY_POINTS if file == name}
    allowed = {id(a) for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name in entry
               for a in node.args.args}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "haechi.core":
            found.append(f"{name}:{node.lineno} imports haechi.core")
        if isinstance(node, ast.Attribute) and node.attr == "hc":
            found.append(f"{name}:{node.lineno} uses .hc")
        if isinstance(node, ast.arg) and node.arg == "hc" and id(node) not in allowed:
            found.append(f"{name}:{node.lineno} takes hc")
    return found


def test_no_module_outside_the_shells_and_the_composition_root_uses_the_facade() -> None:
    found = []
    for path in sorted((SRC / "haechi").rglob("*.py")):
        name = path.relative_to(SRC / "haechi").as_posix()
        if name.split("/")[0] in SHELLS or name in ("core.py", "__init__.py"):
            continue
        found += _facade_uses(path, name)
    assert found == []


RUN = """
import datetime as dt, json, sys
from haechi import Haechi
from haechi.domain.card import SystemCard
hc = Haechi(memory=True)
hc.accounts.create_org("acme", "Acme")
actor = hc.local_actor()
hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Screener"}))
before, services = set(sys.modules), set(hc.__dict__)
hc.esg.record_energy(actor, "test-system", activity="training", kwh=12.5, start=dt.date(2026, 3, 1),
                     end=dt.date(2026, 3, 31), country="KR")
print(json.dumps({"modules": sorted(set(sys.modules) - before), "services": sorted(set(hc.__dict__) - services)}))
"""


def test_recording_energy_loads_only_esg_and_its_evidence(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", RUN], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC), "HAECHI_HOME": str(tmp_path / "home")}, timeout=120)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded["services"] == ["esg"]  # compliance, which takes the evidence, exists since the card was added
    foreign = ("haechi.monitor.lake", "haechi.reports", "haechi.exports")
    assert [m for m in loaded["modules"] if m.startswith(foreign)] == []
