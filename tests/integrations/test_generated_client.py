"""A client generated from ``/openapi.json`` by a standard generator works against a running server.

openapi-python-client pins ``typer<0.28`` while Haechi's CLI uses a newer typer, so it
cannot share the dev environment: the test installs the pinned generator into a virtual
environment of its own (kept between runs in ``.cache/``), generates the client package
into a temporary folder, imports it in this interpreter (it needs httpx and attrs, both
here) and lists systems with a bearer token against ``haechi serve`` in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.settings import Settings
from tests.conftest import org_with_users, unavailable
from tests.integrations.test_otel import _environ, _free_port, _wait

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
GENERATOR = "openapi-python-client==0.29.1"


def _generator() -> Path:
    folder = ROOT / ".cache" / "openapi-python-client-0.29.1"
    exe = folder / "bin" / "openapi-python-client"
    if not exe.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(folder)
        done = subprocess.run([str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet",
                               "--disable-pip-version-check", GENERATOR], capture_output=True, text=True,
                              timeout=600, check=False)
        if done.returncode != 0:
            unavailable(f"cannot install {GENERATOR}: {done.stderr[-500:]}")
    return exe


def test_generated_client_lists_systems(tmp_path: Path) -> None:
    home = tmp_path / "home"
    hc = Haechi(Settings(home=home))
    try:
        tokens = org_with_users(hc, "acme")
        hc.systems.add(hc.local_actor("acme"), SystemCard.model_validate({"id": "screener", "name": "Screener"}))
        spec = tmp_path / "openapi.json"
        from haechi.api import create_app

        spec.write_text(json.dumps(create_app(hc=hc).openapi()))
    finally:
        hc.close()
    generated = subprocess.run([str(_generator()), "generate", "--path", str(spec), "--output-path",
                                str(tmp_path / "client")], capture_output=True, text=True, timeout=300,
                               check=False, env={**os.environ, "PATH": os.environ.get("PATH", "")})
    assert generated.returncode == 0, generated.stdout[-2000:] + generated.stderr[-2000:]
    port = _free_port()
    with (tmp_path / "server.log").open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "haechi", "serve", "--port", str(port)],
                                  env=_environ(HAECHI_HOME=str(home)), stdout=log, stderr=log)
        try:
            _wait(server, f"http://127.0.0.1:{port}", tmp_path / "server.log")
            script = (
                "from haechi_api_client import AuthenticatedClient\n"
                "from haechi_api_client.api.systems import systems_list_systems\n"
                f"client = AuthenticatedClient(base_url='http://127.0.0.1:{port}', token='{tokens['viewer']}')\n"
                "page = systems_list_systems.sync(client=client)\n"
                "print(page.total, [item.card.additional_properties['id'] for item in page.items])\n"
                "anonymous = AuthenticatedClient(base_url='http://127.0.0.1:{port}', token='hct_wrong')\n"
                "print(systems_list_systems.sync_detailed(client=anonymous).status_code)\n"
            ).replace("{port}", str(port))
            run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                                 check=False, env=_environ(PYTHONPATH=str(tmp_path / "client")))
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split("\n")[:2] == ["1 ['screener']", "401"], run.stdout
