"""``defa serve --workers N``: one listening socket, N server processes, connections spread evenly.

A keep-alive connection stays with the process that accepted it, and a busy process serves
its connections one request after another, so a request waits for about as many others as
its process holds connections: the process holding the most connections sets the tail
latency. A shared listening socket (uvicorn's ``workers=N``) lets whichever process wakes
first accept a whole burst (39 of 50 connections on one of two processes, measured), and a
socket per process with ``SO_REUSEPORT`` spreads them by a hash of the addresses: a
binomial, not an even, split.

Here the process ``defa serve`` runs in is a **supervisor** that listens, accepts every
connection and hands it at once to the worker process holding the fewest connections (ties to
the one given fewer so far), over a Unix socket pair (``SCM_RIGHTS``, :func:`socket.send_fds`).
It never reads a request: after the hand-over it closes its copy of the socket, so it costs a
system call or two per connection, nothing per request. Each worker is a uvicorn server
(:func:`defa.service.app.serving_app`, lifespan, graceful shutdown, its own ``/metrics``) with
no listening socket of its own: it feeds each socket it receives to uvicorn's HTTP protocol
with ``loop.connect_accepted_socket``, and reports how many connections it has received and
holds open, so the supervisor's count of each worker's connections is exact (connections
handed over but not yet acknowledged count too), and counts fall as clients leave.

The supervisor starts the workers (after the caller has migrated the database), restarts a
worker that exits, stops everything when a worker fails before it ever became ready, and on
SIGTERM or SIGINT stops accepting, asks every worker to stop (SIGTERM: uvicorn finishes the
requests in flight and closes idle connections) and waits for them; a second signal, or
``grace`` seconds, kills what is left. A worker whose supervisor is gone stops by itself.

The use of uvicorn's internals is small and pinned by ``tests/service/test_serving.py``:
``Server.startup(sockets=[])`` serves no listener, and the protocol is built as uvicorn's own
``create_protocol`` builds it (``config.http_protocol_class`` with ``config``,
``server_state``, ``app_state`` and ``_loop``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType

import uvicorn

from defa import compiled

__all__ = ["serve_workers"]

APP = "defa.service.app:serving_app"
STARTUP_FAILURE = 3  # uvicorn's exit code when a server cannot start
_REPORT_EVERY = 0.1  # seconds between a worker's connection counts, when they change
_READY = b"R"
_LOAD = b"L"
_CONNECTION = b"C"

logger = logging.getLogger("uvicorn.error")


# --- the worker process ---------------------------------------------------------------


class _Worker(uvicorn.Server):
    """A uvicorn server whose connections come from the supervisor, not from a listener."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel
        self.received = 0
        # Each connection counts from its arrival to its loss, in exactly one of these.
        self.starting: set[socket.socket] = set()  # received, its protocol not yet made
        self.live: set[asyncio.Protocol] = set()  # its protocol made, not yet lost
        self.connecting: set[asyncio.Task[object]] = set()
        self.reporter: asyncio.Task[None] | None = None
        self.report_due = False
        self.reported = (-1, -1)
        self.protocol_class: type[asyncio.Protocol] = asyncio.Protocol

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the app and lifespan, no listening socket
        loop = asyncio.get_running_loop()
        self.protocol_class = self._counted(self.config.http_protocol_class)
        self.channel.setblocking(False)
        loop.add_reader(self.channel.fileno(), self._receive, loop)
        self.reporter = loop.create_task(self._report())
        with contextlib.suppress(OSError):
            self.channel.send(_READY)
        logger.info("Worker process [%d] ready", os.getpid())

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Take no more connections: the supervisor sees the channel close and skips us.
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        if self.reporter is not None:
            self.reporter.cancel()
        self.channel.close()
        await super().shutdown(sockets=None)

    def _counted(self, base: type[asyncio.Protocol]) -> type[asyncio.Protocol]:
        # The HTTP protocol, reporting a closed connection at once: the supervisor must not
        # count connections that are gone (a client that closes 25 and opens 25 again).
        def connection_lost(protocol: asyncio.Protocol, exc: Exception | None) -> None:
            base.connection_lost(protocol, exc)
            self.live.discard(protocol)
            self._report_soon()

        return type(base.__name__, (base,), {"connection_lost": connection_lost})

    def _protocol(self, loop: asyncio.AbstractEventLoop, sock: socket.socket) -> asyncio.Protocol:
        # As uvicorn's Server.startup builds the protocol of each accepted connection.
        protocol: asyncio.Protocol = self.protocol_class(  # type: ignore[call-arg]
            config=self.config,
            server_state=self.server_state,
            app_state=self.lifespan.state,
            _loop=loop,
        )
        self.starting.discard(sock)
        self.live.add(protocol)
        return protocol

    def _receive(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            try:
                message, fds, _, _ = socket.recv_fds(self.channel, 16, 1)
            except BlockingIOError:
                return
            except OSError:
                message, fds = b"", []
            if not message and not fds:  # the supervisor is gone: stop
                loop.remove_reader(self.channel.fileno())
                self.should_exit = True
                return
            for fd in fds:
                self.received += 1
                sock = socket.socket(fileno=fd)
                sock.setblocking(False)
                self.starting.add(sock)
                factory = functools.partial(self._protocol, loop, sock)
                task = loop.create_task(loop.connect_accepted_socket(factory, sock))
                self.connecting.add(task)
                task.add_done_callback(functools.partial(self._connected, sock))
            self._report_soon()

    def _connected(self, sock: socket.socket, task: asyncio.Task[object]) -> None:
        self.connecting.discard(task)
        if task.cancelled() or task.exception() is not None:
            self.starting.discard(sock)
            sock.close()  # the client left before its connection was set up

    def _report_soon(self) -> None:
        if not self.report_due:
            self.report_due = True
            asyncio.get_running_loop().call_soon(self._send_report)

    def _send_report(self) -> None:
        """Tell the supervisor how many connections came and how many are open, if changed."""
        self.report_due = False
        now = (self.received, len(self.starting) + len(self.live))
        if now != self.reported:
            try:
                self.channel.send(b"%s %d %d" % (_LOAD, *now))
                self.reported = now
            except OSError:
                pass  # full: the next round; closed: we are stopping

    async def _report(self) -> None:
        # Besides each arrival and close: reports that did not fit, and connections whose
        # HTTP protocol handed them on (an upgrade) and so never saw their loss.
        while True:
            self.live = {p for p in self.live if not _closed(p)}
            self._send_report()
            await asyncio.sleep(_REPORT_EVERY)


def _closed(protocol: asyncio.Protocol) -> bool:
    # uvloop's transports are not asyncio.BaseTransport subclasses: asked, not checked.
    is_closing = getattr(getattr(protocol, "transport", None), "is_closing", None)
    return callable(is_closing) and bool(is_closing())


def _worker_main(argv: list[str]) -> None:
    """A worker process: ``python -m defa.service.serving CHANNEL_FD LOG_LEVEL``."""
    channel = socket.socket(fileno=int(argv[0]))
    config = uvicorn.Config(APP, factory=True, log_level=argv[1], access_log=False)
    _Worker(config, channel).run()


# --- the supervisor -------------------------------------------------------------------


@dataclass(eq=False)
class _Child:
    """A worker process as the supervisor sees it."""

    process: subprocess.Popen[bytes]
    channel: socket.socket
    open: bool = True  # its channel takes connections
    ready: bool = False
    sent: int = 0  # connections handed over
    received: int = 0  # of which it has acknowledged this many
    holding: int = 0  # and holds this many open, as it last reported

    @property
    def load(self) -> int:
        """Connections it holds, counting those handed over but not yet acknowledged."""
        return self.holding + self.sent - self.received


@dataclass(eq=False)
class _Supervisor:
    listener: socket.socket
    workers: int
    log_level: str
    grace: float
    children: list[_Child] = field(default_factory=list)
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    signals: list[int] = field(default_factory=list)
    failed: bool = False

    def run(self) -> int:
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)
        previous_wakeup = signal.set_wakeup_fd(wake_w.fileno(), warn_on_full_buffer=False)
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.listener.setblocking(False)
            self.selector.register(self.listener, selectors.EVENT_READ, None)
            self.selector.register(wake_r, selectors.EVENT_READ, wake_r)
            for _ in range(self.workers):
                self.children.append(self._start())
            while not self.signals and not self.failed:
                for key, _ in self.selector.select(timeout=0.5):
                    if key.data is None:
                        self._accept()
                    elif key.data is wake_r:
                        with contextlib.suppress(OSError):
                            wake_r.recv(64)
                    else:
                        self._message(key.data)
                self._watch()
            self._stop()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            signal.set_wakeup_fd(previous_wakeup)
            self.selector.close()
            self.listener.close()
            wake_r.close()
            wake_w.close()
        return STARTUP_FAILURE if self.failed else 0

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signals.append(signum)

    def _start(self) -> _Child:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno()), self.log_level],
                pass_fds=[theirs.fileno()],
            )
        ours.setblocking(False)
        child = _Child(process, ours)
        self.selector.register(ours, selectors.EVENT_READ, child)
        logger.info("Started worker process [%d]", process.pid)
        return child

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except BlockingIOError:
                return
            except OSError as exc:  # out of file descriptors, a connection reset: go on
                logger.warning("accept failed: %s", exc)
                return
            with conn:
                if conn.family in (socket.AF_INET, socket.AF_INET6):
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._hand(conn)

    def _hand(self, conn: socket.socket) -> None:
        takers = [c for c in self.children if c.open]
        ready = [c for c in takers if c.ready] or takers
        for child in sorted(ready, key=lambda c: (c.load, c.sent)):
            try:
                socket.send_fds(child.channel, [_CONNECTION], [conn.fileno()])
            except OSError:  # its channel is full or gone: the next least busy
                continue
            child.sent += 1
            return
        logger.warning("no worker process takes connections: one refused")

    def _message(self, child: _Child) -> None:
        while child.open:
            try:
                data = child.channel.recv(64)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:  # the worker is stopping
                self._close(child)
            elif data == _READY:
                child.ready = True
            elif data.startswith(_LOAD):
                with contextlib.suppress(ValueError):
                    received, holding = (int(n) for n in data[1:].split())
                    child.received, child.holding = received, holding

    def _close(self, child: _Child) -> None:
        if child.open:
            child.open = False
            self.selector.unregister(child.channel)
            child.channel.close()

    def _watch(self) -> None:
        for n, child in enumerate(self.children):
            code = child.process.poll()
            if code is None:
                continue
            self._close(child)
            if self.signals:
                continue
            if not child.ready:
                logger.error(
                    "Worker process [%d] failed to start (exit code %d)", child.process.pid, code
                )
                self.failed = True
                return
            logger.error(
                "Worker process [%d] exited (exit code %d); starting another",
                child.process.pid,
                code,
            )
            self.children[n] = self._start()

    def _stop(self) -> None:
        self.selector.unregister(self.listener)
        self.listener.close()  # new clients are refused from here on
        for child in self.children:
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        signals = len(self.signals)
        while any(c.process.poll() is None for c in self.children):
            if time.monotonic() >= deadline or len(self.signals) > signals:  # or a second one
                for child in self.children:
                    if child.process.poll() is None:
                        logger.error("Killing worker process [%d]", child.process.pid)
                        child.process.kill()
                for child in self.children:
                    child.process.wait()
                break
            time.sleep(0.05)
        for child in self.children:
            self._close(child)
        logger.info("Stopped %d worker processes", len(self.children))


def serve_workers(
    host: str, port: int, workers: int, *, log_level: str = "info", grace: float = 70.0
) -> int:
    """Serve the gateway on ``host:port`` with ``workers`` processes; return the exit code.

    Returns at SIGTERM or SIGINT (0) once every worker has stopped, or when a worker fails
    before it became ready (3). The database must already be migrated: the workers build
    the app from the environment (``DEFA_*``), as :func:`~defa.service.app.serving_app` does.
    """
    uvicorn.Config(APP, factory=True, log_level=log_level)  # the supervisor logs as uvicorn does
    try:
        listener = socket.create_server((host, port), backlog=2048)
    except OSError as exc:
        logger.error("cannot listen on %s:%d: %s", host, port, exc)
        return STARTUP_FAILURE
    bound = listener.getsockname()
    where = f"[{bound[0]}]" if listener.family == socket.AF_INET6 else bound[0]
    logger.info(
        "DEFA gateway on http://%s:%d: %d worker processes, each connection to the least busy;"
        " e-invoice engine %s",
        where,
        bound[1],
        workers,
        "compiled" if compiled() else "plain Python (not compiled)",
    )
    return _Supervisor(listener, workers, log_level, grace).run()


if __name__ == "__main__":
    _worker_main(sys.argv[1:])
