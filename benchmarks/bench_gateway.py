"""The gateway under load, and batch checking on one and two workers.

* ``POST /v1/invoices/check`` of a typical invoice (10 lines, Peppol BIS 3) against a real
  uvicorn server (one process) on loopback, by 1, 10 and 50 concurrent clients, each on its
  own keep-alive connection sending its next request as soon as the answer arrives (a closed
  loop): latency p50/p99 and throughput. Target: p99 < 50 ms at 50 clients.
* ``defa.batch.run`` over files of the same invoice on 1 and 2 local worker processes
  (best of two alternating rounds): throughput and scaling efficiency (rate with 2 /
  (2 x rate with 1)). Target: >= 80 %.

Baseline, measured in the same run: the library's own rate, ``einvoice.check`` in this one
process, printed beside each figure as a ratio. Every run is bounded in requests and seconds.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.invoices import invoice
from benchmarks.timing import per_call

CLIENTS = (1, 10, 50)
SECONDS = 3.0  # per concurrency level, at most
MAX_REQUESTS = 3_000  # per concurrency level, at most
P99_TARGET_MS = 50.0
SCALING_TARGET = 0.80
LINES = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start_server(folder: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "DEFA_DATABASE_URL": f"sqlite:///{folder}/bench.db"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "defa.service.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, port
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("the gateway exited at start-up") from None
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the gateway did not start within 60 s")


async def _client(
    port: int, request: bytes, stop_at: float, budget: list[int], latencies: list[float]
) -> None:
    """One keep-alive connection sending requests back to back (a minimal HTTP/1.1 client:
    the load generator should cost far less than the server it measures)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            if status != 200:
                raise RuntimeError(f"the gateway answered {status}")
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def _load(
    port: int, body: bytes, clients: int, seconds: float, limit: int
) -> tuple[list[float], float]:
    request = (
        b"POST /v1/invoices/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/xml\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    latencies: list[float] = []
    budget = [limit]
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(
        *(_client(port, request, stop_at, budget, latencies) for _ in range(clients))
    )
    return latencies, time.perf_counter() - started


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _http_lines(body: bytes, library_rate: float, workers: int = 1) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        server, port = _start_server(Path(tmp), workers)
        try:
            # warm-up: rules compiled, pages in (every worker process)
            asyncio.run(_load(port, body, 4 * workers, 1.0, 200 * workers))
            for clients in CLIENTS if workers == 1 else CLIENTS[-1:]:
                latencies, elapsed = asyncio.run(_load(port, body, clients, SECONDS, MAX_REQUESTS))
                rate = len(latencies) / elapsed
                p50 = statistics.median(latencies) * 1000
                p99 = _percentile(latencies, 0.99) * 1000
                mark = (
                    ""
                    if clients != CLIENTS[-1]
                    else (
                        f"  [target p99 < {P99_TARGET_MS:.0f} ms: "
                        f"{'met' if p99 < P99_TARGET_MS else 'NOT met'}]"
                    )
                )
                lines.append(
                    f"HTTP check, {workers} server process{'es' if workers > 1 else ''}, "
                    f"{clients:>2} clients: p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
                    f"{rate:6.0f} req/s = {rate / library_rate:.2f}x library "
                    f"({len(latencies)} requests){mark}"
                )
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    return lines


def _batch_rate(folder: Path, files: list[Path], workers: int) -> tuple[float, float]:
    """Invoices per second, and the share of one core the coordinating process used."""
    from defa.batch import Job, run

    out = folder / f"results-{workers}.jsonl"
    out.unlink(missing_ok=True)  # a fresh run each round, not a resumed one
    before = resource.getrusage(resource.RUSAGE_SELF)
    summary = run(Job(inputs=files, out=out, workers=workers))
    after = resource.getrusage(resource.RUSAGE_SELF)
    if summary.processed != len(files) or not summary.all_valid:
        raise RuntimeError(f"the batch run went wrong: {summary}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return len(files) / summary.seconds, cpu / summary.seconds


def _spin(n: int) -> int:
    """Plain CPU work, no memory traffic to speak of: what a free core can do."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def _free_cores() -> float:
    """How many times one process's rate two processes of plain CPU work get here, now.

    On an idle two-core machine this is about 2; other work on the machine lowers it. The
    batch's scaling is read against it: a batch cannot scale past the cores it is given.
    """
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    rates = {}
    for workers in (1, 2):
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            list(pool.map(_spin, [1000] * workers))  # start the processes before timing
            started = time.perf_counter()
            list(pool.map(_spin, [2_000_000] * 8))
            rates[workers] = 8 / (time.perf_counter() - started)
    return rates[2] / rates[1]


def _batch_lines(body: bytes, library_rate: float) -> list[str]:
    # About 3 s of single-process work: start-up is part of what a user waits for, but
    # should not be most of it.
    count = max(200, min(3_000, int(library_rate * 3)))
    before = _free_cores()  # measured before and after the batch rounds, and averaged
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for n in range(count):
            path = folder / f"inv-{n:05d}.xml"
            path.write_bytes(_variant(body, n))
            files.append(path)
        # Best of two rounds, alternating, as per_call takes the best of three: on a shared
        # machine the slower rounds measure the neighbours, not the batch.
        rounds = [(_batch_rate(folder, files, 1), _batch_rate(folder, files, 2)) for _ in "ab"]
        one, one_cpu = max(r[0] for r in rounds)
        two, two_cpu = max(r[1] for r in rounds)
    efficiency = two / (2 * one)
    verdict = "met" if efficiency >= SCALING_TARGET else "NOT met"
    free = (before + _free_cores()) / 2
    return [
        f"batch, 1 worker:  {one:6.0f} invoices/s = {one / library_rate:.2f}x library "
        f"({count} files, start-up included; coordinator {one_cpu:.0%} of a core)",
        f"batch, 2 workers: {two:6.0f} invoices/s = {two / library_rate:.2f}x library "
        f"(coordinator {two_cpu:.0%} of a core); "
        f"scaling efficiency {efficiency:.0%} [target >= {SCALING_TARGET:.0%}: {verdict}]",
        f"machine check: 2 processes of plain CPU work ran {free:.2f}x one (2.00 on idle cores), "
        f"mean of before and after; "
        f"the batch's 2-worker speed-up {two / one:.2f}x is {two / one / free:.0%} of that",
    ]


def _variant(body: bytes, n: int) -> bytes:
    """The invoice with its own number: the batch's files are all different documents."""
    return body.replace(b"<cbc:ID>INV-", f"<cbc:ID>B{n}-".encode(), 1)


def run() -> list[str]:
    from defa import einvoice

    body = invoice(LINES)
    # The baseline checks different documents in turn, as the batch does, not one over and
    # over (which flatters it through warm caches).
    docs = itertools.cycle([_variant(body, n) for n in range(256)])
    einvoice.check(next(docs))  # compile the rules before timing
    seconds = per_call(lambda: einvoice.check(next(docs)), min_seconds=1.0)
    library_rate = 1 / seconds
    lines = [
        f"library einvoice.check, {LINES}-line invoices, one process: "
        f"{library_rate:.0f} invoices/s ({seconds * 1000:.2f} ms each) [baseline]",
        f"machine: {os.cpu_count()} cores; server and load generator share them; "
        f"load average at start {os.getloadavg()[0]:.1f} (other work on the machine skews all)",
    ]
    lines += _http_lines(body, library_rate)
    lines += _http_lines(body, library_rate, workers=2)
    lines += _batch_lines(body, library_rate)
    return lines
