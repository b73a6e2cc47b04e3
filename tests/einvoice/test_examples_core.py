"""The official examples pass the EN 16931 core, calculation and decimal rules.

Every file of ``vectors/einvoice/en16931/examples-ubl``, ``examples-cii`` and ``testfiles``
(CEN/TC 434: minimum and maximum content, Peppol BIS Billing scenarios) and of
``vectors/einvoice/peppol-bis3/examples`` (OpenPeppol) is a valid invoice or credit note
as published (``CII-BR-CO-10-RoundingIssue.xml`` shows a sum that must round to its
stated total). ``BIS3_Invoice_negativ.XML`` is no exception: "negativ" names an invoice
with negative amounts (the counterpart of ``BIS3_Invoice_positive.XML``), and
``base-negative-inv-correction.xml`` likewise; both are meant to validate. So each must
give no error from BR-01 ... BR-65, BR-CO-* and BR-DEC-*.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from defa.einvoice import check, read
from defa.einvoice.rules import rule_set
from defa.errors import Severity
from tests.shared import shared_dir, shared_path

FOLDERS = (
    "en16931/examples-ubl",
    "en16931/examples-cii",
    "en16931/testfiles",
    "peppol-bis3/examples",
)
MINE = re.compile(r"^BR-(\d\d|CO-\d\d|DEC-\d\d)$")


def _examples() -> list[Path]:
    base = shared_dir() / "vectors" / "einvoice"
    return sorted(p for f in FOLDERS if (base / f).is_dir() for p in (base / f).iterdir())


def test_the_example_folders_are_there() -> None:
    for folder in FOLDERS:
        assert any(shared_path("vectors", "einvoice", *folder.split("/")).iterdir())


@pytest.mark.parametrize("path", _examples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_official_example_has_no_core_or_calculation_errors(path: Path) -> None:
    doc = read(path.read_bytes())
    report = check(doc, rules="en16931", as_of=rule_set("en16931").valid_from)
    errors = [
        f"{i.rule_id} at {i.loc}"
        for i in report.issues
        if i.rule_id and MINE.match(i.rule_id) and i.severity is Severity.ERROR
    ]
    assert errors == []
