"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable


def per_call(func: Callable[[], object], *, min_seconds: float = 0.5) -> float:
    """Best-of-3 seconds per call of ``func``, each round lasting at least ``min_seconds``."""
    best = float("inf")
    for _ in range(3):
        n, elapsed = 0, 0.0
        start = time.perf_counter()
        while elapsed < min_seconds:
            func()
            n += 1
            elapsed = time.perf_counter() - start
        best = min(best, elapsed / n)
    return best
