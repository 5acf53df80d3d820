"""How the compliance service is put together: named collaborators, no facade inside.

Each compliance service is handed what it uses (database, clock, control library, the
other services it calls) by the composition root, so creating compliance never reaches
for capabilities it does not use, and the periodic upkeep lives on the service.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import haechi.compliance.service
from haechi import Haechi

PACKAGE = Path(haechi.compliance.service.__file__).parent


#: The modules that may hold the whole compliance service: the service itself, the event
#: reactions (handed the service by the event bus) and the upkeep of the service.
WHOLE_SERVICE = {"service.py", "hooks.py", "scheduler.py"}


def test_no_compliance_module_reaches_for_the_facade_or_the_parent_service() -> None:
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            facade = re.search(r"haechi\.core\b|\bhc\.|\bgetattr\(hc\b|\bsetattr\(hc\b", line)
            parent = path.name not in WHOLE_SERVICE and "ComplianceService" in line
            if (facade or parent) and "``" not in line:  # a docstring may name them
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_creating_compliance_loads_neither_the_verdicts_nor_the_ledger_service() -> None:
    """Every monitor run that raises an alert creates compliance: it must not import the law
    engine (the verdict service) or create the ledger service it only needs for upkeep."""
    script = (
        "import sys\n"
        "from haechi import Haechi\n"
        "hc = Haechi(memory=True)\n"
        "hc.compliance\n"
        "engine = ('haechi.verdicts.service', 'haechi.rules.api', 'haechi.rules.engine')\n"
        "print(sorted(m for m in sys.modules if m in engine))\n"
        "print(sorted(n for n in ('rules', 'ledger') if n in hc.__dict__))\n"
        "hc.close()\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split("\n")[:2] == ["[]", "[]"], out.stdout + out.stderr


def test_server_hooks_start_and_stop_the_upkeep_kept_on_the_service() -> None:
    hc = Haechi(memory=True)
    try:
        hc.hooks._before_read = None  # only compliance's reactions are in the lists
        compliance = hc.compliance
        assert compliance.upkeep is None
        for start in hc.hooks.server_start:
            start(hc)
        upkeep = compliance.upkeep
        assert upkeep is not None and upkeep._thread.is_alive()
        for start in hc.hooks.server_start:  # a second start keeps the running thread
            start(hc)
        assert compliance.upkeep is upkeep
        for stop in hc.hooks.server_stop:
            stop(hc)
        assert compliance.upkeep is None and not upkeep._thread.is_alive()
        assert "_compliance_upkeep" not in vars(hc)
    finally:
        hc.close()


def test_compliance_ledger_entries_name_their_action_from_the_vocabulary() -> None:
    """Every append names a ``LedgerAction`` member, so an auditor's reference lists them all."""
    bare = re.compile(r"""append\(s, [^,]+, [^,]+, ["']|ledger\.add\(["']|entry = \(["']|_finish\(.*, ["'][a-z]+\.""")
    found = [f"{path.name}:{number}: {line.strip()}"
             for path in sorted(PACKAGE.glob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert not found, "\n".join(found)
