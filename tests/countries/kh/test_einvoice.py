"""Cambodia CamInvoice: a UBL format, recognised by a Cambodian seller, with the occurrences
of GDT's developer portal (developer.e-invoice.gov.kh, "Invoice Structure").

The portal document below is written by hand from the portal's element table and its
examples; the EN 16931 example ``examples-ubl/ubl-tc434-example1.xml`` with its seller moved
to Cambodia shows what a European invoice lacks for CamInvoice.
"""

from __future__ import annotations

from datetime import date

from defa import einvoice
from defa.countries.kh import einvoice as kh
from defa.einvoice.model import Invoice
from defa.errors import Severity
from tests.shared import shared_path

# The example is dated 2015; the rules are judged as of a day CamInvoice is in force.
ON = date(2026, 1, 1)
EXAMPLE = ("vectors", "einvoice", "en16931", "examples-ubl", "ubl-tc434-example1.xml")


def _cambodian() -> Invoice:
    doc = einvoice.read(shared_path(*EXAMPLE))
    seller = doc.child("BG-4")
    assert seller is not None
    address = seller.child("BG-5")
    assert address is not None
    address.all("BT-40")[0].text = "KH"
    return doc


def test_a_cambodian_seller_is_recognised() -> None:
    assert kh.is_cambodian(_cambodian())
    assert not kh.is_cambodian(einvoice.read(shared_path(*EXAMPLE)))


def test_a_european_invoice_lacks_the_buyers_caminvoice_id_tin_and_contact() -> None:
    # The portal: the customer's EndpointID (CamInvoice ID), PartyTaxScheme and Contact are
    # [1..1]; the EN 16931 example has none of them, nor a seller contact.
    fired = [
        (i.rule_id, i.severity, i.ctx.get("missing"))
        for i in einvoice.check(_cambodian(), rules="kh-caminvoice", as_of=ON).issues
    ]
    assert fired == [
        ("KH-CAMINVOICE-06", Severity.ERROR, None),
        ("KH-CAMINVOICE-07", Severity.ERROR, None),
        ("KH-CAMINVOICE-08", Severity.WARNING, "BG-6"),
    ]


def test_format_is_ubl_from_the_gdt_developer_portal() -> None:
    (fmt,) = kh.FORMATS
    assert (fmt.id, fmt.syntax, fmt.rules, fmt.country) == (
        "kh-caminvoice",
        "ubl",
        "kh-caminvoice",
        "KH",
    )
    assert fmt.confidence == "public-docs"
    assert fmt.matches(_cambodian())
    assert "developer.e-invoice.gov.kh" in fmt.source


# Written by hand from the portal's Invoice element table (in its order: ID, IssueDate,
# DueDate, InvoiceTypeCode, DocumentCurrencyCode, the two parties, TaxTotal,
# LegalMonetaryTotal, InvoiceLine) and its examples: the customer party is the portal's
# example (KHUID00001234, K008-0000002, Angkar Battambong), the supplier's address, legal
# name and contact those of its supplier example. Hand arithmetic: 10 x 4 000 = 40 000 KHR;
# VAT 10% = 4 000; payable 44 000.
PORTAL_INVOICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>INV-0001</cbc:ID>
  <cbc:IssueDate>2026-01-15</cbc:IssueDate>
  <cbc:DueDate>2026-02-15</cbc:DueDate>
  <cbc:InvoiceTypeCode>388</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>KHR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID>KHUID00005678</cbc:EndpointID>
    <cac:PartyName><cbc:Name>\xe1\x9e\x80\xe1\x9f\x92\xe1\x9e\x9a\xe1\x9e\xbb\xe1\x9e\x98\
\xe1\x9e\x9f\xe1\x9f\x8a\xe1\x9e\xbb\xe1\x9e\x93 \xe1\x9e\x80</cbc:Name></cac:PartyName>
    <cac:PostalAddress>
      <cbc:StreetName>Main street</cbc:StreetName>
      <cbc:CityName>Phnom Penh</cbc:CityName>
      <cbc:PostalZone>12100</cbc:PostalZone>
      <cac:Country><cbc:IdentificationCode>KH</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>K001-123456789</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Company Kor</cbc:RegistrationName>
      <cbc:CompanyID>0001000001</cbc:CompanyID></cac:PartyLegalEntity>
    <cac:Contact><cbc:Telephone>023123123</cbc:Telephone>
      <cbc:ElectronicMail>sample@gmail.com</cbc:ElectronicMail></cac:Contact>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID>KHUID00001234</cbc:EndpointID>
    <cac:PostalAddress>
      <cbc:StreetName>Battambong</cbc:StreetName>
      <cbc:CityName>Battambang</cbc:CityName>
      <cac:Country><cbc:IdentificationCode>KH</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>K008-0000002</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Angkar Battambong</cbc:RegistrationName>
      <cbc:CompanyID>0005000002</cbc:CompanyID></cac:PartyLegalEntity>
    <cac:Contact><cbc:Telephone>+8550934534433</cbc:Telephone>
      <cbc:ElectronicMail>angkar_battambong@gmail.com</cbc:ElectronicMail></cac:Contact>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="KHR">4000</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="KHR">40000</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="KHR">4000</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="KHR">40000</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="KHR">40000</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="KHR">44000</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="KHR">44000</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="KGM">10</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="KHR">40000</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Rice</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="KHR">4000</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""


def test_the_portal_invoice_is_read_whole_and_passes() -> None:
    doc = einvoice.read(PORTAL_INVOICE)
    assert doc.issues == []  # every element of the portal's table is read
    assert kh.is_cambodian(doc)
    buyer = doc.child("BG-7")
    assert buyer is not None
    assert (buyer.value("BT-49"), buyer.value("BT-48")) == ("KHUID00001234", "K008-0000002")
    assert einvoice.check(doc, rules="kh-caminvoice").issues == []


def test_the_portal_occurrences_fire() -> None:
    broken = (
        PORTAL_INVOICE.replace(b"<cbc:EndpointID>KHUID00001234</cbc:EndpointID>", b"")
        .replace(b"<cbc:DocumentCurrencyCode>KHR</cbc:DocumentCurrencyCode>", b"")
        .replace(b"<cbc:InvoiceTypeCode>388</", b"<cbc:InvoiceTypeCode>386</")
    )
    fired = [
        (i.rule_id, i.severity)
        for i in einvoice.check(einvoice.read(broken), rules="kh-caminvoice").issues
    ]
    assert fired == [
        ("KH-CAMINVOICE-05", Severity.ERROR),
        ("KH-CAMINVOICE-06", Severity.ERROR),
        ("KH-CAMINVOICE-09", Severity.WARNING),
    ]


# Built by hand in the shape a public CamInvoice integration writes (cambodia/e-invoice-sdk,
# tests/Fixtures/valid-invoice.xml): KHR, VAT category S at 10%. Hand arithmetic: 10 x 10.00
# = 100.00; VAT 10% = 10.00; payable 110.00.
CAMINVOICE_LIKE = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>KH-2026-0001</cbc:ID>
  <cbc:IssueDate>2026-03-02</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>KHR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PostalAddress><cbc:CityName>Phnom Penh</cbc:CityName>
      <cac:Country><cbc:IdentificationCode>KH</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>L001900000001</cbc:CompanyID>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Seller Co., Ltd.</cbc:RegistrationName>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PostalAddress>
      <cac:Country><cbc:IdentificationCode>KH</cbc:IdentificationCode></cac:Country>
    </cac:PostalAddress>
    <cac:PartyLegalEntity><cbc:RegistrationName>Buyer Co., Ltd.</cbc:RegistrationName>
    </cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="KHR">10.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="KHR">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="KHR">10.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="KHR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="KHR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="KHR">110.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="KHR">110.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="EA">10</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="KHR">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Rice 5 kg</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="KHR">10.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""


def test_the_shape_an_integration_sends_lacks_what_the_portal_requires() -> None:
    doc = einvoice.read(CAMINVOICE_LIKE)
    assert kh.is_cambodian(doc)
    totals = doc.child("BG-22")
    assert totals is not None
    assert totals.value("BT-110") == "10.00"
    # No customer EndpointID, PartyTaxScheme or Contact, no supplier Contact (portal: 1..1).
    fired = [(i.rule_id, i.severity) for i in einvoice.check(doc, rules="kh-caminvoice").issues]
    assert fired == [
        ("KH-CAMINVOICE-06", Severity.ERROR),
        ("KH-CAMINVOICE-07", Severity.ERROR),
        ("KH-CAMINVOICE-08", Severity.WARNING),
        ("KH-CAMINVOICE-08", Severity.WARNING),
    ]
