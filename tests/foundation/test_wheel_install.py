"""The released artefacts as a firm installs them: wheel and sdist, in a clean virtual environment.

The wheel is built from a copy of the committed tree (the working copy is left untouched),
installed with ``pip install "haechi[app]"`` (and the ``haechi-sdk`` wheel of the same
release, which the server depends on) into a new venv whose only link to this
checkout is the wheel file, and then used the way the README's Production section says:
``haechi demo --no-serve``, ``haechi systems list``, ``haechi doctor`` and a served page
with its vendored assets. Dependencies come from the package index (pinned by
``requirements.lock``), with pip's cache.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
#: Data files the application reads at run time (importlib.resources / Path(__file__)), by kind.
EXPECTED_DATA = (
    "haechi/packs/kr-ai-basic-act/", "haechi/web/templates/base.html", "haechi/web/static/vendor/swagger-ui/",
    "haechi/web/locales/core.ko.yaml", "haechi/reports/fonts/NanumGothic.ttf", "haechi/reports/fonts/OFL.txt",
    "haechi/store/migrations/env.py", "haechi/store/migrations/versions/0001_initial.py", "haechi/py.typed",
)


def _tracked(root: Path) -> list[str]:
    """Files of the committed tree (or every file, outside a git checkout)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=False)
    if listed.returncode == 0 and listed.stdout:
        return [p for p in listed.stdout.decode().split("\0") if p and (root / p).is_file()]
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".venv" not in p.parts]


def _copy_tree(dest: Path) -> list[str]:
    files = [f for f in _tracked(ROOT) if f.startswith(("src/", "sdk/")) or "/" not in f]
    for name in files:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    return files


def _run(*cmd: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
         timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def build(source: Path, out: Path) -> tuple[Path, Path]:
    """(wheel, sdist) of the distribution in ``source`` with the installed build backend (no network)."""
    _run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "-w", out, "-q")
    _run(sys.executable, "-c", f"from setuptools import build_meta as b; b.build_sdist({str(out)!r})", cwd=source)
    return next(out.glob("*.whl")), next(out.glob("*.tar.gz"))


def clean_env(home: Path) -> dict[str, str]:
    """An environment without this checkout: no PYTHONPATH, no HAECHI_* settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"HAECHI_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import setuptools

    if tuple(int(x) for x in setuptools.__version__.split(".")[:2]) < (77, 0):
        unavailable(f"setuptools {setuptools.__version__} cannot build this project (77 or newer: the dev extra)")
    source = tmp_path_factory.mktemp("source")
    _copy_tree(source)
    wheel, sdist = build(source, tmp_path_factory.mktemp("dist"))
    sdk_wheel, _ = build(source / "sdk", tmp_path_factory.mktemp("dist-sdk"))
    return {"wheel": wheel, "sdist": sdist, "sdk_wheel": sdk_wheel}


def test_the_wheel_and_the_sdist_carry_every_file_the_application_reads(built: dict[str, Path]) -> None:
    in_wheel = set(zipfile.ZipFile(built["wheel"]).namelist())
    package_files = [f[len("src/"):] for f in _tracked(ROOT) if f.startswith("src/haechi/")]
    missing = [f for f in package_files if f not in in_wheel]
    assert not missing, f"files of src/haechi missing from the wheel: {missing[:20]}"
    for expected in EXPECTED_DATA:
        assert any(name.startswith(expected) for name in in_wheel), expected
    assert not [n for n in in_wheel if "__pycache__" in n or n.endswith((".pyc", ".db"))]
    metadata = next(n for n in in_wheel if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(built["wheel"]).read(metadata).decode()
    assert "Provides-Extra: app" in text and "License-Expression: Apache-2.0" in text
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in in_wheel)
    with tarfile.open(built["sdist"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for needed in ("pyproject.toml", "README.md", "LICENSE", "requirements.lock", *(f"src/{f}" for f in package_files)):
        assert needed in names, f"{needed} missing from the sdist"


@pytest.mark.slow
def test_pip_install_haechi_app_in_a_clean_venv_runs_the_demo(built: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python, haechi = target / "bin" / "python", target / "bin" / "haechi"
    env = clean_env(tmp_path / "ws")
    try:
        # both artefacts of the release: the server pins this very version of the SDK
        _run(python, "-m", "pip", "install", "-q", "-c", ROOT / "requirements.lock", built["sdk_wheel"],
             f"{built['wheel']}[app]", env=env, timeout=900)
    except AssertionError as exc:
        if "No matching distribution" in str(exc) or "NewConnectionError" in str(exc):
            unavailable(f"the package index is not reachable: {str(exc)[-300:]}")
        raise
    # nothing of this checkout is importable from the new venv
    where = _run(python, "-c", "import haechi; print(haechi.__file__)", env=env, cwd=tmp_path).stdout
    assert str(target) in where and str(ROOT) not in where
    demo = _run(haechi, "demo", "--no-serve", "--home", tmp_path / "ws", env=env, cwd=tmp_path)
    assert "7 AI systems" in demo.stdout + demo.stderr
    systems = json.loads(_run(haechi, "systems", "list", "--format", "json", env=env, cwd=tmp_path).stdout)
    assert {s["id"] for s in systems} >= {"hiring-screener", "support-chatbot", "press-defect-vision"}
    doctor = json.loads(_run(haechi, "doctor", "--format", "json", env=env, cwd=tmp_path).stdout)
    assert doctor["ok"], doctor
    assert {f["check"]: f["status"] for f in doctor["checks"]}["pdf-fonts"] == "pass"
    _serve_and_read_pages(haechi, env, tmp_path)


def _serve_and_read_pages(haechi: Path, env: dict[str, str], cwd: Path) -> None:
    port = _free_port()
    with open(cwd / "serve.log", "wb") as log:
        server = subprocess.Popen([str(haechi), "serve", "--port", str(port)], env=env, cwd=cwd, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (cwd / "serve.log").read_text()[-3000:]
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, (cwd / "serve.log").read_text()[-3000:]
                time.sleep(0.3)
        login = httpx.get(f"{base}/login", headers={"Accept-Language": "ko"}, timeout=10)
        assert login.status_code == 200 and "로그인" in login.text
        docs = httpx.get(f"{base}/docs", timeout=10)
        assert docs.status_code == 200 and "swagger-ui" in docs.text
        css = httpx.get(f"{base}/static/vendor/swagger-ui/swagger-ui.css", timeout=10)
        assert css.status_code == 200 and len(css.content) > 10_000
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)
