"""``haechi.sdk.Monitor`` against a real lake and a real server process."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from server_helpers import Server, free_port, prepare_home

from haechi.monitor.lake import Lake
from haechi.sdk import Monitor

SYSTEM = "cnc-spindle-pm"


def _lake(home: Path) -> Lake:
    return Lake(home / "lake")


def test_path_mode_logs_labels_and_flushes(tmp_path: Path) -> None:
    with Monitor(SYSTEM, path=tmp_path / "lake", org="acme", outbox=tmp_path / "ob") as monitor:
        ids = [
            monitor.log(
                prediction=i % 2, score=0.25, features={"vibration": i / 10, "tool": "t1"}, sensitive={"shift": "night"}
            )
            for i in range(500)
        ]
        monitor.label(ids[7], 1)
        assert monitor.flush()
    sl = _lake(tmp_path).system("acme", SYSTEM)
    rows = {r["event_id"]: r for r in sl.source().arrow().to_pylist()}
    assert len(rows) == 500 and rows[ids[7]]["label"] == 1.0
    assert rows[ids[3]]["vibration"] == pytest.approx(0.3) and rows[ids[3]]["shift"] == "night"
    assert len(set(ids)) == 500


def test_caller_ids_and_times_are_kept(tmp_path: Path) -> None:
    with Monitor(SYSTEM, path=tmp_path / "lake", org="acme", outbox=tmp_path / "ob") as monitor:
        monitor.log(prediction=0.7, event_id="order-1", timestamp=1772409600.5)
        monitor.log(
            prediction=0.1,
            event_id="order-2",
            timestamp=dt.datetime(2026, 3, 2, 9, 0, 0, 250, tzinfo=dt.timezone(dt.timedelta(hours=9))),
        )
    rows = {r["event_id"]: r for r in _lake(tmp_path).system("acme", SYSTEM).source().arrow().to_pylist()}
    assert rows["order-1"]["timestamp"].isoformat() == "2026-03-02T00:00:00.500000+00:00"
    assert rows["order-2"]["timestamp"].isoformat() == "2026-03-02T00:00:00.000250+00:00"


def test_mixed_types_fall_back_to_json_and_bad_rows_are_counted(tmp_path: Path) -> None:
    with Monitor(SYSTEM, path=tmp_path / "lake", org="acme", outbox=tmp_path / "ob") as monitor:
        monitor.log(prediction=1, features={"x": 1.0})
        monitor.log(prediction="not a number", features={"x": "text"})
        monitor.log(prediction=0, features={"x": 2.0})
        monitor.flush()
        assert monitor.stats["stored"] == 2 and monitor.stats["rejected_rows"] == 1
    assert _lake(tmp_path).system("acme", SYSTEM).event_count() == 2


def test_path_mode_needs_an_org_when_ambiguous(tmp_path: Path) -> None:
    (tmp_path / "lake" / "a").mkdir(parents=True)
    (tmp_path / "lake" / "b").mkdir()
    with pytest.raises(ValueError, match="org="):
        Monitor(SYSTEM, path=tmp_path / "lake", outbox=tmp_path / "ob")
    with pytest.raises(ValueError, match="exactly one"):
        Monitor(SYSTEM)


def test_url_and_token_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAECHI_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("HAECHI_TOKEN", "hc_test")
    monitor = Monitor(SYSTEM, outbox=tmp_path / "ob", flush_interval=0.05)
    try:
        assert monitor._transport.base == "http://127.0.0.1:9/api/v1/systems/" + SYSTEM  # type: ignore[attr-defined]
        assert monitor._transport.headers["Authorization"] == "Bearer hc_test"  # type: ignore[attr-defined]
        monitor.log(prediction=1)
        assert monitor.flush(3) is False and len(monitor.outbox) == 1  # port 9: nobody there, kept on disk
    finally:
        monitor.close(timeout=2)


@pytest.mark.slow
def test_outbox_survives_a_server_outage_and_delivers_later(tmp_path: Path) -> None:
    home = tmp_path / "home"
    token = prepare_home(home, SYSTEM)
    port = free_port()
    server = Server(home, port)
    monitor = Monitor(
        SYSTEM,
        url=server.url,
        token=token,
        outbox=tmp_path / "ob",
        flush_interval=0.05,
        batch_size=300,
        max_backoff=0.5,
    )
    try:
        ids = [monitor.log(prediction=i % 2, features={"rpm": i}) for i in range(2000)]
        assert monitor.flush(5) is False  # nobody listening: everything waits on disk
        assert monitor.stats["spilled"] >= 1 and len(monitor.outbox) >= 1
        server.start()
        assert monitor.flush(30) is True
        assert monitor.stats["stored"] == 2000 and len(monitor.outbox) == 0
    finally:
        monitor.close()
        server.stop()
    sl = _lake(home).system("acme", SYSTEM)
    assert sorted(sl.source().arrow().column("event_id").to_pylist()) == sorted(ids)


@pytest.mark.slow
def test_a_new_process_delivers_what_a_dead_one_left(tmp_path: Path) -> None:
    """Process 1 logs while the server is down and exits; process 2 delivers its outbox."""
    home = tmp_path / "home"
    token = prepare_home(home, SYSTEM)
    server = Server(home)
    script = textwrap.dedent(f"""
        from haechi.sdk import Monitor
        m = Monitor({SYSTEM!r}, url={server.url!r}, token={token!r}, outbox={str(tmp_path / "ob")!r})
        for i in range(1500):
            m.log(prediction=i % 2, event_id=f"p1-{{i}}", features={{"rpm": i}})
        # no flush, no close: the atexit hook must spill the queue to the outbox
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert list((tmp_path / "ob").iterdir())
    server.start()
    try:
        with Monitor(SYSTEM, url=server.url, token=token, outbox=tmp_path / "ob") as monitor:
            assert monitor.flush(30)
    finally:
        server.stop()
    assert _lake(home).system("acme", SYSTEM).event_count() == 1500


def test_many_threads_log_at_once(tmp_path: Path) -> None:
    import threading

    with Monitor(SYSTEM, path=tmp_path / "lake", org="acme", outbox=tmp_path / "ob", batch_size=700) as monitor:

        def work(k: int) -> None:
            for i in range(2500):
                monitor.log(prediction=i % 2, event_id=f"t{k}-{i}", features={"k": k})

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert monitor.flush(60)
    sl = _lake(tmp_path).system("acme", SYSTEM)
    ids = sl.source().arrow().column("event_id").to_pylist()
    assert len(ids) == len(set(ids)) == 10_000


@pytest.mark.slow
def test_batches_over_the_body_limit_are_split(tmp_path: Path) -> None:
    home = tmp_path / "home"
    token = prepare_home(home, SYSTEM)
    server = Server(home, max_body_mb=1).start()
    try:
        with Monitor(SYSTEM, url=server.url, token=token, outbox=tmp_path / "ob", batch_size=60_000) as monitor:
            for i in range(60_000):
                monitor.log(prediction=i % 2, event_id=f"big-{i}", features={"text": f"value-{i % 97}", "x": i})
            assert monitor.flush(120)
            assert monitor.stats["stored"] == 60_000 and monitor.stats["rejected_batches"] == 0
    finally:
        server.stop()
    assert _lake(home).system("acme", SYSTEM).event_count() == 60_000
