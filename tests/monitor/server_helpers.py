"""A real Haechi server in a child process (uvicorn) for SDK and crash tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from haechi import Haechi
from haechi.domain.card import SystemCard
from haechi.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_home(home: Path, system: str) -> str:
    """A SQLite-backed home with org ``acme``, an editor token and ``system``; returns the token."""
    hc = Haechi(Settings(home=home))
    try:
        hc.accounts.create_org("acme", "Acme")
        admin = hc.local_actor("acme")
        hc.accounts.create_user(admin, "ml@acme.example", "editor", "password-123", "ML")
        token = hc.accounts.create_token(admin, "ml@acme.example")
        hc.systems.add(admin, SystemCard.model_validate({"id": system, "name": system}))
    finally:
        hc.close()
    return token


class Server:
    """``uvicorn haechi.api.app:create_app`` on a free port, with ``HAECHI_HOME=home``."""

    def __init__(self, home: Path, port: int | None = None, workers: int = 1, max_body_mb: int = 256) -> None:
        self.home, self.port, self.workers = home, port or free_port(), workers
        self.max_body_mb = max_body_mb
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> Server:
        env = {**os.environ, "HAECHI_HOME": str(self.home), "HAECHI_MAX_BODY_MB": str(self.max_body_mb)}
        env.pop("HAECHI_DATABASE_URL", None)
        log = open(self.home / f"server-{self.port}.log", "ab")  # noqa: SIM115 (lives with the process)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "haechi.api.app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {(self.home / f'server-{self.port}.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing — a crash."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
