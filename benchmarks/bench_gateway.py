"""The gateway under load, and batch checking on one and two workers.

* ``POST /v1/invoices/check`` of a typical invoice (10 lines, Peppol BIS 3) against
  ``defa serve`` on loopback (one process, then ``--workers 2``), by 1, 10 and 50 concurrent
  clients, each on its own keep-alive connection sending its next request as soon as the
  answer is whole (a closed loop; every answer read to its end and checked): latency
  p50/p99, throughput, and the CPU time a request of the server and of the load generator.
  Target: p99 < 50 ms at 50 clients.
* ``defa.batch.run`` over files of the same invoice on 1 and 2 local worker processes
  (best of two alternating rounds): throughput and scaling efficiency (rate with 2 /
  (2 x rate with 1)). Target: >= 80 %.

Baseline, measured in the same run: the library's own rate, ``einvoice.check`` in this one
process, printed beside each figure as a ratio. Every run is bounded in requests and seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import uvloop

from benchmarks.invoices import invoice
from benchmarks.timing import per_call

CLIENTS = (1, 10, 50)
SECONDS = 3.0  # per concurrency level, at most
MAX_REQUESTS = 3_000  # per concurrency level, at most
P99_TARGET_MS = 50.0
SCALING_TARGET = 0.80
LINES = 10
_VALID = b'{"valid":true,'  # how the report of a valid invoice starts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start_server(folder: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], int]:
    """``defa serve`` as a user runs it (JSON access log on, to a discarded stderr)."""
    port = _free_port()
    env = {**os.environ, "DEFA_DATABASE_URL": f"sqlite:///{folder}/bench.db"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from defa.cli import main; main()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        process_group=0,  # stopped whole by killpg; still in this session (one CPU share)
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
    _stop_server(server)
    raise RuntimeError("the gateway did not start within 60 s")


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)


class _Client(asyncio.Protocol):
    """One keep-alive connection sending its next request as soon as the answer is whole.

    A minimal HTTP/1.1 client on protocol callbacks (no stream objects, no task per read): the
    load generator shares the cores with the server it measures, so it must cost far less.
    Every answer is read to its last byte, must be ``200`` with the report of a valid invoice,
    and its latency runs from the write of the request to the arrival of that last byte.
    """

    def __init__(self, request: bytes, run: _Run) -> None:
        self.request = request
        self.run = run
        self.transport: asyncio.Transport | None = None
        self.timed = False  # the first answer only shows the connection is served
        self.buffer = bytearray()
        self.expected = -1  # bytes of the whole answer, once its head is in
        self.body_at = 0
        self.started = 0.0
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's: not a subclass

    def send(self) -> None:
        """Send the next request, or close the connection when the run is over."""
        assert self.transport is not None
        run = self.run
        if self.timed:
            if run.budget <= 0 or time.perf_counter() >= run.stop_at:
                self.transport.close()
                return
            run.budget -= 1
        self.buffer.clear()
        self.expected = -1
        self.started = time.perf_counter()
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if self.expected < 0:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buffer[:end]).lower()
            at = head.find(b"\r\ncontent-length:")
            if not head.startswith(b"http/1.1 200 ") or at < 0:
                self._fail(f"the gateway answered {head[:300]!r}")
                return
            self.body_at = end + 4
            self.expected = self.body_at + int(head[at + 17 : head.find(b"\r\n", at + 2)])
        if len(buffer) < self.expected:
            return
        elapsed = time.perf_counter() - self.started
        if len(buffer) > self.expected or not buffer.startswith(_VALID, self.body_at):
            self._fail(f"not the report of a valid invoice: {bytes(buffer[:300])!r}")
        elif self.timed:
            self.run.latencies.append(elapsed)
            self.send()
        else:
            self.timed = True
            self.run.join(self)

    def _fail(self, why: str) -> None:
        self.run.errors.append(why)
        assert self.transport is not None
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.expected >= 0 and len(self.buffer) < self.expected:
            self.run.errors.append(f"the connection closed mid-answer ({exc})")
        if not self.closed.done():
            self.closed.set_result(None)


@dataclass
class _Run:
    """One closed-loop run: its clients, its bounds and what they measured."""

    clients: int
    seconds: float
    budget: int  # timed requests, at most
    started: float = 0.0
    stop_at: float = float("inf")
    ready: list[_Client] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    group: int = 0  # the server's process group, to read the split of connections; 0: not
    port: int = 0
    split: list[int] = field(default_factory=list)

    def join(self, client: _Client) -> None:
        """``client`` had its first answer; when every client has, the timed run starts."""
        self.ready.append(client)
        if len(self.ready) == self.clients:
            if self.group:
                self.split = _split(self.group, self.port)
            self.started = time.perf_counter()
            self.stop_at = self.started + self.seconds
            for c in self.ready:
                c.send()


async def _load(
    port: int, body: bytes, clients: int, seconds: float, limit: int, group: int
) -> tuple[list[float], float, list[int]]:
    request = (
        b"POST /v1/invoices/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/xml\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    loop = asyncio.get_running_loop()
    run = _Run(clients, seconds, limit, group=group, port=port)
    connections = [
        await loop.create_connection(lambda: _Client(request, run), "127.0.0.1", port)
        for _ in range(clients)
    ]
    # Timing starts once every connection has had one answer: a server busy with the first
    # clients accepts the later ones slowly, and that ramp is not the steady load measured.
    for _, client in connections:
        client.send()
    # Bounded even if a connection hangs: a broken run fails, it does not stall.
    await asyncio.wait_for(asyncio.gather(*(c.closed for _, c in connections)), seconds + 60)
    elapsed = time.perf_counter() - run.started
    if run.errors:
        raise RuntimeError(f"{len(run.errors)} requests went wrong; the first: {run.errors[0]}")
    return run.latencies, elapsed, run.split


def _measure(
    port: int, body: bytes, clients: int, seconds: float, limit: int, group: int = 0
) -> tuple[list[float], float, list[int]]:
    """The load on uvloop (the server's event loop too): less of the cores for the client.

    With the server's process ``group``, also how many of the connections each of its
    processes held when the timed run started (Linux; else empty).
    """
    _wait_closed(port)
    return uvloop.run(_load(port, body, clients, seconds, limit, group))


def _server_sockets(port: int) -> set[str]:
    """The inodes of the server's side of the established connections to ``port`` (Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()  # local address, remote, state (01: established), inode
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                    inodes.add(fields[9])
    return inodes


def _wait_closed(port: int) -> None:
    """Wait (5 s at most) until the server has let go of the previous run's connections.

    Each run opens its own connections as the previous run's close: a server still busy
    finishing the old ones would be measured holding both, and a balancer would see them too.
    """
    deadline = time.monotonic() + 5
    while _server_sockets(port) and time.monotonic() < deadline:
        time.sleep(0.05)


def _split(group: int, port: int) -> list[int]:
    """Connections to ``port`` held by each process of a process group, most first (Linux)."""
    inodes = _server_sockets(port)
    held = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) != group:
                continue
            links = [os.readlink(fd) for fd in (stat.parent / "fd").iterdir()]
        except OSError:
            continue  # gone meanwhile
        count = sum(1 for link in links if link[8:-1] in inodes and link.startswith("socket:["))
        if count:
            held.append(count)
    return sorted(held, reverse=True)


def _group_cpu(group: int) -> float:
    """CPU seconds used so far by the processes of a process group (Linux; else 0)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group:  # pgrp; then utime, stime at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _http_lines(body: bytes, library_rate: float, workers: int = 1) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        server, port = _start_server(Path(tmp), workers)
        try:
            # warm-up: rules compiled, pages in (every worker process)
            _measure(port, body, 4 * workers, 1.0, 200 * workers)
            group = server.pid if workers > 1 else 0
            for clients in CLIENTS if workers == 1 else CLIENTS[-1:]:
                # CPU per request, server and client: what the latencies are made of, and
                # steadier than they are on a machine shared with other work.
                server_cpu, client_cpu = _group_cpu(server.pid), _own_cpu()
                latencies, elapsed, split = _measure(
                    port, body, clients, SECONDS, MAX_REQUESTS, group
                )
                server_cpu = (_group_cpu(server.pid) - server_cpu) / len(latencies) * 1000
                client_cpu = (_own_cpu() - client_cpu) / len(latencies) * 1000
                rate = len(latencies) / elapsed
                p50 = statistics.median(latencies) * 1000
                p99 = _percentile(latencies, 0.99) * 1000
                # The target is the machine's: two cores, so one server process per core.
                # One process (one core) at 50 clients is printed for comparison only.
                if clients != CLIENTS[-1]:
                    mark = ""
                elif workers == 1:
                    mark = "  [one core: for comparison; the target is for both cores, below]"
                else:
                    mark = (
                        f"  [target p99 < {P99_TARGET_MS:.0f} ms: "
                        f"{'met' if p99 < P99_TARGET_MS else 'NOT met'}]"
                    )
                lines.append(
                    f"HTTP check, {workers} server process{'es' if workers > 1 else ''}, "
                    f"{clients:>2} clients: p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
                    f"{rate:6.0f} req/s = {rate / library_rate:.2f}x library "
                    f"({len(latencies)} requests; CPU a request: server {server_cpu:.2f} ms, "
                    f"client {client_cpu:.2f} ms)"
                    + (f"; connections per process {' + '.join(map(str, split))}" if split else "")
                    + mark
                )
        finally:
            _stop_server(server)
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

    # spawn, not forkserver: the forkserver is one per process, and the batch's must be the
    # one it starts itself, with the toolkit preloaded.
    context = multiprocessing.get_context("spawn")
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
