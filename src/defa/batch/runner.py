"""A batch run: the job's inputs less those already in its results file, on one engine."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from defa.batch.engines import Done, chunked, on_dask, on_processes
from defa.batch.journal import Journal, run_key

__all__ = ["Job", "Summary", "run"]

#: Completed lines are made durable at least this often (seconds) and every this many lines.
FLUSH_SECONDS = 0.5
FLUSH_LINES = 64


@dataclass(frozen=True, slots=True)
class Job:
    """What to check and where to write: the inputs, the options and the results file."""

    inputs: Sequence[Path]
    out: Path
    rules: str | None = None  # None: the rules of each document's detected format
    as_of: date | None = None
    convert_to: str | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    scheduler: Any = None  # a Dask scheduler address or Client; None: local processes
    chunk_size: int = 0  # inputs per task; 0 picks one from the count and the workers

    def options(self) -> dict[str, Any]:
        """The options that decide each line's content (the run key is their digest)."""
        opts: dict[str, Any] = {
            "rules": self.rules,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "convert_to": self.convert_to,
        }
        return {**opts, "key": run_key(opts)}


@dataclass(slots=True)
class Summary:
    """How a run went: inputs seen, skipped as already done, and the statuses of each."""

    total: int = 0
    skipped: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # inputs processed in this run
    earlier: Counter[str] = field(default_factory=Counter)  # inputs skipped: found in the file
    seconds: float = 0.0

    @property
    def processed(self) -> int:
        return sum(self.statuses.values())

    @property
    def all_valid(self) -> bool:
        """True when every input of the job, processed now or before, is valid."""
        return set(self.statuses) | set(self.earlier) <= {"valid"}


def _chunk_size(job: Job, count: int) -> int:
    if job.chunk_size > 0:
        return job.chunk_size
    # Enough chunks to keep every worker busy to the end, few enough to keep overhead low.
    return max(1, min(16, count // (max(job.workers, 1) * 8)))


def run(job: Job, progress: Callable[[int], None] | None = None) -> Summary:
    """Process every input of ``job`` not yet in ``job.out``; ``progress(n)`` as ``n`` more
    inputs are recorded (first the ones found already done).

    Safe to kill at any moment and start again with the same job: the results file then
    ends up holding each input exactly once.
    """
    started = time.perf_counter()
    options = job.options()
    summary = Summary(total=len(job.inputs))
    with Journal(job.out, options["key"]) as journal:
        todo = []
        # A folder or pattern may take in the results file itself: it is never an input.
        results = str(job.out.resolve())
        for p in job.inputs:
            name = str(p)
            if name == results:
                summary.total -= 1
                continue
            if name in journal.done:
                summary.earlier[journal.done[name]] += 1
            else:
                todo.append(name)
        summary.skipped = summary.total - len(todo)
        if progress is not None and summary.skipped:
            progress(summary.skipped)
        chunks = chunked(todo, _chunk_size(job, len(todo)))
        if job.scheduler is not None:
            finished = on_dask(chunks, options, job.scheduler)
        else:
            finished = on_processes(chunks, options, max(job.workers, 1))
        buffer: list[Done] = []
        last_flush = time.monotonic()
        for lines in finished:
            buffer.extend(lines)
            if len(buffer) >= FLUSH_LINES or time.monotonic() - last_flush >= FLUSH_SECONDS:
                _flush(journal, buffer, summary, progress)
                last_flush = time.monotonic()
        _flush(journal, buffer, summary, progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _flush(
    journal: Journal,
    buffer: list[Done],
    summary: Summary,
    progress: Callable[[int], None] | None,
) -> None:
    if not buffer:
        return
    journal.append(line for _, line in buffer)
    summary.statuses.update(status for status, _ in buffer)
    if progress is not None:
        progress(len(buffer))
    buffer.clear()
