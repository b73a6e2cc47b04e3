"""Invoice folders for the batch tests, made from the official Peppol BIS 3 example."""

from __future__ import annotations

from pathlib import Path

from tests.shared import shared_path

# The example's totals: 1325 net + 331.25 VAT = 1656.25 (BT-112 = BT-109 + BT-110).
GOOD_TOTAL = b">1656.25</cbc:TaxInclusiveAmount>"
BAD_TOTAL = b">1000</cbc:TaxInclusiveAmount>"
AS_OF = "2026-01-01"  # a date on which the packaged Peppol BIS 3 rules are in force


def example() -> bytes:
    return shared_path(
        "vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml"
    ).read_bytes()


def make_inputs(folder: Path, valid: int = 0, broken: int = 0, junk: int = 0) -> list[Path]:
    """``valid`` copies of the example (distinct ids), ``broken`` with a wrong total, ``junk``."""
    folder.mkdir(parents=True, exist_ok=True)
    source = example()
    assert GOOD_TOTAL in source
    made = []
    for n in range(valid):
        doc = source.replace(b"<cbc:ID>Snippet1</cbc:ID>", f"<cbc:ID>V{n}</cbc:ID>".encode(), 1)
        made.append(_write(folder / f"valid-{n:05d}.xml", doc))
    for n in range(broken):
        made.append(_write(folder / f"broken-{n:05d}.xml", source.replace(GOOD_TOTAL, BAD_TOTAL)))
    for n in range(junk):
        made.append(_write(folder / f"junk-{n:05d}.xml", b"this is not XML at all"))
    return made


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
