"""Where the work runs: local worker processes, or a Dask distributed cluster.

Both engines take the same chunks of input names and yield the same JSON lines (made by
:func:`defa.batch.work.check_files`), as chunks finish, in any order. Only a bounded number
of chunks is in flight at once, so a run over millions of files holds a small window of
work in memory rather than one future per file.
"""

from __future__ import annotations

import importlib
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from defa._process import settle_heap
from defa.batch.work import check_file

__all__ = ["Done", "check_files", "chunked", "on_dask", "on_processes"]


#: A finished input: its status and its JSON line.
Done = tuple[str, str]


def check_files(names: Sequence[str], options: dict[str, Any]) -> list[Done]:
    """Status and JSON line of each input of a chunk (one task: fewer round trips)."""
    return [check_file(n, options) for n in names]


def chunked(names: Sequence[str], size: int) -> Iterator[list[str]]:
    """``names`` in consecutive lists of at most ``size``."""
    for start in range(0, len(names), size):
        yield list(names[start : start + size])


def on_processes(
    chunks: Iterator[list[str]], options: dict[str, Any], workers: int
) -> Iterator[list[Done]]:
    """Run the chunks on ``workers`` local processes; yield each chunk's lines when done."""
    # forkserver: workers start from a clean, single-threaded server process (the caller may
    # be running a progress-bar thread), with the toolkit and its rule sets already imported
    # there: a worker forked from it starts checking at once, where importing the rules
    # itself would take most of a second, each run, before its first document.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["defa.batch.work", "defa.einvoice.rules"])
    window = workers * 4
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_settle_worker
    ) as pool:
        pending: set[Future[list[Done]]] = set()
        for chunk in chunks:
            pending.add(pool.submit(check_files, chunk, options))
            if len(pending) >= window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield f.result()
        for f in _drain(pending):
            yield f.result()


def _settle_worker() -> None:
    settle_heap(collect=False)  # a process that checks many documents, like a server


def _drain(pending: set[Future[list[Done]]]) -> Iterator[Future[list[Done]]]:
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from done


def on_dask(
    chunks: Iterator[list[str]], options: dict[str, Any], scheduler: Any
) -> Iterator[list[Done]]:
    """Run the chunks on a Dask cluster (``scheduler``: an address or a ``Client``).

    The workers must have the toolkit installed and see the input paths (a shared or
    identical file system); they read the files themselves, so no document crosses the
    network twice.
    """
    # distributed ships no type hints; it is imported here, at need, as a plain module.
    distributed: Any = importlib.import_module("distributed")
    client = (
        scheduler if isinstance(scheduler, distributed.Client) else distributed.Client(scheduler)
    )
    try:
        threads = sum(client.nthreads().values()) or 1
        window = threads * 4
        flow = distributed.as_completed()
        in_flight = 0
        for chunk in chunks:
            # pure=False: a chunk is never served from another run's cached result.
            flow.add(client.submit(check_files, chunk, options, pure=False))
            in_flight += 1
            while in_flight >= window:
                yield next(flow).result()
                in_flight -= 1
        for future in flow:
            yield future.result()
    finally:
        if client is not scheduler:
            client.close()
