"""Cambodia CamInvoice: a UBL format, recognised by a Cambodian seller, with a small rule set.

CamInvoice's specification is not public, so the tests only check what the profile claims:
detection by the seller's country (BT-40), the tax-invoice contents the rule set requires,
and that the format says it is unconfirmed. The UBL document is the EN 16931 example
``examples-ubl/ubl-tc434-example1.xml`` with its seller moved to Cambodia.
"""

from __future__ import annotations

from datetime import date

from defa import einvoice
from defa.countries.kh import einvoice as kh
from defa.einvoice.model import Invoice
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


def test_rules_pass_on_a_complete_invoice_and_fire_on_missing_contents() -> None:
    doc = _cambodian()
    assert einvoice.check(doc, rules="kh-caminvoice", as_of=ON).issues == []
    seller = doc.child("BG-4")
    assert seller is not None
    seller.terms.pop("BT-31", None)
    seller.terms.pop("BT-32", None)
    fired = [i.rule_id for i in einvoice.check(doc, rules="kh-caminvoice", as_of=ON).issues]
    assert fired == ["KH-CAMINVOICE-01"]


def test_format_is_ubl_and_unconfirmed() -> None:
    (fmt,) = kh.FORMATS
    assert (fmt.id, fmt.syntax, fmt.rules, fmt.country) == (
        "kh-caminvoice",
        "ubl",
        "kh-caminvoice",
        "KH",
    )
    assert fmt.confidence == "unconfirmed"
    assert fmt.matches(_cambodian())
    assert "not public" in fmt.notes


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


def test_a_document_in_the_shape_integrations_send_passes_the_contents_rules() -> None:
    doc = einvoice.read(CAMINVOICE_LIKE)
    assert kh.is_cambodian(doc)
    assert einvoice.check(doc, rules="kh-caminvoice").issues == []
    totals = doc.child("BG-22")
    assert totals is not None
    assert totals.value("BT-110") == "10.00"
