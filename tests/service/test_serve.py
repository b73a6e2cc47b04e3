"""`defa serve` starts a real HTTP server on DEFA_DATABASE_URL that stores documents."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.service.conftest import AS_OF, example

DEFA = [sys.executable, "-c", "from defa.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as r:
        return json.load(r)


def test_serve_answers_and_stores(database_url: str, tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEFA_DATABASE_URL": database_url}
    cmd = [*DEFA, "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                body = _get(f"{base}/health")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                time.sleep(0.2)
        assert body["status"] == "ok"
        if database_url.startswith("sqlite:"):
            assert (tmp_path / "var" / "defa.db").exists()
        assert _get(f"{base}/ready")["status"] == "ready"  # migrated at start

        made = subprocess.run(
            [*DEFA, "admin", "tenant", "create", "acme", "--json"],
            env=env,
            capture_output=True,
            check=True,
        )
        key = json.loads(made.stdout)["api_key"]
        request = urllib.request.Request(
            f"{base}/v1/documents?as_of={AS_OF}",
            data=example(),
            headers={"content-type": "application/xml", "authorization": f"Bearer {key}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as r:
            assert r.status == 201
            location = r.headers["location"]
        got = _get(f"{base}{location}", {"authorization": f"Bearer {key}"})
        assert got["valid"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_with_two_worker_processes(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DEFA_DATABASE_URL": f"sqlite:///{tmp_path}/var/defa.db"}
    cmd = [*DEFA, "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ready = _get(f"http://127.0.0.1:{port}/ready")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "server did not answer within 60 s"
                time.sleep(0.3)
        assert ready["status"] == "ready"
        # Two answers from the same port; the processes behind it are uvicorn's workers.
        assert _get(f"http://127.0.0.1:{port}/health")["status"] == "ok"
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
