#!/usr/bin/env python3
"""Set-up, demo and test runner that needs nothing but Python 3.11+.

    python3 tasks.py demo [haechi demo options]   install into .venv, build and serve the demo
    python3 tasks.py test [pytest options]        install dev dependencies, run lint, types and every test
    python3 tasks.py lint                         ruff and mypy only
    python3 tasks.py lock                         re-resolve requirements.lock (maintainers)

Installs are pinned by ``requirements.lock`` (used as pip constraints), so every
machine gets the same versions. A stamp in ``.venv`` skips reinstalling when neither
pyproject.toml nor the lock changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
#: Debian packages the full test suite needs (browser tests, Korean PDF text, media).
SYSTEM_PACKAGES = ["chromium", "fonts-noto-cjk", "fonts-nanum", "poppler-utils", "ffmpeg",
                   "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]
SYSTEM_BINARIES = {"chromium": "/usr/bin/chromium", "poppler-utils": "/usr/bin/pdftotext",
                   "ffmpeg": "/usr/bin/ffmpeg", "fonts-noto-cjk": "/usr/share/fonts/opentype/noto"}


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_venv(extras: str) -> None:
    """Create .venv and install Haechi with ``extras`` pinned by the lock file."""
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may be started by an older python3
        sys.exit(f"Haechi needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sources = (ROOT / "pyproject.toml", ROOT / "sdk" / "pyproject.toml", LOCK)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
    stamp = VENV / f".installed-{extras.replace(',', '-')}-{digest}"
    if stamp.exists():
        return
    say(f"installing haechi[{extras}] (pinned by requirements.lock)")
    # the SDK first: the server depends on this very version of it (sdk/, not the index)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", LOCK,
        "-e", "./sdk", "-e", f".[{extras}]")
    for old in VENV.glob(f".installed-{extras.replace(',', '-')}-*"):
        old.unlink()
    stamp.touch()


def missing_system_packages() -> list[str]:
    return [pkg for pkg, path in SYSTEM_BINARIES.items() if not Path(path).exists()]


def ensure_system_packages() -> None:
    """Install Debian packages for browser/PDF/media tests when we are allowed to."""
    missing = missing_system_packages()
    if not missing:
        return
    can_install = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_install:
        say(f"missing system packages {missing}: their tests will be skipped "
            "(install them with apt-get to run everything)")
        return
    say(f"installing Debian packages: {' '.join(SYSTEM_PACKAGES)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *SYSTEM_PACKAGES, env=env)


def lint() -> None:
    say("ruff")
    run(BIN / "ruff", "check", "src", "sdk", "tests", "bench", "scripts", "tasks.py")
    say("mypy")
    run(BIN / "mypy")


def cmd_demo(args: list[str]) -> None:
    ensure_venv("app")
    os.execv(str(BIN / "haechi"), [str(BIN / "haechi"), "demo", *args])


def cmd_test(args: list[str]) -> None:
    ensure_venv("all,dev")
    ensure_system_packages()
    lint()
    say("pytest (SQLite and PostgreSQL)")
    # Two workers, one per core; tests of one module stay together (shared fixtures).
    chosen = any(a.startswith(("-n", "--numprocesses", "-p")) for a in args)
    parallel = [] if chosen else ["-n", "auto", "--dist", "loadscope"]
    run(PYTHON, "-m", "pytest", *parallel, *args)


def cmd_lint(_: list[str]) -> None:
    ensure_venv("all,dev")
    lint()


def cmd_lock(_: list[str]) -> None:
    ensure_venv("all,dev")
    run(PYTHON, "-m", "pip", "install", "--quiet", "uv")
    # haechi-sdk comes from ./sdk (same release), never from the index: not pinned in the lock
    inputs = ROOT / ".lock-inputs.txt"
    inputs.write_text("-e ./sdk\n-e .[all,dev]\n")
    try:
        run(BIN / "uv", "pip", "compile", inputs, "--python-version", "3.11", "--no-header", "--quiet",
            "--no-emit-package", "haechi-sdk", "--no-emit-package", "haechi", "-o", LOCK)
    finally:
        inputs.unlink()


COMMANDS = {"demo": cmd_demo, "test": cmd_test, "lint": cmd_lint, "lock": cmd_lock}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
