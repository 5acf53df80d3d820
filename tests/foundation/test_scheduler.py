"""The one scheduler of periodic work: named jobs on one thread, one start and stop."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

import pytest

from haechi import Haechi
from haechi.capability import capabilities
from haechi.scheduler import Job, Scheduler
from haechi.settings import Settings


def _wait_for(condition: threading.Event, what: str) -> None:
    assert condition.wait(10), what


def test_a_failing_job_is_logged_and_retried_and_never_stops_the_others(caplog: pytest.LogCaptureFixture) -> None:
    failures, runs = [], []
    failed_twice, ran_thrice = threading.Event(), threading.Event()

    def broken() -> None:
        failures.append(1)
        if len(failures) >= 2:
            failed_twice.set()
        raise RuntimeError("database went away")

    def healthy() -> None:
        runs.append(1)
        if len(runs) >= 3:
            ran_thrice.set()

    scheduler = Scheduler([Job("broken", broken, 0.02, first_after=0), Job("healthy", healthy, 0.02)])
    with caplog.at_level(logging.ERROR, logger="haechi.scheduler"):
        scheduler.start()
        try:
            _wait_for(failed_twice, "the failing job was not tried again")
            _wait_for(ran_thrice, "a failing job stopped the other one")
            assert scheduler.running
        finally:
            scheduler.stop()
    assert "job broken failed" in caplog.text and "database went away" in caplog.text
    assert not scheduler.running


def test_next_runs_show_each_job_and_stop_and_restart_work() -> None:
    scheduler = Scheduler([Job("soon", lambda: None, 3600, first_after=0.5), Job("later", lambda: None, 600)])
    assert scheduler.next_runs() == {}  # not started
    before = dt.datetime.now(dt.UTC)
    scheduler.start()
    try:
        plan = scheduler.next_runs()
        assert set(plan) == {"soon", "later"}
        assert before < plan["soon"] < before + dt.timedelta(seconds=5)  # first_after
        assert before + dt.timedelta(seconds=590) < plan["later"] < before + dt.timedelta(seconds=610)  # one period
    finally:
        scheduler.stop()
    assert scheduler.next_runs() == {} and not scheduler.running
    scheduler.start()  # a worker that regains the leader lock starts it again
    try:
        assert scheduler.running and set(scheduler.next_runs()) == {"soon", "later"}
    finally:
        scheduler.stop()


def test_stop_ends_the_thread_while_it_waits_a_long_interval() -> None:
    scheduler = Scheduler([Job("hourly", lambda: None, 3600)]).start()
    thread = scheduler._thread
    started = time.monotonic()
    scheduler.stop()
    assert thread is not None and not thread.is_alive() and time.monotonic() - started < 5


def test_duplicate_job_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        Scheduler([Job("x", lambda: None, 1), Job("x", lambda: None, 1)])


def test_the_facade_scheduler_holds_the_declared_jobs_its_settings_turn_on(tmp_path: Path) -> None:
    declared = {job.name for capability in capabilities() for job in capability.jobs}
    assert {"monitors", "lake-upkeep", "compliance-upkeep"} <= declared
    hc = Haechi(Settings(home=tmp_path / "on", lake_upkeep_minutes=15))
    try:
        jobs = {job.name: job for job in hc.scheduler.jobs}
        assert set(jobs) == declared
        assert jobs["monitors"].interval == 60 and jobs["monitors"].first_after == 5
        assert jobs["lake-upkeep"].interval == 15 * 60 and jobs["lake-upkeep"].first_after is None
        assert jobs["compliance-upkeep"].interval == 3600 and jobs["compliance-upkeep"].first_after == 0
    finally:
        hc.close()
    off = Haechi(Settings(home=tmp_path / "off", lake_upkeep_minutes=0, schedule_monitors=False))
    try:
        assert {job.name for job in off.scheduler.jobs} == declared - {"monitors", "lake-upkeep"}
    finally:
        off.close()


def test_no_server_module_runs_periodic_work_on_a_thread_of_its_own() -> None:
    """Periodic server work is a job of the one scheduler, started once by the leader worker."""
    import haechi

    root = Path(haechi.__file__).parent
    # the scheduler itself, the leader-lock watch, and client-side (SDK) senders
    allowed = {"scheduler.py", "api/leader.py", "transparency/recorder.py", "sdk/monitor.py"}
    starters = {path.relative_to(root).as_posix() for path in root.rglob("*.py")
                if "threading.Thread(" in path.read_text(encoding="utf-8")}
    assert starters <= allowed, f"use a PeriodicJob instead: {sorted(starters - allowed)}"
