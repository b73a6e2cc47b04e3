"""Conversion: the document in the target syntax, and every value it could not carry."""

from __future__ import annotations

import pytest
from lxml import etree

from defa import einvoice
from defa.einvoice.convert import Conversion, Loss
from defa.errors import InputRejected, LookupFailed
from tests.shared import shared_path

RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": RAM,
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def example(*parts: str) -> bytes:
    return shared_path("vectors", "einvoice", *parts).read_bytes()


def test_ubl_to_cii_document_holds_the_values() -> None:
    source = example("peppol-bis3", "examples", "base-example.xml")
    ubl = etree.fromstring(source)
    result = einvoice.convert(source, to="cii")
    assert isinstance(result, Conversion)
    cii = etree.fromstring(result.document)
    assert etree.QName(cii).localname == "CrossIndustryInvoice"
    assert cii.findtext("rsm:ExchangedDocument/ram:ID", namespaces=NS) == ubl.findtext(
        "cbc:ID", namespaces=NS
    )
    # 2017-11-13 in UBL is 20171113 in format 102 in CII
    issued = cii.find("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", NS)
    assert issued is not None
    assert (issued.text, issued.get("format")) == ("20171113", "102")
    assert ubl.findtext("cbc:IssueDate", namespaces=NS) == "2017-11-13"
    # the document total VAT keeps its currency; other amounts carry none in CII
    total = cii.find(".//ram:TaxTotalAmount", NS)
    assert total is not None
    assert total.get("currencyID") == "EUR"
    assert cii.find(".//ram:GrandTotalAmount", NS).get("currencyID") is None  # type: ignore[union-attr]
    assert result.losses == []
    assert result.report.valid
    assert result.report.meta["from"] == "ubl"
    assert result.report.meta["to"] == "cii"


def test_cii_to_ubl_adds_the_currency_ubl_requires() -> None:
    result = einvoice.convert(example("en16931", "examples-cii", "CII_example1.xml"), to="ubl")
    ubl = etree.fromstring(result.document)
    assert etree.QName(ubl).localname == "Invoice"
    amount = ubl.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
    assert amount is not None
    assert amount.get("currencyID") == "EUR"
    assert ubl.findtext("cbc:IssueDate", namespaces=NS) == "2015-01-09"


def test_a_note_subject_code_is_a_listed_loss_in_ubl() -> None:
    source = example("en16931", "examples-cii", "CII_example1.xml")
    result = einvoice.convert(source, to="ubl")
    # <ram:IncludedNote>...<ram:SubjectCode>AAR</ram:SubjectCode>: UBL has no element for BT-21
    (loss,) = [x for x in result.losses if x.term == "BT-21"]
    assert loss.value == "AAR"
    assert loss.path == (
        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode"
    )
    assert "no element for BT-21" in loss.reason
    warnings = [i for i in result.report.issues if i.code == "einvoice.value_not_carried"]
    assert [w.loc for w in warnings] == [loss.path]
    assert warnings[0].ctx["term"] == "BT-21"


def test_a_tax_scheme_cii_cannot_hold_is_a_listed_loss() -> None:
    # ubl-tc434-example5.xml: the seller's second PartyTaxScheme (BT-32) has TaxScheme "LOC";
    # CII carries BT-32 as a tax registration with schemeID="FC" and has no place for "LOC"
    source = example("en16931", "examples-ubl", "ubl-tc434-example5.xml")
    ubl = etree.fromstring(source)
    other = ubl.xpath(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID!='VAT']",
        namespaces=NS,
    )[0]
    result = einvoice.convert(source, to="cii")
    by_term = {x.term: x for x in result.losses}
    loss = by_term["BT-32@cac:TaxScheme/cbc:ID"]
    assert loss.value == other.findtext("cac:TaxScheme/cbc:ID", namespaces=NS) == "LOC"
    assert loss.path.endswith("/cac:PartyTaxScheme[2]/cbc:CompanyID")
    cii = etree.fromstring(result.document)
    assert cii.xpath(
        "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']/text()",
        namespaces=NS,
    ) == [other.findtext("cbc:CompanyID", namespaces=NS)]


def test_repeated_remittance_information_is_listed() -> None:
    # Invoice-Max_content.xml: four PaymentMeans each carry PaymentID 1800355 (BT-83);
    # CII has one ram:PaymentReference, so three occurrences are listed as not carried
    source = example("en16931", "testfiles", "Invoice-Max_content.xml")
    ubl = etree.fromstring(source)
    ids = ubl.xpath("cac:PaymentMeans/cbc:PaymentID/text()", namespaces=NS)
    assert ids == ["1800355"] * 4
    result = einvoice.convert(source, to="cii")
    repeats = [x for x in result.losses if x.term == "BT-83"]
    assert [x.value for x in repeats] == ids[1:]
    cii = etree.fromstring(result.document)
    assert cii.xpath("//ram:PaymentReference/text()", namespaces=NS) == ids[:1]


def test_losses_serialise() -> None:
    loss = Loss("BT-21", "/x", "AAR", "why")
    assert loss.to_dict() == {"term": "BT-21", "path": "/x", "value": "AAR", "reason": "why"}


def test_a_model_converts_directly() -> None:
    doc = einvoice.read(example("peppol-bis3", "examples", "base-creditnote-correction.xml"))
    assert doc.kind == "credit-note"
    result = einvoice.convert(doc, to="ubl")
    assert etree.QName(etree.fromstring(result.document)).localname == "CreditNote"


def test_same_syntax_conversion_normalises_without_loss() -> None:
    result = einvoice.convert(example("peppol-bis3", "examples", "base-example.xml"), to="ubl")
    assert result.losses == []


def test_unknown_target_and_bad_input() -> None:
    with pytest.raises(LookupFailed) as caught:
        einvoice.convert(b"<x/>", to="edifact")
    assert caught.value.code == "einvoice.unknown_syntax"
    with pytest.raises(InputRejected) as rejected:
        einvoice.convert(b"not xml", to="cii")
    assert rejected.value.code == "xml.not_xml"
