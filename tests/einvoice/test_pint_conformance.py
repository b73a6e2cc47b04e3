"""PINT SG 1.4.1 and PINT MY 1.3.1: every official example gives no error under its format's
rules; formats, rule sets and their dates are as the releases state.

The expected outcome (no error) is the publishers' own: the examples ship with the release as
valid documents. Rule counts are the number of ``assert`` elements in the published
Schematron files, counted by hand from the files named in each test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from defa import einvoice
from defa.einvoice import profiles
from defa.einvoice.rules import engine
from defa.errors import Severity
from tests.shared import shared_path

SG_DIR = ("vectors", "einvoice", "pint-sg", "1.4.1")
MY_DIR = ("vectors", "einvoice", "pint-my", "1.3.1-billing")
AS_OF = date(2026, 11, 28)


def _examples(*parts: str) -> list[Path]:
    return sorted(shared_path(*parts).glob("*.xml"))


def _errors(path: Path, format_id: str) -> list[str]:
    doc = einvoice.read(path.read_bytes())
    rules = profiles.get(format_id).rules
    assert rules is not None
    report = engine.run(doc, engine.resolve(rules, AS_OF))
    return [f"{i.rule_id} {i.loc}" for i in report.issues if i.severity == Severity.ERROR]


def test_the_examples_are_there() -> None:
    # 16 PINT SG examples (15 invoices, 1 credit note); 13 PINT MY billing examples.
    assert len(_examples(*SG_DIR)) == 16
    assert len(_examples(*MY_DIR)) == 13


@pytest.mark.parametrize("path", _examples(*SG_DIR), ids=lambda p: p.name)
def test_sg_examples_have_no_errors(path: Path) -> None:
    doc = einvoice.read(path.read_bytes())
    assert profiles.detect(doc).id == "sg-pint"
    assert _errors(path, "sg-pint") == []


@pytest.mark.parametrize("path", _examples(*MY_DIR), ids=lambda p: p.name)
def test_my_examples_have_no_errors(path: Path) -> None:
    doc = einvoice.read(path.read_bytes())
    assert profiles.detect(doc).id == "my-pint"
    assert _errors(path, "my-pint") == []


def test_rule_counts_match_the_published_schematron() -> None:
    # PINT-UBL-validation-preprocessed.sch (SG, MY and MY self-billing alike): 170 asserts,
    # ibr-cl-01 among them, which the billing/self-billing sets hold.
    assert len(engine.rule_set("pint").rules) == 169
    assert set(engine.rule_set("pint-billing").rules) == {"ibr-cl-01"}
    assert set(engine.rule_set("pint-selfbilling").rules) == {"ibr-cl-01"}
    # pint-sg PINT-jurisdiction-aligned-rules.sch: 92 asserts.
    assert len(engine.rule_set("sg-pint").rules) == 92
    # pint-my (and pint-my-selfbilling) PINT-jurisdiction-aligned-rules.sch: 28 asserts.
    assert len(engine.rule_set("my-pint").rules) == 28
    assert set(engine.rule_set("my-pint").rules) == set(
        engine.rule_set("my-pint-selfbilling").rules
    )


def test_rule_sets_chain_and_dates() -> None:
    on = date(2026, 6, 8)  # the release date of PINT SG 1.4.1 and PINT MY 1.3.1
    assert [rs.id for rs in engine.resolve("sg-pint", on)] == ["pint", "pint-billing", "sg-pint"]
    assert [rs.id for rs in engine.resolve("my-pint-selfbilling", on)] == [
        "pint",
        "pint-selfbilling",
        "my-pint-selfbilling",
    ]
    assert engine.rule_set("sg-pint").version == "1.4.1"
    assert engine.rule_set("my-pint").version == "1.3.1"
    assert engine.rule_set("pint").version == "1.1.3"
    assert not engine.rule_set("sg-pint").in_force(date(2026, 6, 7))


def test_upstream_ids_are_kept_verbatim() -> None:
    base = engine.rule_set("pint").rules
    assert {"ibr-co-15", "ibr-sr-63", "ibr-079", "ibr-cl-25"} <= set(base)
    sg = engine.rule_set("sg-pint").rules
    assert {"BR-NG-01-GST-SG", "PEPPOL-EN16931-R004-SG", "UBL-SR-12-GST-SG"} <= set(sg)
    assert sg["BR-51-SG"].severity == Severity.WARNING
    assert "aligned-ibrp-sa-08" in engine.rule_set("my-pint").rules


def test_formats() -> None:
    sg = profiles.get("sg-pint")
    assert (sg.syntax, sg.rules, sg.country, sg.version) == ("ubl", "sg-pint", "SG", "1.4.1")
    assert sg.specificity > profiles.get("peppol-bis3").specificity
    my = profiles.get("my-pint-selfbilling")
    assert (my.rules, my.country, my.version) == ("my-pint-selfbilling", "MY", "1.3.1")
    assert {"sg-pint", "my-pint", "my-pint-selfbilling"} <= set(profiles.format_ids())


def test_prepare_sets_the_specification_and_process() -> None:
    # A Peppol BIS 3 example, prepared for PINT SG, is detected as PINT SG.
    bis = shared_path("vectors", "einvoice", "peppol-bis3")
    path = bis / "examples" / "base-example.xml"
    doc = einvoice.read(path.read_bytes())
    for format_id, spec, process in (
        ("sg-pint", "urn:peppol:pint:billing-1@sg-1", "urn:peppol:bis:billing"),
        ("my-pint", "urn:peppol:pint:billing-1@my-1", "urn:peppol:bis:billing"),
        (
            "my-pint-selfbilling",
            "urn:peppol:pint:selfbilling-1@my-1",
            "urn:peppol:bis:selfbilling",
        ),
    ):
        prepare = profiles.get(format_id).prepare
        assert prepare is not None
        out = prepare(doc)
        control = out.child("BG-2")
        assert control is not None
        assert (control.value("BT-24"), control.value("BT-23")) == (spec, process)
        assert profiles.detect(out).id == format_id


@pytest.mark.parametrize("path", [*_examples(*SG_DIR), *_examples(*MY_DIR)], ids=lambda p: p.name)
def test_check_detects_the_format_and_finds_no_error(path: Path) -> None:
    # The examples' issue dates predate the releases, so the date is given (as for Peppol).
    report = einvoice.check(path.read_bytes(), as_of=AS_OF)
    assert report.meta["format"] in ("sg-pint", "my-pint")
    assert [i.rule_id for i in report.issues if i.severity == Severity.ERROR] == []
