"""A monitor run over its own log file loads neither the law engine nor services it does not
use (that no module reaches for the facade is checked for the whole tree in
``tests/foundation/test_collaborators.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from metrics_logs import make_log, write_log, write_spec

SRC = Path(__file__).resolve().parents[2] / "src"


RUN = """
import json, sys
from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.monitor.spec import load_spec
hc = Haechi(memory=True)
hc.accounts.create_org("acme", "Acme")
actor = hc.local_actor()
hc.systems.add(actor, SystemCard.model_validate({"id": "test-system", "name": "Screener"}))
before, services = set(sys.modules), set(hc.__dict__)
hc.monitor.run(actor, load_spec(sys.argv[1]))
print(json.dumps({"modules": sorted(set(sys.modules) - before), "services": sorted(set(hc.__dict__) - services)}))
"""


def test_a_monitor_run_loads_only_monitoring(tmp_path: Path) -> None:
    log = write_log(make_log(n=300, days=8), tmp_path / "log.parquet")
    spec = write_spec(tmp_path, log)  # no thresholds: no alerts, so no reactions to them
    out = subprocess.run([sys.executable, "-c", RUN, str(spec)], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC), "HAECHI_HOME": str(tmp_path / "home")}, timeout=120)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded["services"] == ["monitor"]
    foreign = [m for m in loaded["modules"] if m.startswith("haechi.") and m.split(".")[1] in (
        "rules", "verdicts", "compliance", "transparency", "esg", "reports", "passport", "exports")]
    assert foreign == []
    assert "haechi.monitor.lake_service" not in loaded["modules"]  # the spec names its own log file
