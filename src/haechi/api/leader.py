"""One worker of ``haechi serve`` runs the periodic work; the others stand by.

``haechi serve --workers N`` starts N processes of the same application. Scheduled
monitors, compliance upkeep and lake upkeep (the jobs of the one scheduler,
``hc.scheduler``, see ``haechi.scheduler``) must run once, not N times, so each worker
tries to take the database's ``server-leader`` lock (see ``haechi.store.locks``): the one
that holds it starts the scheduler and says so in the server log, with each job's next
run; the others try again every :data:`POLL_SECONDS` and take over when the leader
stops or dies (PostgreSQL and the operating system release a dead holder's lock).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haechi.core import Haechi

# The server's own log: uvicorn configures it for ``haechi serve`` (INFO and up).
log = logging.getLogger("uvicorn.error")

LOCK_NAME = "server-leader"
POLL_SECONDS = 5.0


class Leadership:
    """The leader lock of one worker and the periodic work it starts while holding it."""

    def __init__(self, hc: Haechi, poll: float = POLL_SECONDS) -> None:
        self.hc, self.poll = hc, poll
        self.lock = hc.db.lock(LOCK_NAME)
        self.leading = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.worker = f"worker pid {os.getpid()} on {socket.gethostname()}"

    def start(self) -> Leadership:
        """Lead now if nobody does (the first attempt is synchronous), else stand by."""
        if not self._try_lead():
            log.info("Haechi %s: another worker holds the leader lock and runs periodic work; standing by",
                     self.worker)
        self._thread = threading.Thread(target=self._watch, name="haechi-leadership", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.poll + 5)
        self._resign()

    def _try_lead(self) -> bool:
        if not self.lock.try_acquire():
            return False
        self.leading = True
        log.info("Haechi %s holds the leader lock: it runs scheduled monitors and upkeep", self.worker)
        scheduler = self.hc.scheduler.start()
        for job, at in scheduler.next_runs().items():
            log.info("Haechi periodic job %s: next run at %s", job, at.isoformat(timespec="seconds"))
        if not scheduler.jobs:
            log.info("Haechi: no periodic jobs are turned on")
        return True

    def _resign(self) -> None:
        if not self.leading:
            return
        self.leading = False
        self.hc.scheduler.stop()
        self.lock.release()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            try:
                if not self.leading:
                    self._try_lead()
                elif not self.lock.still_held():  # the database dropped our connection
                    log.warning("Haechi %s lost the leader lock; stopping periodic work", self.worker)
                    self._resign()
            except Exception:  # a database hiccup must not end the watch
                log.exception("Haechi %s: leader lock check failed", self.worker)
