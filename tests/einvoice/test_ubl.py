"""The UBL reader against the official examples: values checked against the XML itself.

Expected values are read in each test with plain XPath over the same file, written from
the EN 16931 UBL binding (CEN/TS 16931-3-2 as the validation artefacts apply it), never
from the reader's own output.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from defa.einvoice.model import Group, Invoice
from defa.einvoice.syntax import ubl
from defa.errors import InputRejected
from tests.shared import shared_path

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
UBL_ROOTS = {"Invoice", "CreditNote"}

# term -> XPath from the document element, after the EN 16931 UBL binding. Each value the
# XPath selects must be read as that term, and nothing else.
BINDING = {
    "BT-1": "cbc:ID",
    "BT-2": "cbc:IssueDate",
    "BT-3": "cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode",
    "BT-5": "cbc:DocumentCurrencyCode",
    "BT-6": "cbc:TaxCurrencyCode",
    "BT-7": "cbc:TaxPointDate",
    "BT-10": "cbc:BuyerReference",
    "BT-13": "cac:OrderReference/cbc:ID",
    "BT-19": "cbc:AccountingCost",
    "BT-20": "cac:PaymentTerms/cbc:Note",
    "BT-22": "cbc:Note",
    "BT-23": "cbc:ProfileID",
    "BT-24": "cbc:CustomizationID",
    "BT-25": "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
    "BT-27": "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
    "BT-29": "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID"
    "[not(@schemeID='SEPA')]",
    "BT-29-1": "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID"
    "[not(@schemeID='SEPA')]/@schemeID",
    "BT-31": "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"
    "[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID",
    "BT-32": "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"
    "[cac:TaxScheme/cbc:ID!='VAT']/cbc:CompanyID",
    "BT-34": "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID",
    "BT-34-1": "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID/@schemeID",
    "BT-40": "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/"
    "cbc:IdentificationCode",
    "BT-44": "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
    "BT-48": "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme"
    "[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID",
    "BT-55": "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/"
    "cbc:IdentificationCode",
    "BT-72": "cac:Delivery/cbc:ActualDeliveryDate",
    "BT-81": "cac:PaymentMeans/cbc:PaymentMeansCode",
    "BT-84": "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID",
    "BT-92": "cac:AllowanceCharge[cbc:ChargeIndicator='false' or cbc:ChargeIndicator='0']"
    "/cbc:Amount",
    "BT-99": "cac:AllowanceCharge[cbc:ChargeIndicator='true' or cbc:ChargeIndicator='1']"
    "/cbc:Amount",
    "BT-106": "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
    "BT-109": "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
    "BT-112": "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
    "BT-115": "cac:LegalMonetaryTotal/cbc:PayableAmount",
    "BT-116": "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount",
    "BT-117": "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount",
    "BT-118": "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID",
    "BT-126": "(cac:InvoiceLine | cac:CreditNoteLine)/cbc:ID",
    "BT-129": "cac:InvoiceLine/cbc:InvoicedQuantity | cac:CreditNoteLine/cbc:CreditedQuantity",
    "BT-130": "cac:InvoiceLine/cbc:InvoicedQuantity/@unitCode"
    " | cac:CreditNoteLine/cbc:CreditedQuantity/@unitCode",
    "BT-131": "(cac:InvoiceLine | cac:CreditNoteLine)/cbc:LineExtensionAmount",
    "BT-136": "(cac:InvoiceLine | cac:CreditNoteLine)/cac:AllowanceCharge"
    "[cbc:ChargeIndicator='false' or cbc:ChargeIndicator='0']/cbc:Amount",
    "BT-141": "(cac:InvoiceLine | cac:CreditNoteLine)/cac:AllowanceCharge"
    "[cbc:ChargeIndicator='true' or cbc:ChargeIndicator='1']/cbc:Amount",
    "BT-146": "(cac:InvoiceLine | cac:CreditNoteLine)/cac:Price/cbc:PriceAmount",
    "BT-151": "(cac:InvoiceLine | cac:CreditNoteLine)/cac:Item/cac:ClassifiedTaxCategory/cbc:ID",
    "BT-152": "(cac:InvoiceLine | cac:CreditNoteLine)/cac:Item/cac:ClassifiedTaxCategory/"
    "cbc:Percent",
    "BT-153": "(cac:InvoiceLine | cac:CreditNoteLine)/cac:Item/cbc:Name",
    "BT-158": "(cac:InvoiceLine | cac:CreditNoteLine)/cac:Item/cac:CommodityClassification/"
    "cbc:ItemClassificationCode",
    "BT-158-1": "(cac:InvoiceLine | cac:CreditNoteLine)/cac:Item/cac:CommodityClassification/"
    "cbc:ItemClassificationCode/@listID",
}


def ubl_files() -> list[Path]:
    """Every UBL Invoice/CreditNote document among the official examples and test files."""
    found = []
    for folder in (
        ("vectors", "einvoice", "en16931", "examples-ubl"),
        ("vectors", "einvoice", "en16931", "testfiles"),
        ("vectors", "einvoice", "peppol-bis3", "examples"),
    ):
        for path in sorted(shared_path(*folder).rglob("*")):
            if path.suffix.lower() == ".xml" and _root_name(path) in UBL_ROOTS:
                found.append(path)
    return found


def _root_name(path: Path) -> str:
    for _event, el in etree.iterparse(str(path), events=("start",)):
        return etree.QName(el).localname
    return ""


def all_texts(doc: Group, term_id: str) -> list[str]:
    return [t.text for g in doc.walk() for t in g.all(term_id)]


def xpath_texts(root: etree._Element, xpath: str) -> list[str]:
    out = []
    for hit in root.xpath(xpath, namespaces=NS):
        out.append(str(hit) if isinstance(hit, str) else hit.text or "")
    return out


FILES = ubl_files()


def test_the_examples_are_found() -> None:
    # 19 examples-ubl + 29 testfiles + 9 Peppol examples, as published
    assert len(FILES) >= 50


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_terms_match_the_binding_xpaths(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    doc = ubl.read(path.read_bytes())
    for term_id, xpath in BINDING.items():
        assert sorted(all_texts(doc, term_id)) == sorted(xpath_texts(root, xpath)), term_id


def test_bt1_of_tc434_example1() -> None:
    path = shared_path("vectors", "einvoice", "en16931", "examples-ubl", "ubl-tc434-example1.xml")
    root = etree.parse(str(path)).getroot()
    doc = ubl.read(path)
    assert doc.kind == "invoice"
    assert doc.syntax == "ubl"
    assert doc.value("BT-1") == root.findtext("cbc:ID", namespaces=NS)
    assert doc.term("BT-1") is not None
    assert doc.term("BT-1").loc == "/Invoice/cbc:ID"  # type: ignore[union-attr]
    assert doc.tree is not None


def max_content() -> Invoice:
    path = shared_path("vectors", "einvoice", "en16931", "testfiles", "Invoice-Max_content.xml")
    return ubl.read(path)


def test_seller_vat_and_tax_registration_are_told_apart() -> None:
    seller = max_content().child("BG-4")
    assert seller is not None
    # Invoice-Max_content.xml: TaxScheme VAT -> SE123456789001, TaxScheme TAX -> F-skatt text
    assert seller.value("BT-31") == "SE123456789001"
    assert seller.value("BT-32") == "Godkänd för F-skatt"


def test_document_allowances_charges_and_tax_totals() -> None:
    doc = max_content()
    (allowance,) = doc.children("BG-20")
    (charge,) = doc.children("BG-21")
    assert allowance.value("BT-98") == "95"
    assert charge.value("BT-105") == "WH"
    totals = doc.child("BG-22")
    assert totals is not None
    # two TaxTotal elements: SEK 2500 with the breakdown, EUR 249 in the VAT currency
    assert totals.value("BT-110") == "2500"
    assert totals.value("BT-111") == "249"
    assert totals.term("BT-111").attrs == {"currencyID": "EUR"}  # type: ignore[union-attr]
    assert [g.value("BT-118") for g in doc.children("BG-23")] == ["S", "E"]


def test_line_structure_and_locations() -> None:
    doc = max_content()
    lines = doc.children("BG-25")
    assert [line.value("BT-126") for line in lines] == ["1", "2"]
    assert lines[1].loc == "/Invoice/cac:InvoiceLine[2]"
    assert lines[1].term("BT-131").loc == (  # type: ignore[union-attr]
        "/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount"
    )
    first = lines[0]
    assert first.value("BT-129") == "500"
    assert first.value("BT-130") == "MTR"
    assert first.term("BT-130").loc.endswith("/cbc:InvoicedQuantity/@unitCode")  # type: ignore[union-attr]
    assert first.decimal("BT-131") is not None
    # VAT information is the line's (BG-30), the item's other terms are BG-31's
    assert first.child("BG-30").value("BT-151") == "S"  # type: ignore[union-attr]
    item = first.child("BG-31")
    assert item is not None
    assert item.value("BT-153") == "Universal product"
    assert [p.value("BT-160") for p in item.children("BG-32")] == ["Surface grade", "Density"]
    assert first.child("BG-29").value("BT-147") == "0.50"  # type: ignore[union-attr]
    assert len(first.children("BG-27")) == 1
    assert len(first.children("BG-28")) == 1


def test_credit_note() -> None:
    path = shared_path(
        "vectors", "einvoice", "en16931", "examples-ubl", "ubl-tc434-creditnote1.xml"
    )
    root = etree.parse(str(path)).getroot()
    doc = ubl.read(path)
    assert doc.kind == "credit-note"
    assert doc.value("BT-3") == root.findtext("cbc:CreditNoteTypeCode", namespaces=NS)
    quantities = root.xpath("cac:CreditNoteLine/cbc:CreditedQuantity", namespaces=NS)
    assert [line.value("BT-129") for line in doc.children("BG-25")] == [q.text for q in quantities]
    assert doc.children("BG-25")[0].loc.startswith("/CreditNote/cac:CreditNoteLine")


def unit_test_documents() -> Iterator[etree._Element]:
    for folder in (
        ("vectors", "einvoice", "en16931", "Invoice-unit-UBL"),
        ("vectors", "einvoice", "en16931", "CreditNote-unit-UBL"),
        ("vectors", "einvoice", "peppol-bis3", "unit-UBL-PEPPOL"),
    ):
        for path in sorted(shared_path(*folder).rglob("*.xml")):
            root = etree.parse(str(path)).getroot()
            yield from root.iter(f"{{{ubl.binding.INVOICE}}}Invoice")
            yield from root.iter(f"{{{ubl.binding.CREDIT_NOTE}}}CreditNote")


def test_every_unit_test_fragment_reads() -> None:
    count = 0
    for element in unit_test_documents():
        doc = ubl.read(element)
        assert doc.tree is element
        count += 1
    assert count > 1000  # the two suites hold well over a thousand fragments


def test_unmapped_elements_are_findings_not_errors() -> None:
    xml = (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
        b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b"<cbc:ID>1</cbc:ID><cbc:CopyIndicator>false</cbc:CopyIndicator>"
        b"<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:FreeOfChargeIndicator>true"
        b"</cbc:FreeOfChargeIndicator></cac:InvoiceLine></Invoice>"
    )
    doc = ubl.read(xml)
    assert doc.value("BT-1") == "1"
    assert [(i.code, i.loc) for i in doc.issues] == [
        ("einvoice.unmapped_element", "/Invoice/cbc:CopyIndicator"),
        ("einvoice.unmapped_element", "/Invoice/cac:InvoiceLine/cbc:FreeOfChargeIndicator"),
    ]


def test_a_bare_fragment_reads() -> None:
    xml = (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
        b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b"<cac:InvoiceLine><cbc:InvoicedQuantity>x</cbc:InvoicedQuantity></cac:InvoiceLine>"
        b"</Invoice>"
    )
    doc = ubl.read(xml)
    (line,) = doc.children("BG-25")
    assert line.value("BT-129") == "x"
    assert line.decimal("BT-129") is None  # kept verbatim; typed views fail softly


@pytest.mark.parametrize(
    ("xml", "code"),
    [
        (
            b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>",
            "xml.wrong_root",
        ),
        (b"<Invoice xmlns='urn:example:not-ubl'/>", "xml.wrong_namespace"),
        (b"<Invoice/>", "xml.wrong_namespace"),
    ],
)
def test_wrong_documents_are_rejected(xml: bytes, code: str) -> None:
    with pytest.raises(InputRejected) as caught:
        ubl.read(xml)
    assert caught.value.code == code


def test_groups_of_empty_elements_are_present() -> None:
    # the EN 16931 unit tests judge an empty cac:PostalAddress present (BR-08) and an empty
    # cac:BillingReference a preceding invoice reference without its id (BR-55)
    xml = (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
        b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b"<cac:BillingReference/><cac:AccountingSupplierParty><cac:Party><cac:PostalAddress/>"
        b"</cac:Party></cac:AccountingSupplierParty></Invoice>"
    )
    doc = ubl.read(xml)
    assert len(doc.children("BG-3")) == 1
    assert doc.child("BG-4").child("BG-5") is not None  # type: ignore[union-attr]
    assert ubl.read(ubl.write(doc)).to_dict() == doc.to_dict()


def test_a_non_vat_buyer_tax_scheme_is_no_buyer_vat_identifier() -> None:
    # BT-48 is the buyer's VAT identifier (EN 16931 BR-48 reads it under the VAT scheme
    # only); another scheme's identifier is the extension term BT-48-TAX, its scheme kept.
    xml = (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
        b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b"<cac:AccountingCustomerParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>X1"
        b"</cbc:CompanyID><cac:TaxScheme><cbc:ID>COM</cbc:ID></cac:TaxScheme>"
        b"</cac:PartyTaxScheme></cac:Party></cac:AccountingCustomerParty></Invoice>"
    )
    doc = ubl.read(xml)
    assert not any(g.has("BT-48") for g in doc.walk())
    assert doc.issues == []
    buyer = doc.child("BG-7")
    assert buyer is not None
    (tax_id,) = buyer.all("BT-48-TAX")
    assert (tax_id.text, tax_id.attrs) == ("X1", {"cac:TaxScheme/cbc:ID": "COM"})
    assert b"<cbc:ID>COM</cbc:ID>" in ubl.write(doc)


def test_a_line_reference_without_document_type_is_noted() -> None:
    # UBL binds BT-128 to cac:DocumentReference/cbc:ID; its DocumentTypeCode should be 130.
    # Its absence is kept as "" on the term so rules can tell, and is written back as absent.
    xml = (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
        b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b'<cac:InvoiceLine><cac:DocumentReference><cbc:ID schemeID="AAA">R1</cbc:ID>'
        b"</cac:DocumentReference></cac:InvoiceLine></Invoice>"
    )
    doc = ubl.read(xml)
    ref = doc.children("BG-25")[0].term("BT-128")
    assert ref is not None
    assert ref.attrs == {"cbc:DocumentTypeCode": ""}
    written = ubl.write(doc)
    assert b"DocumentTypeCode" not in written
    assert ubl.read(written).to_dict() == doc.to_dict()


def test_a_credit_note_due_date_round_trips_in_bare_payment_means() -> None:
    xml = (
        b'<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
        b' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b"<cac:PaymentMeans><cbc:PaymentDueDate>2024-02-29</cbc:PaymentDueDate>"
        b"</cac:PaymentMeans></CreditNote>"
    )
    doc = ubl.read(xml)
    assert doc.value("BT-9") == "2024-02-29"
    again = ubl.read(ubl.write(doc))
    assert again.to_dict() == doc.to_dict()
    assert again.value("BT-9") == "2024-02-29"
