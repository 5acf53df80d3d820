"""The container image definition and compose file, checked as files.

No container can be built or run on this project's machines: only the Python, Debian and
npm package registries are reachable, so no base image can be pulled, and Debian's podman
(which installs, and whose ``podman info`` works) cannot start even a local root file
system: with ``--ulimit`` values under the sandbox's limits (the defaults' ``setrlimit`` is
refused) crun still rejects the sandbox's cgroup layout, and runc cannot mount cgroups into
the container. These checks read the files
instead — the compose file parses and wires its secrets, every Haechi variable it sets is
a real setting, the image is multi-stage, built from the release wheels, runs
unprivileged with a health check — and run the entrypoint script itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from haechi.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = (ROOT / "Containerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())


def _setting_of(variable: str) -> str:
    name = variable.removeprefix("HAECHI_").lower()
    return name.removesuffix("_file") if name not in Settings.model_fields else name


def test_every_haechi_variable_names_a_setting() -> None:
    named = set(re.findall(r"\bHAECHI_[A-Z_]+", CONTAINERFILE + (ROOT / "compose.yaml").read_text()))
    named -= {"HAECHI_INIT_ORG"}  # read by deploy/entrypoint.sh, not a setting
    unknown = [v for v in sorted(named) if _setting_of(v) not in Settings.model_fields]
    assert not unknown, f"not Haechi settings: {unknown}"
    assert "HAECHI_INIT_ORG" in (ROOT / "deploy" / "entrypoint.sh").read_text()


def test_compose_runs_haechi_with_postgresql_secrets_from_files_and_data_on_volumes() -> None:
    services, secrets = COMPOSE["services"], COMPOSE["secrets"]
    app, db = services["haechi"], services["db"]
    assert app["build"] == {"context": ".", "dockerfile": "Containerfile"}
    assert app["depends_on"]["db"]["condition"] == "service_healthy" and "healthcheck" in db
    environment = app["environment"]
    for variable, value in environment.items():
        if variable.endswith("_FILE"):
            secret = value.removeprefix("/run/secrets/")
            assert value.startswith("/run/secrets/") and secret in app["secrets"] and secret in secrets, variable
    assert {"HAECHI_SECRET_KEY_FILE", "HAECHI_DATABASE_URL_FILE"} <= set(environment)
    assert not {"HAECHI_SECRET_KEY", "HAECHI_DATABASE_URL"} & set(environment), "secrets belong in files"
    assert db["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/db_password"
    assert all(s["file"].startswith("./secrets/") for s in secrets.values())
    mounts = dict(v.split(":", 1) for v in app["volumes"])
    assert mounts["haechi-data"] == "/var/lib/haechi" and "haechi-data" in COMPOSE["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"]
    assert "secrets" in (ROOT / ".dockerignore").read_text().split()


def test_the_image_is_multi_stage_from_the_release_wheels_unprivileged_with_a_health_check() -> None:
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", CONTAINERFILE, re.M)
    assert len(stages) == 2 and stages[0][1] == "wheels"
    # the wheels are built exactly as the wheel test builds them: ./sdk and . without build isolation
    assert "pip wheel --no-deps --no-build-isolation -w /wheels ./sdk ." in CONTAINERFILE
    assert "-c requirements.lock" in CONTAINERFILE and "--no-index --find-links /tmp/wheels" in CONTAINERFILE
    user = re.findall(r"^USER\s+(\S+)", CONTAINERFILE, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    health = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", CONTAINERFILE, re.M | re.S)
    assert health and "/healthz" in health.group(1)
    assert 'VOLUME ["/var/lib/haechi"]' in CONTAINERFILE and "HAECHI_HOME=/var/lib/haechi" in CONTAINERFILE
    for copied in re.findall(r"^COPY (?!--from)(.+) \S+$", CONTAINERFILE, re.M):
        for path in copied.split():
            assert (ROOT / path).exists(), f"the Containerfile copies {path}, which is not in the repository"


def test_the_entrypoint_prepares_the_workspace_then_runs_the_command(tmp_path: Path) -> None:
    """deploy/entrypoint.sh as the image runs it: init, doctor, then exec the command."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "haechi").write_text(f"#!/bin/sh\nexec {sys.executable} -m haechi \"$@\"\n")
    (bin_dir / "haechi").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAECHI_")}
    env.update({"PATH": f"{bin_dir}:{env['PATH']}", "HAECHI_HOME": str(tmp_path / "data"),
                "HAECHI_INIT_ORG": "hanbit", "PYTHONPATH": os.pathsep.join(sys.path)})
    done = subprocess.run(["sh", str(ROOT / "deploy" / "entrypoint.sh"), "haechi", "orgs", "list", "--format", "json"],
                          env=env, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert '"slug": "hanbit"' in done.stdout
    assert (tmp_path / "data" / "keys" / "ledger-ed25519.pem").exists()
    assert "database" in done.stdout + done.stderr  # the doctor's report was printed
