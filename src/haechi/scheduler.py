"""The one scheduler of periodic work while ``haechi serve`` runs.

Capabilities declare their periodic jobs (``Capability.jobs``, see
:class:`haechi.capability.PeriodicJob`); the composition root turns them into
:class:`Job` objects and one :class:`Scheduler`, which the worker holding the leader lock
starts and stops (``api/leader.py``). One daemon thread runs every job when it is due.
A job that raises is logged and tried again at its next time: one capability's failure
never stops another's work, nor the thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("haechi.scheduler")

#: Longest a job may take to notice ``stop()`` before the server moves on without it.
STOP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Job:
    """One periodic task: ``run()`` every ``interval`` seconds, first ``first_after`` seconds
    after the scheduler starts (one interval when ``None``)."""

    name: str
    run: Callable[[], Any]
    interval: float
    first_after: float | None = None


class Scheduler:
    """Runs its jobs on one daemon thread between :meth:`start` and :meth:`stop`."""

    def __init__(self, jobs: list[Job] | tuple[Job, ...]) -> None:
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"periodic job names must be unique: {names}")
        self.jobs = tuple(jobs)
        self._next: dict[str, float] = {}  # job name → time.monotonic() of its next run
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Scheduler:
        """Start the thread; a second start while it runs does nothing."""
        if self.running:
            return self
        now = time.monotonic()
        with self._lock:
            self._next = {job.name: now + (job.interval if job.first_after is None else job.first_after)
                          for job in self.jobs}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(self._stop,), name="haechi-scheduler",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """End the thread after the job it is running, if any."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._lock:
            self._next = {}

    def next_runs(self) -> dict[str, dt.datetime]:
        """When each job runs next (UTC), while the scheduler runs; empty when stopped."""
        now_mono, now = time.monotonic(), dt.datetime.now(dt.UTC)
        with self._lock:
            return {name: now + dt.timedelta(seconds=at - now_mono) for name, at in self._next.items()}

    def run_due(self) -> list[str]:
        """Run every job whose time has come, once each; returns their names."""
        now = time.monotonic()
        with self._lock:
            due = [job for job in self.jobs if self._next.get(job.name, float("inf")) <= now]
        for job in due:
            self._run(job)
            with self._lock:
                if job.name in self._next:  # not stopped meanwhile
                    self._next[job.name] = time.monotonic() + job.interval
        return [job.name for job in due]

    def _run(self, job: Job) -> None:
        try:
            job.run()
        except Exception:  # isolated: logged, and the job runs again at its next time
            log.exception("Haechi scheduler: job %s failed; it runs again in %ss", job.name, job.interval)

    def _loop(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.run_due()
            with self._lock:
                soonest = min(self._next.values(), default=None)
            wait = 60.0 if soonest is None else max(0.0, soonest - time.monotonic())
            stop.wait(wait)
