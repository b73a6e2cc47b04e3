"""Cambodia: CamInvoice, the e-invoicing platform of the General Department of Taxation.

CamInvoice (GDT, Ministry of Economy and Finance) went live in 2025 with a phased mandate
starting with large taxpayers. Its documents are OASIS UBL 2.1 XML (Invoice, CreditNote,
DebitNote). GDT documents their structure on its developer portal (developer.e-invoice.gov.kh,
"Invoice Structure"): per element, its occurrence, definition and an example, with "only
relevant and mandatory fields for the GDT, as well as commonly used fields" and the
instruction to keep the listed order. That portal is this format's source, so its
confidence is ``public-docs``: no schema, code list or Schematron of GDT's was available.

The format is UBL, recognised by a Cambodian seller (BT-40 ``KH``) and checked by the
``kh-caminvoice`` rules (the portal's occurrences and the tax-invoice contents of the Law on
Taxation). It is read and written with the engine's UBL binding plus the tax exchange rate
(``cac:TaxExchangeRate``, to KHR), which EN 16931 has no term for: the terms ``KH-EXCHANGE``
of :mod:`defa.countries.kh._binding`. The portal's core list has no ``cbc:CustomizationID``:
none is written.

No national syntax is added: ``SYNTAXES`` is empty and the format's syntax is ``ubl``; the
format has a reader and a writer of its own (``Format.read``/``Format.write``).
"""

from __future__ import annotations

from datetime import date

from defa.countries.kh import _binding
from defa.einvoice.model import Invoice
from defa.einvoice.profiles import Format, to_en16931
from defa.einvoice.syntax import Syntax

__all__ = ["FORMATS", "NOTES", "SOURCE", "SYNTAXES", "is_cambodian"]

SOURCE = (
    "General Department of Taxation of Cambodia, CamInvoice developer portal "
    "(developer.e-invoice.gov.kh, Invoice Structure: Invoice, InvoiceTypeCode, "
    "AccountingSupplierParty/Party, AccountingCustomerParty/Party, TaxExchangeRate, "
    "TaxTotal/TaxSubtotal/TaxCategory, InvoiceLine/Price; CreditNote TaxExchangeRate; "
    "CreditNote and DebitNote BillingReference), read 2026-11-28; Law on Taxation (tax "
    "invoice contents)"
)

NOTES = (
    "From GDT's developer portal: UBL 2.1 Invoice with, in this order, ID, IssueDate, "
    "DueDate (0..1), InvoiceTypeCode (380 commercial invoice, 388 tax invoice), "
    "DocumentCurrencyCode, AccountingSupplierParty, AccountingCustomerParty, AllowanceCharge "
    "(0..n), TaxExchangeRate, TaxTotal, LegalMonetaryTotal, InvoiceLine (1..n); the "
    "customer's EndpointID is its CamInvoice ID (KHUID...), 1..1; each party has "
    "PostalAddress, PartyTaxScheme (VAT), PartyLegalEntity and Contact; tax category S with "
    "scheme VAT; a credit or debit note refers to its invoice (BillingReference, DocumentType "
    "TAX_INVOICE). Not confirmed: the portal says there are four invoice type codes and lists "
    "two; lengths, code lists and GDT's validation rules are not published; the signature "
    "and the stamp the platform adds. TaxExchangeRate (SourceCurrencyCode, "
    "TargetCurrencyCode, CalculationRate, each 1..1), required when the currency is not KHR, "
    "is read and written as the terms KH-EXCHANGE-SOURCE, -TARGET and -RATE (EN 16931 has no "
    "term for it: a conversion into another format reports it lost); the rate's value (at "
    "the National Bank of Cambodia's rate) is not checked. Debit notes (UBL DebitNote-2) are "
    "not read by the UBL syntax, which takes Invoice and CreditNote. No CustomizationID is "
    "written (the portal lists none)."
)


def is_cambodian(doc: Invoice) -> bool:
    """A UBL document whose seller's address is in Cambodia (BT-40 ``KH``)."""
    seller = doc.child("BG-4")
    address = seller.child("BG-5") if seller is not None else None
    country = address.value("BT-40") if address is not None else None
    return country is not None and country.strip().upper() == "KH"


SYNTAXES: tuple[Syntax, ...] = ()

FORMATS = (
    Format(
        "kh-caminvoice",
        "Cambodia CamInvoice (UBL 2.1, GDT developer portal)",
        "ubl",
        "kh-caminvoice",
        country="KH",
        version="2025",
        valid_from=date(2025, 1, 1),
        specificity=5,  # below any format named by its specification identifier
        matches=is_cambodian,
        # The binding is written from EN 16931 categories: national codes are mapped first.
        prepare=to_en16931,
        # UBL with the tax exchange rate (KH-EXCHANGE), which the engine's binding lacks
        read=_binding.read,
        write=_binding.write,
        rereads=_binding.has_exchange_rate,  # else the syntax's reading is the same
        source=SOURCE,
        confidence="public-docs",
        notes=NOTES,
    ),
)
