"""National-format check and conversion throughput on one core, beside the engine's.

For every format: the check rate of documents of that format (its official samples where
the shared vectors hold some, else the official Peppol BIS 3 examples converted into it),
and the conversion rate of the Peppol BIS 3 examples into it. A conversion reads the
source, adapts and writes it, reads the result back, lists the losses and checks the
output against the target's rules, so it should cost no more than about twice a check
(target ratio <= 2). The baseline is the engine's check of the same Peppol examples as
plain UBL (EN 16931 rules), measured in the same run.

Two ratios are printed: conversion time over the time of the target format's check of the
same content (the documents the conversions make: ``same/s``; a format's official samples,
where there are some, are smaller or larger documents, so their check rate is printed
beside it but not compared), and over the baseline (the check of the source). Formats
with few rules (VN, ID, PH, KH) check in a fraction of the time it takes to read the UBL
source a conversion starts from, so the verdict takes the larger of the two checks: a
conversion is within target when it costs no more than about twice the dearer check
involved.

The ratios are paired: each of ``ROUNDS`` rounds times the target's check, the source's
check and the conversion one after the other, and a format's ratio is the median of its
rounds' ratios. On a shared machine the speed of the cores changes from one second to the
next (other tenants' work, their use of the caches); a ratio of two figures timed apart
carries that change, a ratio of figures timed together mostly does not. Rates are the
best round's.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from benchmarks.timing import per_call

AS_OF = date(2026, 11, 28)
TARGET_RATIO = 2.0
# The official samples of a format, by folder under vectors/einvoice and file pattern.
SAMPLES = {
    "sg-pint": ("pint-sg/1.4.1", "PINT-SG INV*.xml"),
    "my-pint": ("pint-my/1.3.1-billing", "Invoice-Sample-*.xml"),
    "my-myinvois-xml": ("myinvois", "1.1-Invoice*.xml"),
    "my-myinvois-json": ("myinvois", "1.1-Invoice*.json"),
    "th-etda": ("etda", "INV*.xml"),
}
MIN_SECONDS = 0.1  # a timing lasts at least this long
ROUNDS = 5  # paired rounds of (target's check, source's check, conversion) per format


def _vectors() -> Path:
    root = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("DEFA_SHARED") or root.parent / "shared") / "vectors" / "einvoice"


def _peppol_examples() -> list[bytes]:
    folder = _vectors() / "peppol-bis3" / "examples"
    return [p.read_bytes() for p in sorted(folder.glob("*.xml"))]


def _rate(func: object, count: int) -> float:
    """Documents per second of ``func``, which handles ``count`` documents per call."""
    assert callable(func)
    return count / per_call(func, min_seconds=MIN_SECONDS)


def _seconds(func: Callable[[], object], count: int) -> float:
    """Seconds per document of one timing of ``func`` (``count`` documents per call)."""
    calls, started = 0, time.perf_counter()
    while True:
        func()
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= MIN_SECONDS:
            return elapsed / (calls * count)


def _paired(
    same: Callable[[], object],
    source: Callable[[], object],
    convert: Callable[[], object],
    count: int,
) -> tuple[float, float, float, float, float]:
    """Rates (best round) of the target's check, the source's check and the conversion, and
    the median over the rounds of conversion time over each check's time, timed together."""
    rounds = []
    for _ in range(ROUNDS):
        rounds.append((_seconds(same, count), _seconds(source, count), _seconds(convert, count)))
    best = [min(r[i] for r in rounds) for i in range(3)]
    return (
        1 / best[0],
        1 / best[1],
        1 / best[2],
        statistics.median(r[2] / r[0] for r in rounds),
        statistics.median(r[2] / max(r[0], r[1]) for r in rounds),
    )


def _documents(fmt: str, converted: list[bytes]) -> tuple[list[bytes], str]:
    sample = SAMPLES.get(fmt)
    if sample is not None:
        found = [p.read_bytes() for p in sorted((_vectors() / sample[0]).glob(sample[1]))]
        if found:
            return found, f"{len(found)} official samples"
    return converted, f"{len(converted)} Peppol examples converted"


def run() -> list[str]:
    from defa import einvoice
    from defa.einvoice import profiles

    examples = _peppol_examples()

    def check_ubl() -> None:
        for doc in examples:
            einvoice.check(doc, format="ubl", as_of=AS_OF)

    baseline = _rate(check_ubl, len(examples))
    lines = [
        f"baseline: engine UBL check (EN 16931 rules) of {len(examples)} Peppol examples: "
        f"{baseline:,.0f} invoices/s/core",
        f"{'format':<20} {'check/s':>9} {'vs UBL':>7} {'same/s':>8} {'convert/s':>10} "
        f"{'/same':>6} {'/dearer':>8}  check/s of   (ratios: median of {ROUNDS} paired rounds)",
    ]
    worst = 0.0
    for fmt in profiles.format_ids():
        converted = [einvoice.convert(doc, to=fmt, as_of=AS_OF).document for doc in examples]
        docs, what = _documents(fmt, converted)

        def check_all(docs: list[bytes] = docs, fmt: str = fmt) -> None:
            for doc in docs:
                einvoice.check(doc, format=fmt, as_of=AS_OF)

        def convert_all(fmt: str = fmt) -> None:
            for doc in examples:
                einvoice.convert(doc, to=fmt, as_of=AS_OF)

        # The verdict's target check is of the documents the conversions make (the same
        # content), whatever documents the format's own check rate was measured on.
        same, _, conversions, ratio, dearer = _paired(
            partial(check_all, converted), check_ubl, convert_all, len(examples)
        )
        checks = same if docs is converted else _rate(check_all, len(docs))
        worst = max(worst, dearer)
        lines.append(
            f"{fmt:<20} {checks:>9,.0f} {checks / baseline:>6.2f}x {same:>8,.0f} "
            f"{conversions:>10,.0f} {ratio:>6.2f} {dearer:>8.2f}  {what}"
        )
    verdict = "met" if worst <= TARGET_RATIO else "not met"
    lines.append(
        f"conversion over the dearer check: worst {worst:.2f} "
        f"(target <= about {TARGET_RATIO:.0f}): {verdict}; "
        f"conversions read {len(examples)} Peppol examples"
    )
    return lines
