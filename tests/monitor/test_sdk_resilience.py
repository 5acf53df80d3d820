"""The SDK never drops a batch it could not hand to a real Haechi server.

Between the SDK and a real server sits a small relay, as a firm's proxy would: it can
answer ``200`` with a page of its own (a captive portal, a misrouted ingress), hold a
request without answering (a stalled proxy), or pass requests through. Whatever the
relay does, every event logged must end up stored on the server exactly once. A fork
taken while the SDK makes its first request must leave the child able to send.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from server_helpers import Server, prepare_home

from haechi.monitor.lake import Lake
from haechi.sdk import Monitor

SYSTEM = "cnc-spindle-pm"
SDK_SOURCE = Path(__file__).resolve().parents[2] / "sdk" / "src"


class Relay:
    """A relay in front of ``upstream``; ``mode`` is ``portal``, ``hold`` or ``forward``."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.removeprefix("http://")
        self.mode = "forward"
        self.changed = threading.Event()
        self.held = threading.Semaphore(0)
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if relay.mode == "hold":
                    relay.held.release()
                    relay.changed.wait(120)
                if relay.mode == "portal":
                    self._answer(200, "text/html", b"<html><body>Please sign in</body></html>")
                    return
                upstream = http.client.HTTPConnection(relay.upstream, timeout=60)
                try:
                    upstream.request("POST", self.path, body=body, headers=dict(self.headers))
                    answer = upstream.getresponse()
                    self._answer(answer.status, answer.getheader("Content-Type", ""), answer.read())
                finally:
                    upstream.close()

            def _answer(self, status: int, media: str, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def switch(self, mode: str) -> None:
        """Change the mode; a held request waits until the mode changes away from ``hold``."""
        self.mode = mode
        if mode == "hold":
            self.changed.clear()
        else:
            self.changed.set()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Relay]]:
    """(home, token, relay) with a real server behind the relay."""
    home = tmp_path / "home"
    token = prepare_home(home, SYSTEM)
    server = Server(home).start()
    relay = Relay(server.url)
    relay.thread.start()
    try:
        yield home, token, relay
    finally:
        relay.switch("forward")
        relay.server.shutdown()
        relay.server.server_close()
        server.stop()


def _stored_ids(home: Path) -> list[str]:
    sl = Lake(home / "lake").system("acme", SYSTEM)
    return sl.source().arrow().column("event_id").to_pylist() if sl.event_count() else []


@pytest.mark.slow
def test_a_page_instead_of_the_servers_answer_keeps_the_batch(
    served: tuple[Path, str, Relay], tmp_path: Path
) -> None:
    home, token, relay = served
    relay.switch("portal")
    monitor = Monitor(SYSTEM, url=relay.url, token=token, outbox=tmp_path / "ob", flush_interval=0.05, max_backoff=0.5)
    try:
        ids = [monitor.log(prediction=i % 2, features={"rpm": i}) for i in range(100)]
        assert monitor.flush(2) is False, "a portal page was taken for the server's receipt"
        assert monitor.stats["stored"] == 0 and monitor.pending()["outbox"] >= 1
        relay.switch("forward")
        assert monitor.flush(60) is True
    finally:
        monitor.close()
    stored = _stored_ids(home)
    assert sorted(stored) == sorted(ids), "events were lost or stored twice"


@pytest.mark.slow
def test_close_out_of_time_leaves_the_unsent_rest_in_the_outbox(
    served: tuple[Path, str, Relay], tmp_path: Path
) -> None:
    home, token, relay = served
    relay.switch("hold")
    monitor = Monitor(SYSTEM, url=relay.url, token=token, outbox=tmp_path / "ob", batch_size=50, timeout=60)
    ids = [monitor.log(prediction=i % 2, features={"rpm": i}) for i in range(120)]
    assert relay.held.acquire(timeout=60), "the first batch never reached the relay"
    monitor.close(timeout=0.5)  # the first batch is still held: it and the rest go to the outbox
    assert monitor.pending() == {"queued": 0, "outbox": 3}, monitor.pending()
    relay.switch("forward")
    with Monitor(SYSTEM, url=relay.url, token=token, outbox=tmp_path / "ob") as later:
        assert later.flush(60) is True  # the next process adopts and delivers them
        assert later.stats["delivered_from_outbox"] == 3
    stored = _stored_ids(home)
    assert sorted(stored) == sorted(ids), "events were lost or stored twice"


#: One trial in a fresh interpreter that imports only the SDK: the child is forked the
#: moment the sender thread's first request starts importing the host-name codec (or at
#: once, when the SDK has already imported it). ``-S``: no site-packages, as in a slim
#: model-serving image that has only the SDK. The child must resolve a host name; a
#: child that hangs is killed and reported.
FORK_DURING_FIRST_REQUEST = """
import os, signal, socket, sys, time
from haechi_sdk import Monitor
sys.setswitchinterval(1e-6)  # hand the GIL over often: the fork lands inside the import
monitor = Monitor("s", url="http://127.0.0.1:9", token="t", batch_size=32, outbox=sys.argv[1])
for i in range(32):
    monitor.log(prediction=1)
end = time.monotonic() + 5
while "encodings.idna" not in sys.modules and time.monotonic() < end:
    pass
pid = os.fork()
if pid == 0:
    try:
        socket.getaddrinfo("localhost", 9)
    except LookupError:
        os._exit(3)
    os._exit(0)
end = time.monotonic() + 20
while not (done := os.waitpid(pid, os.WNOHANG))[0] and time.monotonic() < end:
    time.sleep(0.01)
if not done[0]:
    os.kill(pid, signal.SIGKILL)
    print("hung")
else:
    print(os.waitstatus_to_exitcode(done[1]))
os._exit(0)
"""


@pytest.mark.slow
def test_a_child_forked_during_the_first_request_can_still_send(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAECHI_")}
    env["PYTHONPATH"] = str(SDK_SOURCE)
    results = []
    for _ in range(30):
        done = subprocess.run([sys.executable, "-S", "-c", FORK_DURING_FIRST_REQUEST, str(tmp_path / "ob")], env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        results.append(done.stdout.strip())
    # 3: "unknown encoding: idna"; hung: the child waits forever for the parent thread's import
    assert results == ["0"] * 30, results
