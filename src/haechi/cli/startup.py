"""How the one-shot ``haechi`` process treats memory: the garbage collector and glibc.

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
console script started the process; the same holds for :func:`keep_freed_memory`, which
tunes glibc for a ``monitor run`` that ends with its process.
"""

from __future__ import annotations

import contextlib
import ctypes
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


_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse in this one-shot process (``monitor run``).

    A monitor run allocates and frees arrays of a few megabytes per window, feature and
    slice. With glibc's defaults much of that memory goes back to the kernel when freed
    and is faulted in again, zeroed, for the next window: at 1e7 rows some 400,000 page
    faults and about a second of system time on two cores; keeping it halves the faults.
    Peak memory is unchanged; only giving memory back early is given up, which a process
    that exits after the run does not need. ``haechi serve``, and any process that calls
    the CLI in-process, keep the defaults. Returns whether the allocator was tuned
    (``False`` outside the console script and where the C library is not glibc).
    """
    if not _state["one_shot"] or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # musl and others: nothing to tune
        return False
    ok = mallopt(_M_TRIM_THRESHOLD, 1 << 30)       # trim the heap top only past 1 GiB free
    ok &= mallopt(_M_TOP_PAD, 64 << 20)            # grow the heap in 64 MiB steps
    ok &= mallopt(_M_MMAP_THRESHOLD, 32 << 20)     # blocks under 32 MiB come from the reusable heap
    return bool(ok)
