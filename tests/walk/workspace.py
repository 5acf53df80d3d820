"""The demo workspace on one database backend, served by a real ``haechi serve`` process.

SQLite: built by ``haechi demo --no-serve`` exactly as a user builds it. PostgreSQL:
``haechi demo`` always builds a SQLite workspace, so the same :func:`build_demo` runs
in this process against a fresh schema (dropped afterwards), and the server is started
with ``HAECHI_DATABASE_URL`` pointing at it. The server's output goes to a log file so
a failure report can quote the exceptions behind a 500.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import PG_URL, unavailable

HAECHI = [sys.executable, "-m", "haechi.cli.entry"]
EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception|Failed|NotFound)\b[^\n]*", re.M)


@dataclass(frozen=True)
class Workspace:
    base: str
    backend: str
    home: Path
    log: Path

    def server_errors(self) -> list[str]:
        """The last line of every traceback the server logged (deduplicated)."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return list(dict.fromkeys(m.group(0)[:300] for m in EXCEPTION_LINE.finditer(text)))


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh schema in the test database; its URL; dropped after."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    schema = f"haechi_walk_{uuid.uuid4().hex[:8]}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        unavailable(f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def build(backend: str, home: Path, env: dict[str, str]) -> None:
    if backend == "sqlite":
        done = subprocess.run([*HAECHI, "demo", "--home", str(home), "--no-serve"], env=env, check=False,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"haechi demo failed:\n{done.stdout}\n{done.stderr}"
        return
    from haechi import Haechi
    from haechi.demo.build import build_demo
    from haechi.settings import Settings

    hc = Haechi(Settings(home=home, database_url=env["HAECHI_DATABASE_URL"]))
    try:
        build_demo(hc)
    finally:
        hc.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"haechi serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"haechi serve did not answer on {url}")


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """``haechi serve`` in its own process; yields its URL, stops it after."""
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen([*HAECHI, "serve", "--port", str(port)], env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, process, log)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


@contextmanager
def demo_workspace(backend: str, home: Path) -> Iterator[Workspace]:
    """The demo company on ``backend`` ('sqlite' or 'postgresql'), served."""
    env = {**os.environ, "HAECHI_HOME": str(home)}
    for name in ("HAECHI_DATABASE_URL", "HAECHI_ORG", "HAECHI_PORT", "HAECHI_HOST"):
        env.pop(name, None)
    with pg_schema() if backend == "postgresql" else _no_database() as url:
        if url:
            env["HAECHI_DATABASE_URL"] = url
        build(backend, home, env)
        log = home / "server.log"
        with serving(env, log) as base:
            yield Workspace(base, backend, home, log)


@contextmanager
def _no_database() -> Iterator[str]:
    yield ""
