"""The CII reader against the official examples: values checked against the XML itself.

Expected values come from plain XPath over the same file, written from the EN 16931 CII
binding (CEN/TS 16931-3-3 as the validation artefacts apply it). Dates in format 102 are
expected as ISO dates, converted in the test by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from defa.einvoice.model import Group
from defa.einvoice.syntax import cii
from defa.errors import InputRejected
from tests.shared import shared_path

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
TX = "rsm:SupplyChainTradeTransaction"
AGREEMENT = f"{TX}/ram:ApplicableHeaderTradeAgreement"
SETTLEMENT = f"{TX}/ram:ApplicableHeaderTradeSettlement"
LINE = f"{TX}/ram:IncludedSupplyChainTradeLineItem"

BINDING = {
    "BT-1": "rsm:ExchangedDocument/ram:ID",
    "BT-3": "rsm:ExchangedDocument/ram:TypeCode",
    "BT-5": f"{SETTLEMENT}/ram:InvoiceCurrencyCode",
    "BT-10": f"{AGREEMENT}/ram:BuyerReference",
    "BT-13": f"{AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
    "BT-20": f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:Description",
    "BT-21": "rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode",
    "BT-22": "rsm:ExchangedDocument/ram:IncludedNote/ram:Content",
    "BT-24": "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
    "BT-27": f"{AGREEMENT}/ram:SellerTradeParty/ram:Name",
    "BT-29": f"{AGREEMENT}/ram:SellerTradeParty/ram:ID | {AGREEMENT}/ram:SellerTradeParty/"
    "ram:GlobalID",
    "BT-31": f"{AGREEMENT}/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/"
    "ram:ID[@schemeID='VA']",
    "BT-32": f"{AGREEMENT}/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/"
    "ram:ID[@schemeID='FC']",
    "BT-40": f"{AGREEMENT}/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID",
    "BT-44": f"{AGREEMENT}/ram:BuyerTradeParty/ram:Name",
    "BT-81": f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode",
    "BT-84": f"{SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/"
    "ram:PayeePartyCreditorFinancialAccount/*[self::ram:IBANID or self::ram:ProprietaryID]",
    "BT-90": f"{SETTLEMENT}/ram:CreditorReferenceID",
    "BT-92": f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/"
    "udt:Indicator='false']/ram:ActualAmount",
    "BT-99": f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/"
    "udt:Indicator='true']/ram:ActualAmount",
    "BT-106": f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    "ram:LineTotalAmount",
    "BT-112": f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    "ram:GrandTotalAmount",
    "BT-115": f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    "ram:DuePayableAmount",
    "BT-116": f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:BasisAmount",
    "BT-117": f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:CalculatedAmount",
    "BT-118": f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:CategoryCode",
    "BT-119": f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:RateApplicablePercent",
    "BT-126": f"{LINE}/ram:AssociatedDocumentLineDocument/ram:LineID",
    "BT-129": f"{LINE}/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity",
    "BT-130": f"{LINE}/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode",
    "BT-131": f"{LINE}/ram:SpecifiedLineTradeSettlement/"
    "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
    "BT-146": f"{LINE}/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
    "ram:ChargeAmount",
    "BT-148": f"{LINE}/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/"
    "ram:ChargeAmount",
    "BT-151": f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode",
    "BT-153": f"{LINE}/ram:SpecifiedTradeProduct/ram:Name",
    "BT-155": f"{LINE}/ram:SpecifiedTradeProduct/ram:SellerAssignedID",
    "BT-160": f"{LINE}/ram:SpecifiedTradeProduct/ram:ApplicableProductCharacteristic/"
    "ram:Description",
}
DATES = {
    "BT-2": "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
    "BT-9": f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
    "BT-73": f"{SETTLEMENT}/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString",
    "BT-74": f"{SETTLEMENT}/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString",
}


def cii_files() -> list[Path]:
    found = []
    for folder in (
        ("vectors", "einvoice", "en16931", "examples-cii"),
        ("vectors", "einvoice", "en16931", "testfiles"),
    ):
        for path in sorted(shared_path(*folder).rglob("*")):
            if (
                path.suffix.lower() == ".xml"
                and b"CrossIndustryInvoice" in path.read_bytes()[:2000]
            ):
                found.append(path)
    return found


FILES = cii_files()


def all_texts(doc: Group, term_id: str) -> list[str]:
    return [t.text for g in doc.walk() for t in g.all(term_id)]


def xpath_texts(root: etree._Element, xpath: str) -> list[str]:
    return [
        str(hit) if isinstance(hit, str) else hit.text or ""
        for hit in root.xpath(xpath, namespaces=NS)
    ]


def iso(text: str) -> str:
    """102 (YYYYMMDD) as ISO, by hand."""
    return f"{text[0:4]}-{text[4:6]}-{text[6:8]}"


def test_the_examples_are_found() -> None:
    assert len(FILES) >= 15


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_terms_match_the_binding_xpaths(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    doc = cii.read(path.read_bytes())
    assert doc.syntax == "cii"
    for term_id, xpath in BINDING.items():
        assert sorted(all_texts(doc, term_id)) == sorted(xpath_texts(root, xpath)), term_id
    for term_id, xpath in DATES.items():
        expected = [iso(t) for t in xpath_texts(root, xpath + "[@format='102']")]
        assert sorted(all_texts(doc, term_id)) == sorted(expected), term_id
    assert doc.issues == []  # every element of the official examples is bound


def test_bt1_and_issue_date_of_example1() -> None:
    path = shared_path("vectors", "einvoice", "en16931", "examples-cii", "CII_example1.xml")
    root = etree.parse(str(path)).getroot()
    doc = cii.read(path)
    assert doc.value("BT-1") == root.findtext("rsm:ExchangedDocument/ram:ID", namespaces=NS)
    assert doc.value("BT-1") == "12115118"
    assert doc.value("BT-2") == "2015-01-09"  # <udt:DateTimeString format="102">20150109
    assert doc.term("BT-2").date().isoformat() == "2015-01-09"  # type: ignore[union-attr]
    assert doc.term("BT-1").loc == "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"  # type: ignore[union-attr]
    lines = doc.children("BG-25")
    assert len(lines) == len(root.xpath(LINE, namespaces=NS))
    assert lines[1].loc == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
        "/ram:IncludedSupplyChainTradeLineItem[2]"
    )


def test_the_model_is_the_one_ubl_reads() -> None:
    path = shared_path("vectors", "einvoice", "en16931", "examples-cii", "CII_example1.xml")
    doc = cii.read(path)
    line = doc.children("BG-25")[0]
    # line VAT (BG-30) under the line, item terms in BG-31, price in BG-29
    assert line.child("BG-30").value("BT-151") == "S"  # type: ignore[union-attr]
    assert line.child("BG-31").value("BT-153") == "PATAT FRITES 10MM 10KG"  # type: ignore[union-attr]
    assert line.child("BG-29").value("BT-146") == "9.95"  # type: ignore[union-attr]
    assert line.value("BT-129") == "2"
    assert line.value("BT-130") == "H87"


def tiny(type_code: str, extra: str = "") -> bytes:
    return (
        f'<rsm:CrossIndustryInvoice xmlns:rsm="{NS["rsm"]}" xmlns:ram="{NS["ram"]}"'
        f' xmlns:udt="{NS["udt"]}"><rsm:ExchangedDocument><ram:ID>CN-1</ram:ID>'
        f"<ram:TypeCode>{type_code}</ram:TypeCode>"
        f'<ram:IssueDateTime><udt:DateTimeString format="610">201501</udt:DateTimeString>'
        f"</ram:IssueDateTime></rsm:ExchangedDocument>{extra}</rsm:CrossIndustryInvoice>"
    ).encode()


def test_credit_note_by_type_code() -> None:
    assert cii.read(tiny("381")).kind == "credit-note"
    assert cii.read(tiny("380")).kind == "invoice"


def test_other_date_formats_are_kept_verbatim() -> None:
    doc = cii.read(tiny("380"))
    issued = doc.term("BT-2")
    assert issued is not None
    assert (issued.text, issued.attrs) == ("201501", {"format": "610"})
    again = cii.read(cii.write(doc))
    assert again.to_dict() == doc.to_dict()


def test_vat_breakdown_dates_and_codes_are_document_terms() -> None:
    settlement = (
        "<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement>"
        "<ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>"
        "<ram:CategoryCode>S</ram:CategoryCode>"
        '<ram:TaxPointDate><udt:DateString format="102">20240131</udt:DateString>'
        "</ram:TaxPointDate></ram:ApplicableTradeTax>"
        "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
    )
    doc = cii.read(tiny("380", settlement))
    assert doc.value("BT-7") == "2024-01-31"
    assert doc.children("BG-23")[0].value("BT-118") == "S"


def test_a_non_vat_tax_type_is_kept_on_the_category() -> None:
    settlement = (
        "<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement>"
        "<ram:ApplicableTradeTax><ram:TypeCode>GST</ram:TypeCode>"
        "<ram:CategoryCode>SR</ram:CategoryCode></ram:ApplicableTradeTax>"
        "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
    )
    doc = cii.read(tiny("380", settlement))
    category = doc.children("BG-23")[0].term("BT-118")
    assert category is not None
    assert category.attrs == {"ram:TypeCode": "GST"}
    assert b"<ram:TypeCode>GST</ram:TypeCode>" in cii.write(doc)


@pytest.mark.parametrize(
    ("xml", "code"),
    [
        (f"<rsm:Invoice xmlns:rsm='{NS['rsm']}'/>".encode(), "xml.wrong_root"),
        (b"<CrossIndustryInvoice xmlns='urn:example:other'/>", "xml.wrong_namespace"),
    ],
)  # fmt: skip
def test_wrong_documents_are_rejected(xml: bytes, code: str) -> None:
    with pytest.raises(InputRejected) as caught:
        cii.read(xml)
    assert caught.value.code == code
