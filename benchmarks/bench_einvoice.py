"""E-invoice parse + full check throughput on one core, and peak memory.

Measured for the official Peppol BIS 3 examples (typical invoices) and for generated
invoices of 10 and 1,000 lines (cost should grow linearly with lines).

Baseline: the official XSLT validators run by Saxon-HE (``saxonche``), measured in the same
run when ``DEFA_BENCH_XSLT`` names one or more compiled-from-Schematron XSLT files
(``os.pathsep``-separated, e.g. the EN 16931 UBL and Peppol BIS 3 XSLTs). Without it, the
bench prints DEFA's own figures and the target (9,000 typical invoices/s/core).
"""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

from benchmarks.invoices import invoice
from benchmarks.timing import per_call

TARGET = 9_000.0  # typical invoices per second per core (issue target)
AS_OF = date(2026, 11, 28)


def _shared() -> Path:
    root = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("DEFA_SHARED") or root.parent / "shared")


def _examples() -> list[bytes]:
    folder = _shared() / "vectors" / "einvoice" / "peppol-bis3" / "examples"
    return [p.read_bytes() for p in sorted(folder.glob("*.xml"))]


def _peak_kib(func: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def _saxon_baseline(docs: list[bytes]) -> float | None:
    """Seconds per document for the official XSLTs, or None if not configured."""
    paths = [p for p in os.environ.get("DEFA_BENCH_XSLT", "").split(os.pathsep) if p]
    if not paths:
        return None
    from saxonche import PySaxonProcessor  # optional: only when the baseline is asked for

    with PySaxonProcessor(license=False) as proc:
        xslt = proc.new_xslt30_processor()
        executables = [xslt.compile_stylesheet(stylesheet_file=p) for p in paths]
        nodes = [proc.parse_xml(xml_text=d.decode("utf-8")) for d in docs]

        def run_all() -> None:
            for node in nodes:
                for exe in executables:
                    exe.transform_to_string(xdm_node=node)

        return per_call(run_all, min_seconds=1.0) / len(docs)


def _stages(doc: bytes) -> str:
    """Where one check's time goes: hardened parse, read into the model, rules."""
    from defa import einvoice
    from defa.einvoice.syntax import detect, syntaxes
    from defa.einvoice.xmlsafe import parse

    syntax = syntaxes()[detect(parse(doc))]
    parsing = per_call(lambda: parse(doc))
    reading = per_call(lambda: syntax.read(parse(doc))) - parsing
    total = per_call(lambda: einvoice.check(doc, rules="peppol-bis3", as_of=AS_OF))
    return (
        f"first example by stage: parse {parsing * 1e6:,.0f} µs, read {reading * 1e6:,.0f} µs, "
        f"rules {(total - parsing - reading) * 1e6:,.0f} µs, total {total * 1e6:,.0f} µs"
    )


def run() -> list[str]:
    from defa import einvoice

    lines = []
    examples = _examples()

    def check_examples() -> None:
        for doc in examples:
            einvoice.check(doc, rules="peppol-bis3", as_of=AS_OF)

    per_doc = per_call(check_examples, min_seconds=1.0) / len(examples)
    rate = 1 / per_doc
    lines.append(
        f"official Peppol examples ({len(examples)}): {rate:,.0f} invoices/s/core "
        f"({per_doc * 1e6:,.0f} µs each); target {TARGET:,.0f}/s: {rate / TARGET:.2f}x of target"
    )
    baseline = _saxon_baseline(examples)
    if baseline is None:
        lines.append("baseline (Saxon-HE + official XSLT): not run; set DEFA_BENCH_XSLT to run it")
    else:
        lines.append(
            f"baseline Saxon-HE + official XSLT: {1 / baseline:,.0f} invoices/s/core; "
            f"DEFA is {baseline / per_doc:.1f}x the baseline"
        )

    lines.append(_stages(examples[0]))

    costs = {}
    for n in (10, 1_000):
        doc = invoice(n)
        seconds = per_call(lambda doc=doc: einvoice.check(doc, rules="peppol-bis3", as_of=AS_OF))
        report = einvoice.check(doc, rules="peppol-bis3", as_of=AS_OF)
        peak = _peak_kib(lambda doc=doc: einvoice.check(doc, rules="peppol-bis3", as_of=AS_OF))
        costs[n] = seconds
        lines.append(
            f"generated {n:>5}-line invoice ({len(doc) / 1024:,.0f} KiB): {1 / seconds:,.1f}/s, "
            f"{seconds * 1e3:,.2f} ms each, peak {peak:,.0f} KiB, "
            f"{len(report.errors)} errors"
        )
    per_line_small = costs[10] / 10
    per_line_large = costs[1_000] / 1_000
    growth = per_line_large / per_line_small
    lines.append(
        f"cost per line: {per_line_small * 1e6:,.1f} µs at 10 lines, "
        f"{per_line_large * 1e6:,.1f} µs at 1,000 lines "
        f"(ratio {growth:.2f}; <= 1 means linear or better)"
    )
    return lines
