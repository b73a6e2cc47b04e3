"""Synthetic Peppol BIS 3 UBL invoices of any number of lines, with consistent arithmetic.

Used to measure how the cost of a check grows with the number of lines. Every amount is
computed here (line net = quantity x price; one standard-rated VAT category), so the
generated documents are valid and the check does its full work on every line.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RATE = Decimal("9")  # Singapore GST standard rate from 2024-01-01, as a plain test rate

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
 <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
 <cbc:ID>INV-{lines}-0001</cbc:ID>
 <cbc:IssueDate>2026-11-02</cbc:IssueDate>
 <cbc:DueDate>2026-12-02</cbc:DueDate>
 <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
 <cbc:DocumentCurrencyCode>SGD</cbc:DocumentCurrencyCode>
 <cbc:BuyerReference>PO-4471</cbc:BuyerReference>
 <cac:AccountingSupplierParty><cac:Party>
  <cbc:EndpointID schemeID="0195">SGUEN197401143C</cbc:EndpointID>
  <cac:PartyName><cbc:Name>Harbourfront Supplies Pte Ltd</cbc:Name></cac:PartyName>
  <cac:PostalAddress><cbc:StreetName>1 Harbourfront Walk</cbc:StreetName>
   <cbc:CityName>Singapore</cbc:CityName><cbc:PostalZone>098585</cbc:PostalZone>
   <cac:Country><cbc:IdentificationCode>SG</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  <cac:PartyTaxScheme><cbc:CompanyID>SG197401143C</cbc:CompanyID>
   <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
  <cac:PartyLegalEntity><cbc:RegistrationName>Harbourfront Supplies Pte Ltd</cbc:RegistrationName>
   <cbc:CompanyID schemeID="0195">SGUEN197401143C</cbc:CompanyID></cac:PartyLegalEntity>
 </cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party>
  <cbc:EndpointID schemeID="0195">SGUEN00192200M</cbc:EndpointID>
  <cac:PartyName><cbc:Name>Kallang Traders</cbc:Name></cac:PartyName>
  <cac:PostalAddress><cbc:StreetName>2 Kallang Avenue</cbc:StreetName>
   <cbc:CityName>Singapore</cbc:CityName><cbc:PostalZone>339407</cbc:PostalZone>
   <cac:Country><cbc:IdentificationCode>SG</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  <cac:PartyLegalEntity><cbc:RegistrationName>Kallang Traders</cbc:RegistrationName>
  </cac:PartyLegalEntity>
 </cac:Party></cac:AccountingCustomerParty>
 <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
  <cac:PayeeFinancialAccount><cbc:ID>0123456789</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
 <cac:TaxTotal><cbc:TaxAmount currencyID="SGD">{vat}</cbc:TaxAmount>
  <cac:TaxSubtotal><cbc:TaxableAmount currencyID="SGD">{net}</cbc:TaxableAmount>
   <cbc:TaxAmount currencyID="SGD">{vat}</cbc:TaxAmount>
   <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent>
    <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
 <cac:LegalMonetaryTotal>
  <cbc:LineExtensionAmount currencyID="SGD">{net}</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="SGD">{net}</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="SGD">{gross}</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="SGD">{gross}</cbc:PayableAmount>
 </cac:LegalMonetaryTotal>
"""

_LINE = """ <cac:InvoiceLine><cbc:ID>{n}</cbc:ID>
  <cbc:InvoicedQuantity unitCode="C62">{qty}</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="SGD">{amount}</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Article {n}</cbc:Name>
   <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate}</cbc:Percent>
    <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="SGD">{price}</cbc:PriceAmount></cac:Price>
 </cac:InvoiceLine>
"""


def invoice(lines: int) -> bytes:
    """A valid UBL invoice with ``lines`` lines."""
    body = []
    net = Decimal(0)
    for n in range(1, lines + 1):
        qty = Decimal(1 + n % 7)
        price = (Decimal(10) + Decimal(n % 13) / 4).quantize(CENT)
        amount = (qty * price).quantize(CENT, ROUND_HALF_UP)
        net += amount
        body.append(_LINE.format(n=n, qty=qty, amount=amount, price=price, rate=RATE))
    vat = (net * RATE / 100).quantize(CENT, ROUND_HALF_UP)
    head = _HEAD.format(lines=lines, vat=vat, net=net, gross=net + vat, rate=RATE)
    return (head + "".join(body) + "</Invoice>\n").encode()
