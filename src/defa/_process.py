"""Settings of a long-running process that checks many documents (a server, a batch worker)."""

from __future__ import annotations

import gc

__all__ = ["GC_YOUNG_THRESHOLD", "settle_heap"]

#: Allocations (net of frees) between two young-generation collections in such a process.
#: Python's default, 700, makes the check of a typical invoice pay for a collection every few
#: documents, each walking every young object; a larger young generation is collected about
#: as fast and far less often, and holds at most a few megabytes of garbage cycles.
GC_YOUNG_THRESHOLD = 20_000


def settle_heap(*, collect: bool = True) -> None:
    """Set the cycle collector of a long-running process, once it has started.

    Everything alive now (modules, compiled rules and data, the app) lives as long as the
    process: :func:`gc.freeze` takes it out of every later collection, so a full collection
    no longer walks it (a pause of tens of milliseconds that lands on whichever request or
    document is being handled), and the young generation is collected every
    :data:`GC_YOUNG_THRESHOLD` allocations. ``collect=False`` skips the full collection
    first (a process just forked from a settled one has nothing to collect yet).
    """
    if collect:
        gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), middle, old)
