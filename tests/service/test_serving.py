"""``defa serve --workers 2``: connections spread evenly over the worker processes.

The split is read from the operating system (Linux ``/proc``): which process holds each
server-side socket of the connections to the port. Counts are arithmetic: N connections
opened one after another over two workers that hold none give N/2 each.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from defa.service import serving

pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="reads sockets' owners from Linux /proc"
)

DEFA = [sys.executable, "-c", "from defa.cli import main; main()"]
READY = re.compile(r"Worker process \[(\d+)\] ready")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # ppid
            found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """The process exists and has not exited (an orphan's zombie may wait for its reaper)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _server_sockets(port: int) -> dict[str, int]:
    """Established connections to ``port``: socket inode -> the client's port."""
    inodes = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if int(local.rsplit(":", 1)[1], 16) == port and state == "01":
                inodes[inode] = int(remote.rsplit(":", 1)[1], 16)
    return inodes


def _owners(pids: set[int], port: int) -> dict[int, int]:
    """The client port of each established connection to ``port`` -> the pid holding it."""
    inodes = _server_sockets(port)
    owner = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                owner[inodes[target[8:-1]]] = pid
    return owner


def _wait(what: str, test: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.1)


def _connect(port: int) -> http.client.HTTPConnection:
    """A keep-alive connection that has had one answer (so a worker holds it)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/health")
    answer = conn.getresponse()
    assert answer.status == 200
    assert answer.read().startswith(b"{")
    return conn


def _client_port(conn: http.client.HTTPConnection) -> int:
    assert conn.sock is not None
    return int(conn.sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "DEFA_DATABASE_URL": f"sqlite:///{tmp_path}/var/defa.db"}
    cmd = [*DEFA, "serve", "--port", str(port), "--workers", "2"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait("two ready workers", lambda: len(READY.findall(log.read_text())) >= 2)
        yield proc, port, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)


def test_connections_are_spread_evenly_and_sigterm_stops_all(
    server: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    proc, port, log = server
    workers = _children(proc.pid)
    assert len(workers) == 2
    assert {int(p) for p in READY.findall(log.read_text())} == workers

    conns = [_connect(port) for _ in range(20)]
    owner = _owners(workers, port)
    held = {pid: [c for c in conns if owner.get(_client_port(c)) == pid] for pid in workers}
    assert sorted(len(v) for v in held.values()) == [10, 10]  # 20 over 2

    # Clients leave one worker: new ones go to it, least connections first (not in turn).
    emptied, other = sorted(workers)
    for conn in held[emptied]:
        conn.close()
    _wait("the worker to close them", lambda: emptied not in _owners(workers, port).values())
    time.sleep(1.0)  # its count reaches the supervisor within 0.1 s of the close
    more = [_connect(port) for _ in range(10)]
    owner = _owners(workers, port)
    assert [owner.get(_client_port(c)) for c in more] == [emptied] * 10
    assert sorted(owner.values()).count(other) == 10

    # Every worker answers the check route, on each of its connections.
    for conn in [*held[other], *more]:
        conn.request("GET", "/ready")
        answer = conn.getresponse()
        assert answer.status == 200, answer.read()
        answer.read()
    for conn in [*held[other], *more]:
        conn.close()

    # SIGTERM to the supervisor alone: it stops the workers, then itself.
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    for pid in workers:
        assert not _running(pid)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_a_worker_that_dies_is_replaced(
    server: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    proc, port, log = server
    first = _children(proc.pid)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    _wait("a third worker ready", lambda: len(READY.findall(log.read_text())) >= 3)
    now = _children(proc.pid)
    assert victim not in now
    assert len(now) == 2
    assert f"Worker process [{victim}] exited" in log.read_text()
    conns = [_connect(port) for _ in range(4)]  # both answer: 2 each
    assert sorted(list(_owners(now, port).values()).count(p) for p in now) == [2, 2]
    for conn in conns:
        conn.close()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0


def _supervise(port: int, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    # The supervisor started directly: the CLI would migrate (and refuse a bad URL) first.
    code = (
        "import sys; from defa.service.serving import serve_workers; "
        "sys.exit(serve_workers('127.0.0.1', int(sys.argv[1]), 2, grace=5))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(port)],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_a_worker_that_cannot_start_stops_the_server() -> None:
    # No worker can build the app on this database URL: each fails before it is ready.
    env = {**os.environ, "DEFA_DATABASE_URL": "nosuchdb://nowhere"}
    done = _supervise(_free_port(), env)
    assert done.returncode == serving.STARTUP_FAILURE, done.stderr.decode()[-2000:]
    assert b"failed to start" in done.stderr


def test_a_port_in_use_is_a_startup_failure(tmp_path: Path) -> None:
    env = {**os.environ, "DEFA_DATABASE_URL": f"sqlite:///{tmp_path}/var/defa.db"}
    with socket.create_server(("127.0.0.1", 0)) as taken:
        done = _supervise(taken.getsockname()[1], env)
    assert done.returncode == serving.STARTUP_FAILURE
    assert b"cannot listen" in done.stderr
    assert b"Started worker process" not in done.stderr


def test_workers_stop_when_the_supervisor_is_gone(
    server: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    proc, _, _ = server
    workers = _children(proc.pid)
    assert len(workers) == 2
    proc.kill()  # no chance to stop them: they see their channel close
    proc.wait(timeout=10)
    _wait("the workers to stop", lambda: not any(_running(p) for p in workers))
