"""The UBL binding holds what the official PINT SG 1.4.1 examples carry beyond EN 16931.

PINT SG documents carry a UUID (``/*/cbc:UUID``, BT-SG-003, BR-108/109-GST-SG), a buyer's
and tax representative's GST identifier (``cac:PartyTaxScheme`` under ``GST``: BT-48-GST,
BT-63-GST, BR-56-GST-SG) and the totals in SGD (``cac:AdditionalDocumentReference`` typed
``sgdtotal-excl-gst``/``sgdtotal-incl-gst``, BR-53-GST-SG). Expected values are read from the
examples themselves with XPath, not from the model.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from defa import einvoice
from defa.einvoice.syntax.ubl_binding import (
    BUYER_TAX_ID,
    CAC,
    CBC,
    REPRESENTATIVE_TAX_ID,
    SG_TOTAL_EXCL,
    SG_TOTAL_INCL,
    SG_UUID,
)
from tests.shared import shared_path

NS = {"cac": CAC, "cbc": CBC}
EXAMPLES = sorted(shared_path("vectors", "einvoice", "pint-sg", "1.4.1").glob("*.xml"))
ON = "2026-07-01"  # a day the PINT SG rules are in force


def _xpath(path: Path, expr: str) -> list[str]:
    found = etree.parse(str(path)).xpath(expr, namespaces=NS)
    assert isinstance(found, list)
    return [str(x) for x in found]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:24])
def test_an_official_example_reads_with_no_unmapped_element(path: Path) -> None:
    doc = einvoice.read(path.read_bytes())
    assert [i.loc for i in doc.issues if i.code == "einvoice.unmapped_element"] == []
    assert [t.text for t in doc.all(SG_UUID)] == _xpath(path, "/*/cbc:UUID/text()")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:24])
def test_an_official_example_converts_to_itself_valid_and_whole(path: Path) -> None:
    result = einvoice.convert(path.read_bytes(), to="sg-pint", as_of=date.fromisoformat(ON))
    assert result.losses == []
    assert result.check is not None
    errors = [i.rule_id for i in result.check.issues if i.severity.name in ("ERROR", "FATAL")]
    assert errors == []
    out = etree.fromstring(result.document)
    assert out.xpath("/*/cbc:UUID/text()", namespaces=NS) == _xpath(path, "/*/cbc:UUID/text()")


def test_the_tax_representative_gst_identifier_is_carried() -> None:
    (path,) = [p for p in EXAMPLES if "example 02" in p.name]
    scheme = "cac:TaxRepresentativeParty/cac:PartyTaxScheme"
    expected = _xpath(path, f"/*/{scheme}[cac:TaxScheme/cbc:ID='GST']/cbc:CompanyID/text()")
    assert expected  # the example has one
    doc = einvoice.read(path.read_bytes())
    representative = doc.child("BG-11")
    assert representative is not None
    assert [t.text for t in representative.all(REPRESENTATIVE_TAX_ID)] == expected
    assert representative.all("BT-63") == []  # BT-63 is the VAT identifier
    written = etree.fromstring(einvoice.write(doc, "ubl"))
    assert written.xpath(f"/*/{scheme}/cac:TaxScheme/cbc:ID/text()", namespaces=NS) == ["GST"]


def test_the_buyer_gst_identifier_is_carried() -> None:
    (path,) = [p for p in EXAMPLES if "example 05" in p.name]
    party = "/*/cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme"
    expected = _xpath(path, f"{party}[cac:TaxScheme/cbc:ID='GST']/cbc:CompanyID/text()")
    assert expected
    buyer = einvoice.read(path.read_bytes()).child("BG-7")
    assert buyer is not None
    assert [t.text for t in buyer.all(BUYER_TAX_ID)] == expected


def test_the_sgd_totals_are_carried() -> None:
    (path,) = [p for p in EXAMPLES if "example 16" in p.name]
    reference = "/*/cac:AdditionalDocumentReference[cbc:DocumentTypeCode='{}']"
    excl = _xpath(path, reference.format("sgdtotal-excl-gst") + "/cbc:DocumentDescription/text()")
    incl = _xpath(path, reference.format("sgdtotal-incl-gst") + "/cbc:DocumentDescription/text()")
    doc = einvoice.read(path.read_bytes())
    assert [t.text for t in doc.all(SG_TOTAL_EXCL)] == excl
    assert [t.text for t in doc.all(SG_TOTAL_INCL)] == incl
    # an SGD total is no supporting document (BG-24)
    assert all(not g.all("BT-122") or g.value("BT-122") != "SGD" for g in doc.children("BG-24"))
    written = etree.fromstring(einvoice.write(doc, "ubl"))
    for code, values in (("sgdtotal-excl-gst", excl), ("sgdtotal-incl-gst", incl)):
        found = written.xpath(reference.format(code), namespaces=NS)
        assert isinstance(found, list)
        assert [
            (r.findtext(f"{{{CBC}}}ID"), r.findtext(f"{{{CBC}}}DocumentDescription")) for r in found
        ] == [("SGD", v) for v in values]  # type: ignore[union-attr]


def test_a_uuid_has_no_place_in_cii_and_is_reported() -> None:
    (path,) = [p for p in EXAMPLES if "example 04" in p.name]
    result = einvoice.convert(path.read_bytes(), to="cii")
    assert SG_UUID in {loss.term for loss in result.losses}
