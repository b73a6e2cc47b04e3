"""Cambodia CamInvoice: a UBL format, recognised by a Cambodian seller, with the occurrences
of GDT's developer portal (developer.e-invoice.gov.kh, "Invoice Structure").

The portal document below is written by hand from the portal's element table and its
examples; the EN 16931 example ``examples-ubl/ubl-tc434-example1.xml`` with its seller moved
to Cambodia shows what a European invoice lacks for CamInvoice.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from defa import einvoice
from defa.countries.kh import einvoice as kh
from defa.einvoice import profiles
from defa.einvoice.convert import read_document
from defa.einvoice.model import Invoice
from defa.einvoice.syntax.ubl_binding import CBC
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
    # [1..1]; the EN 16931 example has none of them, nor a seller contact. It is in EUR and
    # has no cac:TaxExchangeRate, which the portal requires when the currency is not KHR.
    fired = [
        (i.rule_id, i.severity, i.ctx.get("missing"))
        for i in einvoice.check(_cambodian(), rules="kh-caminvoice", as_of=ON).issues
    ]
    assert fired == [
        ("KH-CAMINVOICE-06", Severity.ERROR, None),
        ("KH-CAMINVOICE-07", Severity.ERROR, None),
        ("KH-CAMINVOICE-08", Severity.WARNING, "BG-6"),
        ("KH-CAMINVOICE-11", Severity.ERROR, "KH-EXCHANGE"),
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
    assert _kh_findings(doc, rules="kh-caminvoice") == []


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


# The portal's TaxExchangeRate page (Invoice and CreditNote): "required when the document
# currency differs from the tax currency (KHR)"; SourceCurrencyCode, TargetCurrencyCode and
# CalculationRate each [1..1]; its example is a USD invoice's rate to KHR at 4100.
PORTAL_RATE = b"""<cac:TaxExchangeRate>
    <cbc:SourceCurrencyCode>USD</cbc:SourceCurrencyCode>
    <cbc:TargetCurrencyCode>KHR</cbc:TargetCurrencyCode>
    <cbc:CalculationRate>4100</cbc:CalculationRate>
  </cac:TaxExchangeRate>
  """


def _usd(rate: bytes = b"") -> bytes:
    """The portal invoice in USD, the rate (if any) before cac:TaxTotal, where the portal
    lists it. Hand arithmetic: 10 x 1.00 = 10.00 USD; VAT 10% = 1.00; payable 11.00."""
    doc = PORTAL_INVOICE.replace(
        b">KHR</cbc:DocumentCurrencyCode>", b">USD</cbc:DocumentCurrencyCode>"
    )
    for khr, usd in ((b"40000", b"10.00"), (b"44000", b"11.00"), (b"4000", b"1.00")):
        doc = doc.replace(b'currencyID="KHR">' + khr + b"<", b'currencyID="USD">' + usd + b"<")
    assert b"KHR" not in doc
    return doc.replace(b"<cac:TaxTotal>", rate + b"<cac:TaxTotal>", 1)


def _kh_findings(source: bytes | Invoice, **kw: object) -> list[tuple[str, str, object]]:
    """(rule, severity, what is missing or the value) of the kh-caminvoice findings, the
    document read as its format reads it (``rules`` not given: the format is detected)."""
    report = einvoice.check(source, **kw)  # type: ignore[arg-type]
    return [
        (i.rule_id, i.severity.value, i.ctx.get("missing", i.ctx.get("value")))
        for i in report.issues
        if (i.rule_id or "").startswith("KH-")
    ]


def test_a_usd_invoice_without_an_exchange_rate_fails() -> None:
    report = einvoice.check(_usd())
    assert report.meta["format"] == "kh-caminvoice"
    assert [(i.rule_id, i.ctx.get("missing")) for i in report.issues] == [
        ("KH-CAMINVOICE-11", "KH-EXCHANGE")
    ]


def test_a_usd_invoice_with_the_portals_exchange_rate_passes_and_is_read_whole() -> None:
    report = einvoice.check(_usd(PORTAL_RATE))
    assert report.meta["format"] == "kh-caminvoice"
    assert report.issues == []  # no unmapped element, no finding
    doc = read_document(_usd(PORTAL_RATE))
    rate = doc.child("KH-EXCHANGE")
    assert rate is not None
    assert [rate.value(t) for t in ("KH-EXCHANGE-SOURCE", "KH-EXCHANGE-TARGET")] == ["USD", "KHR"]
    assert rate.value("KH-EXCHANGE-RATE") == "4100"


def test_the_engines_ubl_reader_alone_does_not_make_a_present_rate_missing() -> None:
    # einvoice.read is the engine's UBL reader: the element is unmapped there, and the
    # rules take the rate from the document's tree with the format's binding.
    doc = einvoice.read(_usd(PORTAL_RATE))
    assert doc.child("KH-EXCHANGE") is None
    assert "/Invoice/cac:TaxExchangeRate" in {i.loc for i in doc.issues}
    assert _kh_findings(doc, rules="kh-caminvoice") == []
    assert _kh_findings(_usd(PORTAL_RATE), rules="kh-caminvoice") == []
    assert _kh_findings(_usd(), rules="kh-caminvoice") == [
        ("KH-CAMINVOICE-11", "error", "KH-EXCHANGE")
    ]


def test_only_a_tree_with_an_exchange_rate_is_read_again_by_the_format() -> None:
    """The format's reader differs from the engine's UBL reader by the exchange rate only:
    a document without one keeps its first reading, one with it is read by the format."""
    without = einvoice.read(PORTAL_INVOICE)
    fmt, doc = profiles.identify(without)
    assert fmt.id == "kh-caminvoice"
    assert doc is without
    with_rate = einvoice.read(_usd(PORTAL_RATE))
    fmt, doc = profiles.identify(with_rate)
    assert fmt.id == "kh-caminvoice"
    assert doc is not with_rate
    assert doc.child("KH-EXCHANGE") is not None


def test_a_khr_invoice_needs_no_exchange_rate() -> None:
    assert _kh_findings(PORTAL_INVOICE) == []
    assert einvoice.check(PORTAL_INVOICE).meta["format"] == "kh-caminvoice"


def test_each_child_of_the_exchange_rate_is_required_and_the_target_is_khr() -> None:
    no_rate = PORTAL_RATE.replace(b"<cbc:CalculationRate>4100</cbc:CalculationRate>", b"")
    assert _kh_findings(_usd(no_rate)) == [("KH-CAMINVOICE-11", "error", "KH-EXCHANGE-RATE")]
    no_codes = PORTAL_RATE.replace(b"<cbc:SourceCurrencyCode>USD</cbc:SourceCurrencyCode>", b"")
    no_codes = no_codes.replace(b"<cbc:TargetCurrencyCode>KHR</cbc:TargetCurrencyCode>", b"")
    assert _kh_findings(_usd(no_codes)) == [
        ("KH-CAMINVOICE-11", "error", "KH-EXCHANGE-SOURCE"),
        ("KH-CAMINVOICE-11", "error", "KH-EXCHANGE-TARGET"),
    ]
    to_thb = PORTAL_RATE.replace(b">KHR</cbc:TargetCurrencyCode>", b">THB</cbc:TargetCurrencyCode>")
    assert _kh_findings(_usd(to_thb)) == [("KH-CAMINVOICE-11", "error", "THB")]


def test_a_malformed_rate_is_a_finding_not_a_crash() -> None:
    for bad in (b"four thousand", b"4,100", b"0", b"-4100", b"NaN", b"1e3", b"4100 KHR"):
        rate = PORTAL_RATE.replace(b">4100<", b">" + bad + b"<")
        assert _kh_findings(_usd(rate)) == [("KH-CAMINVOICE-12", "error", bad.decode())], bad
    empty = PORTAL_RATE.replace(b">4100<", b"><")  # no rate at all: a missing one
    assert _kh_findings(_usd(empty)) == [("KH-CAMINVOICE-11", "error", "KH-EXCHANGE-RATE")]
    for good in (b"4100", b"4100.50", b" 4100 ", b".5", b"+4100"):
        rate = PORTAL_RATE.replace(b">4100<", b">" + good + b"<")
        assert _kh_findings(_usd(rate)) == [], good


def test_the_source_currency_should_be_the_document_currency() -> None:
    from_eur = PORTAL_RATE.replace(b">USD</cbc:Source", b">EUR</cbc:Source")
    assert _kh_findings(_usd(from_eur)) == [("KH-CAMINVOICE-13", "warning", "EUR")]


def _children(document: bytes) -> list[str]:
    return [etree.QName(el).localname for el in etree.fromstring(document)]


def test_a_caminvoice_round_trip_keeps_the_exchange_rate() -> None:
    source = _usd(PORTAL_RATE)
    result = einvoice.convert(source, to="kh-caminvoice")
    assert result.losses == []
    assert result.check is not None
    assert result.check.issues == []
    out = result.output
    assert out is not None
    assert out.issues == []
    rate = out.child("KH-EXCHANGE")
    assert rate is not None
    assert (rate.value("KH-EXCHANGE-SOURCE"), rate.value("KH-EXCHANGE-TARGET")) == ("USD", "KHR")
    assert rate.value("KH-EXCHANGE-RATE") == "4100"
    # the portal's order: the parties, (AllowanceCharge,) TaxExchangeRate, TaxTotal
    names = _children(result.document)
    at = names.index("TaxExchangeRate")
    assert names[at - 1 : at + 2] == ["AccountingCustomerParty", "TaxExchangeRate", "TaxTotal"]
    # written and read again by the format: the same document
    fmt = profiles.get("kh-caminvoice")
    assert fmt.write is not None
    assert fmt.read is not None
    again = fmt.write(fmt.read(etree.fromstring(result.document)))
    assert again == result.document


def test_a_credit_note_keeps_its_exchange_rate_in_credit_note_order() -> None:
    # UBL 2.1 CreditNote order: ... PaymentTerms, TaxExchangeRate, ..., AllowanceCharge,
    # TaxTotal (the Invoice puts AllowanceCharge first). Hand arithmetic as in _usd, with a
    # document-level allowance of 0.00 USD so that both elements are written.
    allowance = b"""<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>Discount</cbc:AllowanceChargeReason>
    <cbc:Amount currencyID="USD">0.00</cbc:Amount>
    <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent>
      <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
  </cac:AllowanceCharge>
  """
    note = (
        _usd(allowance + PORTAL_RATE)
        .replace(b"xsd:Invoice-2", b"xsd:CreditNote-2")
        .replace(b"<Invoice ", b"<CreditNote ")
        .replace(b"</Invoice>", b"</CreditNote>")
        .replace(b"<cbc:DueDate>2026-02-15</cbc:DueDate>", b"")
        .replace(b"<cbc:InvoiceTypeCode>388</cbc:InvoiceTypeCode>", b"")
        .replace(
            b"<cbc:IssueDate>2026-01-15</cbc:IssueDate>",
            b"<cbc:IssueDate>2026-01-15"
            b"</cbc:IssueDate><cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
        )
        .replace(b"InvoiceLine>", b"CreditNoteLine>")
        .replace(b"InvoicedQuantity", b"CreditedQuantity")
    )
    doc = read_document(note)
    assert doc.kind == "credit-note"
    assert doc.issues == []
    assert doc.child("KH-EXCHANGE") is not None
    result = einvoice.convert(note, to="kh-caminvoice")
    assert result.losses == []
    names = _children(result.document)
    assert names.index("TaxExchangeRate") < names.index("AllowanceCharge") < names.index("TaxTotal")


def test_a_conversion_out_of_caminvoice_reports_the_exchange_rate_lost() -> None:
    # EN 16931 has no term for cac:TaxExchangeRate: neither the engine's UBL binding nor
    # CII's has a place for it, and the loss account names its three values.
    lost = [
        ("KH-EXCHANGE-SOURCE", "USD"),
        ("KH-EXCHANGE-TARGET", "KHR"),
        ("KH-EXCHANGE-RATE", "4100"),
    ]
    for target in ("ubl", "cii"):
        result = einvoice.convert(_usd(PORTAL_RATE), to=target)
        assert [(loss.term, loss.value) for loss in result.losses] == lost, target
        assert {loss.path.rpartition("/")[0] for loss in result.losses} == {
            "/Invoice/cac:TaxExchangeRate"
        }
        carried = [i for i in result.report.issues if i.code == "einvoice.value_not_carried"]
        assert len(carried) == 3


# Any text XML can hold in the rate's three elements, each present or not.
_VALUE = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8),
    st.sampled_from(["KHR", "USD", "4100", "0.0001", "-1", "1e9", "Infinity", " 4100 "]),
)


@given(source=_VALUE, target=_VALUE, rate=_VALUE)
@settings(max_examples=60, deadline=None)
def test_any_exchange_rate_is_read_written_back_and_checked_without_a_crash(
    source: str | None, target: str | None, rate: str | None
) -> None:
    parts = []
    for tag, value in (
        ("SourceCurrencyCode", source),
        ("TargetCurrencyCode", target),
        ("CalculationRate", rate),
    ):
        if value is not None:
            el = etree.Element(f"{{{CBC}}}{tag}")
            el.text = value
            parts.append(etree.tostring(el))
    block = b'<cac:TaxExchangeRate xmlns:cbc="' + CBC.encode() + b'">' + b"".join(parts)
    document = _usd(block + b"</cac:TaxExchangeRate>\n  ")
    doc = read_document(document)
    assert doc.issues == []
    found = doc.child("KH-EXCHANGE")
    assert found is not None
    # as the portal's element table reads it
    values = [found.value(t) for t in ("KH-EXCHANGE-SOURCE", "KH-EXCHANGE-TARGET")]
    assert values == [source, target]
    assert found.value("KH-EXCHANGE-RATE") == rate
    # written by the format and read again: the same terms
    fmt = profiles.get("kh-caminvoice")
    assert fmt.write is not None
    assert fmt.read is not None
    again = fmt.read(etree.fromstring(fmt.write(doc)))
    assert again.to_dict() == doc.to_dict()
    # checked: findings of the exchange-rate rules only, never an exception
    fired = {i.rule_id for i in einvoice.check(document).issues}
    assert fired <= {"KH-CAMINVOICE-11", "KH-CAMINVOICE-12", "KH-CAMINVOICE-13"}
    complete = all(v is not None and v.strip() for v in (source, target, rate))
    to_khr = target is not None and target.strip() == "KHR"
    assert ("KH-CAMINVOICE-11" in fired) == (not complete or not to_khr)
