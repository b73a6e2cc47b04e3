"""A real ``defa batch check`` killed with SIGKILL mid-run, then started again: exactly once."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.batch.conftest import AS_OF, make_inputs

COUNT = 400


def _command(folder: Path, out: Path) -> list[str]:
    code = "from defa.cli import main; main()"
    return [
        sys.executable,
        "-c",
        code,
        "batch",
        "check",
        str(folder),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--workers",
        "1",
        "--no-progress",
    ]


def _complete_lines(out: Path) -> int:
    return out.read_bytes().count(b"\n") if out.exists() else 0


def test_sigkill_mid_run_then_restart_records_every_input_once(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", valid=COUNT)
    out = tmp_path / "results.jsonl"
    # A session of its own, so the worker processes it starts can be found and ended too.
    first = subprocess.Popen(_command(tmp_path / "in", out), start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _complete_lines(out) < 10:
            assert first.poll() is None, "the run ended before it could be interrupted"
            assert time.monotonic() < deadline, "the run wrote nothing within 120 s"
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait(30) == -signal.SIGKILL
    finally:
        _end_group(first.pid)
    written = _complete_lines(out)
    assert 10 <= written < COUNT, f"the kill came too late to test anything ({written} lines)"

    second = subprocess.run(
        _command(tmp_path / "in", out), capture_output=True, text=True, timeout=300, check=False
    )
    assert second.returncode == 0, second.stderr
    assert f"{COUNT} inputs:" in second.stdout

    lines = out.read_text().splitlines()
    names = Counter(json.loads(line)["input"] for line in lines)
    assert names == Counter({str(p.resolve()): 1 for p in inputs})
    assert {json.loads(line)["status"] for line in lines} == {"valid"}


def _end_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
