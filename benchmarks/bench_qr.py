"""Throughput of the payment QR codec on the real payloads in shared/vectors/qr.

Measures, on one core, microseconds per payload for:

* ``decode + CRC``: :func:`defa.qr.decode` (one scan of the root data objects and the CRC
  check; scheme, fields and issues are computed lazily, on first access);
* ``full read``: decode and then the scheme, typed fields and every conformance issue;
* the baseline: the PyPI package ``qriskit`` (when installed) parsing the same QRIS payloads and
  checking their CRC, measured in the same run, with the ratio.

Run: ``.venv/bin/python benchmarks/bench_qr.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from defa.qr import decode

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5  # best of: the least disturbed run is the closest to the code's own cost


def _payloads() -> list[dict[str, object]]:
    shared = Path(os.environ.get("DEFA_SHARED") or ROOT.parent / "shared")
    rows: list[dict[str, object]] = json.loads(
        (shared / "vectors" / "qr" / "payloads.json").read_text("utf-8")
    )
    return rows


def _best_us(fn: Callable[[list[str]], None], payloads: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(repeat):
            fn(payloads)
        best = min(best, time.perf_counter() - start)
    return best / (repeat * len(payloads)) * 1e6


def _decode_crc(payloads: list[str]) -> None:
    for p in payloads:
        decode(p)


def _full(payloads: list[str]) -> None:
    for p in payloads:
        d = decode(p)
        d.issues  # noqa: B018 - forces scheme, typed fields and checks
        d.fields  # noqa: B018


def run(repeat: int = 200) -> list[str]:
    """Measure and return the lines to print."""
    rows = _payloads()
    payloads = [str(r["payload"]) for r in rows]
    qris = [str(r["payload"]) for r in rows if r["scheme"] == "ID QRIS"]
    lines = [f"payment QR codec, {len(payloads)} real payloads, best of {ROUNDS} x {repeat}"]
    ours = _best_us(_decode_crc, payloads, repeat)
    lines.append(f"defa.qr decode + CRC (all payloads): {ours:.2f} us/payload")
    full = _best_us(_full, payloads, max(1, repeat // 4))
    lines.append(f"defa.qr decode + scheme + fields + issues: {full:.2f} us/payload")
    ours_qris = _best_us(_decode_crc, qris, repeat)
    lines.append(f"defa.qr decode + CRC ({len(qris)} QRIS payloads): {ours_qris:.2f} us/payload")
    try:
        import qriskit
        from qriskit.crc import crc16
    except ImportError:
        lines.append("baseline qriskit: not installed, no ratio")
        return lines

    def _qriskit(batch: list[str]) -> None:
        for p in batch:
            with contextlib.suppress(qriskit.QRISError):
                qriskit.parse(p)
            _ = crc16(p[:-4]) == p[-4:]

    theirs = _best_us(_qriskit, qris, repeat)
    lines.append(f"baseline qriskit parse + CRC (same QRIS payloads): {theirs:.2f} us/payload")
    lines.append(f"ratio qriskit / defa.qr: {theirs / ours_qris:.1f}x")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
