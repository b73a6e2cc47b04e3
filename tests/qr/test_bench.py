"""The QR benchmark runs and reports its figure and its baseline."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_qr.py"


def test_benchmark_reports_microseconds_per_payload() -> None:
    spec = importlib.util.spec_from_file_location("bench_qr", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = module.run(repeat=1)
    assert any("decode + CRC" in line and "us/payload" in line for line in lines)
    assert any("qriskit" in line for line in lines)
