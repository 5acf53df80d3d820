"""The garbage-collector policy of the one-shot ``haechi`` process.

Starting the CLI imports some 900 modules (SQLAlchemy, pydantic, NumPy, DuckDB,
PyArrow...). They create hundreds of thousands of objects and no garbage, yet the cyclic
collector, triggered by allocation counts, walks the growing heap again and again while
they load, and once more over all of it when the interpreter shuts down: about a quarter
of a second of a one-second ``monitor run`` at 10⁶ rows on the reference machine.

So the console script (:mod:`haechi.cli.entry`) pauses the collector while it starts;
once the facade is open, :func:`resume_collector` moves everything loaded so far into
the collector's permanent generation (never scanned again) and turns it back on, so the
command itself, and ``haechi serve`` for as long as it runs, collect as usual; at exit
:func:`skip_final_collection` spares the last walk over the heap, which only frees memory
the operating system takes back anyway. Code that calls :func:`haechi.cli.main.run` in
its own process (tests, embedding) is never affected: nothing here acts unless the
console script started the process.
"""

from __future__ import annotations

import contextlib
import gc
import sys

_state = {"one_shot": False, "paused": False}


def pause_collector() -> None:
    """Called first by the console script: no cyclic collection while modules load."""
    _state["one_shot"] = True
    if gc.isenabled():
        gc.disable()
        _state["paused"] = True


def resume_collector() -> None:
    """Freeze what start-up loaded and collect as usual from here on (idempotent)."""
    if _state["paused"]:
        _state["paused"] = False
        gc.freeze()
        gc.enable()


def skip_final_collection() -> None:
    """At the end of a console-script process: no last walk over the heap at shutdown.

    Output is flushed first; files and database connections were closed by the command.
    """
    if not _state["one_shot"]:
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to write anyway
            stream.flush()
    gc.freeze()
