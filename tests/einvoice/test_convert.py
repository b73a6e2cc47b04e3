"""Conversion: the document in the target syntax, and every value it could not carry."""

from __future__ import annotations

import pytest
from lxml import etree

from defa import einvoice
from defa.einvoice.convert import Conversion, Loss
from defa.einvoice.model import Invoice
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


def test_a_note_subject_code_crosses_as_the_ubl_note_prefix() -> None:
    # CII_example1.xml: <ram:IncludedNote><ram:Content>Alle leveringen ...</ram:Content>
    # <ram:SubjectCode>AAR</ram:SubjectCode>; UBL has no element for BT-21 and the EN 16931
    # artefacts read it from the note as "#AAR#..." (BR-CL-08)
    source = example("en16931", "examples-cii", "CII_example1.xml")
    cii = etree.fromstring(source)
    content = cii.findtext("rsm:ExchangedDocument/ram:IncludedNote/ram:Content", namespaces=NS)
    result = einvoice.convert(source, to="ubl")
    assert result.losses == []
    ubl = etree.fromstring(result.document)
    assert ubl.findtext("cbc:Note", namespaces=NS) == f"#AAR#{content}"
    back = etree.fromstring(einvoice.convert(result.document, to="cii").document)
    note = back.find("rsm:ExchangedDocument/ram:IncludedNote", NS)
    assert note is not None
    assert note.findtext("ram:SubjectCode", namespaces=NS) == "AAR"
    assert note.findtext("ram:Content", namespaces=NS) == content


def test_vat_point_date_code_is_translated() -> None:
    # ubl-tc434-example2.xml: cac:InvoicePeriod/cbc:DescriptionCode 3 (UNTDID 2005, invoice
    # date); CII codes the same meaning 5 (UNTDID 2475), in its VAT breakdown
    source = example("en16931", "examples-ubl", "ubl-tc434-example2.xml")
    ubl = etree.fromstring(source)
    assert ubl.findtext("cac:InvoicePeriod/cbc:DescriptionCode", namespaces=NS) == "3"
    result = einvoice.convert(source, to="cii")
    assert result.losses == []
    cii = etree.fromstring(result.document)
    assert cii.xpath("//ram:ApplicableTradeTax/ram:DueDateTypeCode/text()", namespaces=NS) == ["5"]
    back = etree.fromstring(einvoice.convert(result.document, to="ubl").document)
    assert back.findtext("cac:InvoicePeriod/cbc:DescriptionCode", namespaces=NS) == "3"


def test_a_term_with_no_place_in_the_target_is_a_listed_loss() -> None:
    # two subject codes for one note cannot both go into the UBL note's text
    source = example("en16931", "examples-cii", "CII_example1.xml").replace(
        b"<ram:SubjectCode>AAR</ram:SubjectCode>",
        b"<ram:SubjectCode>AAR</ram:SubjectCode><ram:SubjectCode>AAI</ram:SubjectCode>",
    )
    result = einvoice.convert(source, to="ubl")
    lost = sorted((x.term, x.value) for x in result.losses)
    assert lost == [("BT-21", "AAI"), ("BT-21", "AAR")]
    (first, _) = [x for x in result.losses if x.term == "BT-21"]
    assert first.path.startswith("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:IncludedNote")
    assert "no element for BT-21" in first.reason
    warnings = [i for i in result.report.issues if i.code == "einvoice.value_not_carried"]
    assert len(warnings) == 2
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
    assert caught.value.code == "einvoice.unknown_format"
    with pytest.raises(InputRejected) as rejected:
        einvoice.convert(b"not xml", to="cii")
    assert rejected.value.code == "xml.not_xml"


def test_a_gross_price_base_quantity_is_a_listed_loss_in_ubl() -> None:
    # CII_example2.xml gives the gross price (ram:GrossPriceProductTradePrice) a base
    # quantity of its own; UBL's cac:Price has one cbc:BaseQuantity, the net price's
    source = example("en16931", "examples-cii", "CII_example2.xml")
    cii = etree.fromstring(source)
    gross = cii.xpath("//ram:GrossPriceProductTradePrice/ram:BasisQuantity", namespaces=NS)
    assert gross
    result = einvoice.convert(source, to="ubl")
    lost = [(x.term, x.value) for x in result.losses]
    assert lost == [("BT-149", q.text) for q in gross] + [
        ("BT-150", q.get("unitCode")) for q in gross
    ]
    ubl = etree.fromstring(result.document)
    for price in ubl.xpath("//cac:Price", namespaces=NS):
        assert len(price.findall("cbc:BaseQuantity", NS)) <= 1


def test_a_cii_credit_note_becomes_a_ubl_credit_note() -> None:
    # type code 381 makes a credit note; a UBL CreditNote carries the payment due date
    # (BT-9) in cac:PaymentMeans, so without payment means it cannot be carried
    source = example("en16931", "examples-cii", "CII_example1.xml")
    cii = etree.fromstring(source)
    due = cii.findtext(
        ".//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString", namespaces=NS
    )
    assert due is not None
    assert len(due) == 8
    credit = source.replace(
        b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>381</ram:TypeCode>", 1
    )
    result = einvoice.convert(credit, to="ubl")
    ubl = etree.fromstring(result.document)
    assert etree.QName(ubl).localname == "CreditNote"
    assert ubl.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    iso_due = f"{due[:4]}-{due[4:6]}-{due[6:]}"
    assert ubl.xpath("cac:PaymentMeans/cbc:PaymentDueDate/text()", namespaces=NS)[:1] == [iso_due]
    assert result.losses == []

    # without payment means (nor the remittance information, BT-83, that would make one)
    no_means = etree.fromstring(credit)
    for tag in ("ram:SpecifiedTradeSettlementPaymentMeans", "ram:PaymentReference"):
        for means in no_means.findall(f".//{tag}", NS):
            means.getparent().remove(means)  # type: ignore[union-attr]
    lost = einvoice.convert(etree.tostring(no_means), to="ubl").losses
    assert [(x.term, x.value) for x in lost if x.term == "BT-9"] == [("BT-9", iso_due)]


@pytest.mark.parametrize(
    "parts",
    [
        ("peppol-bis3", "examples", "base-example.xml"),
        ("en16931", "examples-ubl", "ubl-tc434-creditnote1.xml"),
        ("en16931", "examples-cii", "CII_example2.xml"),
        ("pint-sg", "1.4.1", "PINT-SG INV example 16 - GST in SGD.xml"),
    ],
)
@pytest.mark.parametrize("to", ["ubl", "cii", "peppol-bis3"])
def test_the_output_read_back_is_the_document_parsed(parts: tuple[str, ...], to: str) -> None:
    # a conversion reads back the tree it wrote; parsing the bytes it returns gives the same
    # terms at the same places, the same findings and the same check
    result = einvoice.convert(example(*parts), to=to)
    assert result.output is not None
    assert result.check is not None
    parsed = einvoice.read(result.document)

    def terms(doc: Invoice) -> list[tuple[str, str, str, dict[str, str]]]:
        return [
            (t.id, t.text, t.loc, t.attrs)
            for g in doc.walk()
            for ts in g.terms.values()
            for t in ts
        ]

    assert terms(result.output) == terms(parsed)
    assert result.output.issues == parsed.issues
    assert einvoice.check(parsed, format=to).issues == result.check.issues
