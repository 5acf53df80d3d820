"""How the compliance service is put together: named collaborators, no facade inside.

Each compliance service is handed what it uses (database, clock, control library, the
other services it calls) by the composition root, so creating compliance never reaches
for capabilities it does not use, and its periodic upkeep is a job of the server's one scheduler.
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


def test_the_server_scheduler_runs_compliance_upkeep_at_start_then_hourly() -> None:
    import datetime as dt
    import time

    hc = Haechi(memory=True)
    try:
        scheduler = hc.scheduler.start()
        job = next(job for job in scheduler.jobs if job.name == "compliance-upkeep")
        assert job.interval == 3600 and job.first_after == 0
        deadline = time.monotonic() + 30
        # the first pass runs at once; afterwards the next one is an hour away
        while scheduler.next_runs()["compliance-upkeep"] < dt.datetime.now(dt.UTC) + dt.timedelta(minutes=50):
            assert time.monotonic() < deadline, "compliance upkeep did not run at start"
            time.sleep(0.05)
        thread = scheduler._thread
        assert hc.scheduler.start()._thread is thread  # a second start keeps the running thread
        scheduler.stop()
        assert thread is not None and not thread.is_alive() and scheduler.next_runs() == {}
    finally:
        hc.close()


def test_compliance_ledger_entries_name_their_action_from_the_vocabulary() -> None:
    """Every append names a ``LedgerAction`` member, so an auditor's reference lists them all."""
    bare = re.compile(r"""append\(s, [^,]+, [^,]+, ["']|ledger\.add\(["']|entry = \(["']|_finish\(.*, ["'][a-z]+\.""")
    found = [f"{path.name}:{number}: {line.strip()}"
             for path in sorted(PACKAGE.glob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert not found, "\n".join(found)
