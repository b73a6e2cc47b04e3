"""Cambodia ``kh-caminvoice``: the CamInvoice UBL invoice as the General Department of
Taxation documents it, on a UBL document.

GDT publishes the structure of CamInvoice documents on its developer portal
(developer.e-invoice.gov.kh, "Invoice Structure": an element table per UBL element with
its occurrence, definition and example). The rules here take the occurrences that portal
gives for an invoice, and the contents the Law on Taxation requires of a tax invoice:

* the seller's VAT TIN (``PartyTaxScheme``, [1..1]); the invoice number and issue date;
  each line's item name, quantity and price (``cac:Price``, [1..1]); the VAT charged
  (``cac:TaxTotal``, [1..1]) and the amount payable (``cac:LegalMonetaryTotal``, [1..1]);
* the document currency (``cbc:DocumentCurrencyCode``, [1..1]);
* the buyer's CamInvoice ID (``cbc:EndpointID`` of the customer party, [1..1], e.g.
  ``KHUID00001234``);
* both parties' postal address and legal name (``PostalAddress``, ``PartyLegalEntity``,
  [1..1]) and the buyer's VAT TIN (``PartyTaxScheme``, [1..1]);
* both parties' contact (``cac:Contact``, [1..1]): a warning, since the occurrences of its
  children were not read;
* the invoice type code 380 (commercial invoice) or 388 (tax invoice): a warning, since the
  portal says there are four types and its list shows these two.

Not checked: the tax exchange rate the portal requires when the currency is not KHR (the
engine's UBL syntax does not read ``cac:TaxExchangeRate``).
"""

from __future__ import annotations

from datetime import date

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings, RuleSet
from defa.einvoice.rules.national._common import absent, not_in

KH_CAMINVOICE = RuleSet(
    "kh-caminvoice",
    "2025.2",
    title="Cambodia CamInvoice invoice (GDT developer portal occurrences)",
    source="General Department of Taxation, CamInvoice developer portal "
    "(developer.e-invoice.gov.kh, Invoice Structure: Invoice, AccountingSupplierParty, "
    "AccountingCustomerParty, InvoiceTypeCode, TaxTotal, InvoiceLine/Price); Law on "
    "Taxation of the Kingdom of Cambodia (tax invoice contents)",
    valid_from=date(2025, 1, 1),
)

# The portal's list of InvoiceTypeCode values for an invoice (381 and 383 are the credit
# and debit notes the engine reads from their own UBL documents).
_INVOICE_TYPES = frozenset({"380", "388"})
_NOTE_TYPES = frozenset({"381", "383"})


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-01",
    "error",
    "The seller's VAT TIN (BT-31) or tax registration (BT-32) shall be present.",
    terms=("BT-31", "BT-32"),
)
def seller_tin(doc: Invoice) -> Findings:
    party = doc.child("BG-4")
    if party is None or not (party.has("BT-31") or party.has("BT-32")):
        yield party if party is not None else doc


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-02",
    "error",
    "The invoice number (BT-1) and issue date (BT-2) shall be present.",
    terms=("BT-1", "BT-2"),
)
def identity(doc: Invoice) -> Findings:
    yield from absent(doc, "BT-1", doc)
    yield from absent(doc, "BT-2", doc)


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-03",
    "error",
    "Each line shall have an item name (BT-153), a quantity (BT-129) and a price (BT-146).",
    terms=("BT-153", "BT-129", "BT-146"),
)
def lines(doc: Invoice) -> Findings:
    for line in doc.children("BG-25"):
        item, price = line.child("BG-31"), line.child("BG-29")
        if not (
            line.has("BT-129")
            and item is not None
            and item.has("BT-153")
            and price is not None
            and price.has("BT-146")
        ):
            yield line


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-04",
    "error",
    "The invoice shall state the VAT charged (BT-110).",
    terms=("BT-110",),
)
def vat_total(doc: Invoice) -> Findings:
    totals = doc.child("BG-22")
    yield from absent(totals, "BT-110", doc)


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-05",
    "error",
    "The document currency (BT-5) shall be present.",
    terms=("BT-5",),
)
def currency(doc: Invoice) -> Findings:
    return absent(doc, "BT-5", doc)


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-06",
    "error",
    "The buyer's CamInvoice ID (BT-49, the customer party's EndpointID) shall be present.",
    terms=("BT-49",),
)
def buyer_endpoint(doc: Invoice) -> Findings:
    return absent(doc.child("BG-7"), "BT-49", doc)


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-07",
    "error",
    "The seller and the buyer shall each have a postal address (BG-5, BG-8) and a legal "
    "name (BT-27, BT-44), and the buyer a VAT TIN (BT-48).",
    terms=("BG-5", "BT-27", "BG-8", "BT-44", "BT-48"),
)
def parties(doc: Invoice) -> Findings:
    seller, buyer = doc.child("BG-4"), doc.child("BG-7")
    for party, address, name in ((seller, "BG-5", "BT-27"), (buyer, "BG-8", "BT-44")):
        if party is None or party.child(address) is None:
            yield party if party is not None else doc, {"missing": address}
        yield from absent(party, name, doc)
    yield from absent(buyer, "BT-48", doc)


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-08",
    "warning",
    "The seller and the buyer should each have a contact (BG-6, BG-9).",
    terms=("BG-6", "BG-9"),
)
def contacts(doc: Invoice) -> Findings:
    for party_id, contact in (("BG-4", "BG-6"), ("BG-7", "BG-9")):
        party = doc.child(party_id)
        if party is None or party.child(contact) is None:
            yield party if party is not None else doc, {"missing": contact}


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-09",
    "warning",
    "An invoice's type code (BT-3) should be 380 (commercial invoice) or 388 (tax invoice).",
    terms=("BT-3",),
)
def invoice_type(doc: Invoice) -> Findings:
    codes = [t for t in doc.all("BT-3") if t.text.strip() not in _NOTE_TYPES]
    return not_in(codes, _INVOICE_TYPES)


@KH_CAMINVOICE.rule(
    "KH-CAMINVOICE-10",
    "error",
    "The invoice shall state the amount payable (BT-115).",
    terms=("BT-115",),
)
def payable(doc: Invoice) -> Findings:
    return absent(doc.child("BG-22"), "BT-115", doc)
