"""Allocator tuning for one-shot monitor runs (the ``haechi monitor run`` process).

A run allocates and frees arrays of a few megabytes per window, feature and slice. With
glibc's defaults much of that memory is returned to the kernel when freed and faulted
in again, zeroed, for the next window: at 1e7 rows that was some 400,000 page faults
and about a second of system time on two cores. Keeping freed memory in the process
for reuse halves the faults. Peak memory is unchanged (the high-water mark is the same);
only returning it to the kernel early is given up, which a process that exits after
the run does not need. ``haechi serve`` keeps the defaults: a long-lived server should
give memory back.
"""

from __future__ import annotations

import ctypes
import sys

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse; ``False`` where that is not glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # musl and others: nothing to tune
        return False
    ok = mallopt(_M_TRIM_THRESHOLD, 1 << 30)       # trim the heap top only past 1 GiB free
    ok &= mallopt(_M_TOP_PAD, 64 << 20)            # grow the heap in 64 MiB steps
    ok &= mallopt(_M_MMAP_THRESHOLD, 32 << 20)     # blocks under 32 MiB come from the reusable heap
    return bool(ok)
