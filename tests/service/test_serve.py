"""`defa serve` starts a real HTTP server that answers /health."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_health(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DEFA_DATABASE_URL": f"sqlite:///{tmp_path}/var/defa.db"}
    cmd = [sys.executable, "-c", "from defa.cli import main; main()", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    body = json.load(r)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.2)
        assert body["status"] == "ok"
        assert (tmp_path / "var" / "defa.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
