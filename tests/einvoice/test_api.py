"""The public e-invoice API: read, write, convert, check, validate; the term catalogue."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from defa import einvoice
from defa.einvoice import terms
from defa.errors import InputRejected, LookupFailed, NotInForce, Report, ValidationError
from tests.shared import shared_path

AFTER_PEPPOL_RELEASE = date(2025, 9, 1)  # Peppol BIS 3.0.19 is in force from 2025-08-25


def example(*parts: str) -> bytes:
    return shared_path("vectors", "einvoice", *parts).read_bytes()


def test_formats() -> None:
    found = einvoice.formats()
    assert {"cii", "ubl", "peppol-bis3"} <= set(found)
    assert found == sorted(found)


def test_check_detects_the_format_and_applies_its_rules_only() -> None:
    peppol = einvoice.check(
        example("peppol-bis3", "examples", "base-example.xml"), as_of=AFTER_PEPPOL_RELEASE
    )
    assert peppol.meta["format"] == "peppol-bis3"
    assert [s["id"] for s in peppol.meta["rule_sets"]] == ["en16931", "peppol-bis3"]
    # ubl-tc434-example1.xml declares plain EN 16931 (BT-24 "urn:cen.eu:en16931:2017"):
    # only the EN 16931 rules apply, so no Peppol rule can fire.
    plain = einvoice.check(
        example("en16931", "examples-ubl", "ubl-tc434-example1.xml"), as_of=AFTER_PEPPOL_RELEASE
    )
    assert plain.meta["format"] == "ubl"
    assert [s["id"] for s in plain.meta["rule_sets"]] == ["en16931"]
    assert not [i for i in plain.issues if (i.rule_id or "").startswith("PEPPOL")]


def test_read_detects_the_syntax() -> None:
    ubl = einvoice.read(example("peppol-bis3", "examples", "base-example.xml"))
    cii = einvoice.read(example("en16931", "examples-cii", "CII_example1.xml"))
    assert (ubl.syntax, ubl.kind) == ("ubl", "invoice")
    assert (cii.syntax, cii.kind) == ("cii", "invoice")
    path = shared_path(
        "vectors", "einvoice", "en16931", "examples-ubl", "ubl-tc434-creditnote1.xml"
    )
    assert einvoice.read(path).kind == "credit-note"


def test_read_with_a_named_syntax() -> None:
    xml = example("en16931", "examples-cii", "CII_example1.xml")
    assert einvoice.read(xml, syntax="CII").syntax == "cii"
    with pytest.raises(InputRejected) as caught:
        einvoice.read(xml, syntax="ubl")
    assert caught.value.code == "xml.wrong_root"
    with pytest.raises(LookupFailed) as unknown:
        einvoice.read(xml, syntax="edifact")
    assert unknown.value.code == "einvoice.unknown_syntax"


def test_write_both_syntaxes() -> None:
    doc = einvoice.read(example("peppol-bis3", "examples", "base-example.xml"))
    assert einvoice.read(einvoice.write(doc, "cii")).value("BT-1") == "Snippet1"
    assert einvoice.read(einvoice.write(doc)).value("BT-1") == "Snippet1"


def test_check_a_valid_peppol_example() -> None:
    report = einvoice.check(
        example("peppol-bis3", "examples", "base-example.xml"), as_of=AFTER_PEPPOL_RELEASE
    )
    assert isinstance(report, Report)
    assert report.valid, [i.to_dict() for i in report.errors]
    assert report.meta["as_of"] == "2025-09-01"
    assert report.meta["syntax"] == "ubl"
    assert [(s["id"], s["version"]) for s in report.meta["rule_sets"]] == [
        ("en16931", "1.3.16"),
        ("peppol-bis3", "3.0.19"),
    ]


def test_check_defaults_to_the_issue_date() -> None:
    # CII_example1.xml was issued 2015-01-09, before EN 16931's rules came into force
    xml = example("en16931", "examples-cii", "CII_example1.xml")
    # Dated by the document: no version was in force, so today's is applied, with a warning.
    dated = einvoice.check(xml, rules="en16931")
    assert "einvoice.rules_not_in_force" in [i.code for i in dated.warnings]
    assert dated.meta["as_of"] == date.today().isoformat()
    # An explicit date outside the rules' dates is refused.
    with pytest.raises(NotInForce):
        einvoice.check(xml, rules="en16931", as_of=date(2015, 1, 9))
    report = einvoice.check(xml, rules="en16931", as_of=date(2020, 1, 1))
    assert report.meta["as_of"] == "2020-01-01"
    assert report.meta["syntax"] == "cii"


def test_check_finds_a_broken_rule() -> None:
    xml = example("peppol-bis3", "examples", "base-example.xml").replace(
        b"<cbc:ID>Snippet1</cbc:ID>", b"<cbc:ID></cbc:ID>", 1
    )
    report = einvoice.check(xml, rules="en16931", as_of=AFTER_PEPPOL_RELEASE)
    assert not report.valid
    assert "BR-02" in {i.rule_id for i in report.errors}  # an invoice shall have a number


@pytest.mark.parametrize(
    ("source", "code"),
    [
        (b"", "xml.not_xml"),
        (b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", "xml.forbidden_entity"),
        (b"<Order/>", "einvoice.unknown_syntax"),
    ],
)
def test_check_reports_bad_input(source: bytes, code: str) -> None:
    report = einvoice.check(source)
    assert not report.valid
    assert [i.code for i in report.issues] == [code]
    assert report.meta["rules"] is None  # no rule set named: the format would decide


def test_check_reports_unmapped_elements() -> None:
    xml = example("peppol-bis3", "examples", "base-example.xml").replace(
        b"<cbc:DueDate>", b"<cbc:CopyIndicator>false</cbc:CopyIndicator><cbc:DueDate>", 1
    )
    report = einvoice.check(xml, as_of=AFTER_PEPPOL_RELEASE)
    unmapped = [i for i in report.issues if i.code == "einvoice.unmapped_element"]
    assert [i.loc for i in unmapped] == ["/Invoice/cbc:CopyIndicator"]


def test_unknown_rules_are_a_lookup_failure() -> None:
    with pytest.raises(LookupFailed) as caught:
        einvoice.check(example("peppol-bis3", "examples", "base-example.xml"), rules="nope")
    assert caught.value.code == "einvoice.unknown_rules"


@pytest.mark.parametrize("rules", ["", "  "])
def test_empty_rules_name_no_rule_set(rules: str) -> None:
    """An empty rules id is refused: running no rule set would pass any invoice."""
    with pytest.raises(LookupFailed) as caught:
        einvoice.check(example("peppol-bis3", "examples", "base-example.xml"), rules=rules)
    assert caught.value.code == "einvoice.unknown_rules"


def test_validate() -> None:
    good = example("peppol-bis3", "examples", "base-example.xml")
    assert einvoice.validate(good, as_of=AFTER_PEPPOL_RELEASE).value("BT-1") == "Snippet1"
    bad = good.replace(b"<cbc:ID>Snippet1</cbc:ID>", b"<cbc:ID></cbc:ID>", 1)
    with pytest.raises(ValidationError) as caught:
        einvoice.validate(bad, rules="en16931", as_of=AFTER_PEPPOL_RELEASE)
    assert "BR-02" in {i.rule_id for i in caught.value.issues}
    with pytest.raises(ValidationError) as rejected:
        einvoice.validate(b"not xml")
    assert rejected.value.code == "xml.not_xml"


@given(st.binary(max_size=300))
def test_check_never_raises_on_bad_input(data: bytes) -> None:
    report = einvoice.check(data, as_of=AFTER_PEPPOL_RELEASE)
    assert isinstance(report, Report)


# -- the catalogue of business terms -------------------------------------------------------


def test_catalogue_covers_the_standard() -> None:
    found = terms.terms()
    # BT-1 ... BT-165 less BT-4, which EN 16931-1 does not define
    numbered = {f"BT-{n}" for n in range(1, 166)} - {"BT-4"}
    assert numbered <= set(found)
    assert set(terms.groups()) == {f"BG-{n}" for n in range(1, 33)}
    assert {t for t in found if t.count("-") == 2} == {
        "BT-18-1", "BT-29-1", "BT-30-1", "BT-34-1", "BT-46-1", "BT-47-1", "BT-49-1",
        "BT-60-1", "BT-61-1", "BT-71-1", "BT-125-1", "BT-125-2", "BT-128-1", "BT-157-1",
        "BT-158-1", "BT-158-2",
    }  # fmt: skip
    assert all(t.type in terms.TYPES for t in found.values())
    assert all(t.parent == "INVOICE" or t.parent in terms.groups() for t in found.values())


@pytest.mark.parametrize(
    ("term_id", "name", "cardinality", "type_", "parent"),
    [
        # EN 16931-1:2017, table 2
        ("BT-1", "Invoice number", "1..1", "Identifier", "INVOICE"),
        ("BT-31", "Seller VAT identifier", "0..1", "Identifier", "BG-4"),
        ("BT-110", "Invoice total VAT amount", "0..1", "Amount", "BG-22"),
        ("BT-146", "Item net price", "1..1", "Unit Price Amount", "BG-29"),
        ("BT-129", "Invoiced quantity", "1..1", "Quantity", "BG-25"),
        ("BT-125", "Attached document", "0..1", "Binary object", "BG-24"),
    ],
)
def test_catalogue_entries(
    term_id: str, name: str, cardinality: str, type_: str, parent: str
) -> None:
    found = terms.term(term_id)
    assert (found.name, found.cardinality, found.type, found.parent) == (
        name,
        cardinality,
        type_,
        parent,
    )


def test_catalogue_groups_and_lookups() -> None:
    assert terms.group("BG-25").name == "INVOICE LINE"
    assert terms.group("BG-25").repeats
    assert terms.term("BT-29-1").attribute_of == "BT-29"
    with pytest.raises(LookupFailed):
        terms.term("BT-4")
    with pytest.raises(LookupFailed):
        terms.group("BG-99")
