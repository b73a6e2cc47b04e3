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
  portal says there are four types and its list shows these two;
* the tax exchange rate (``cac:TaxExchangeRate``, "required when the document currency
  differs from the tax currency (KHR)", Invoice and CreditNote pages) with its three
  children, each [1..1]: ``cbc:SourceCurrencyCode``, ``cbc:TargetCurrencyCode`` (the rate is
  to KHR) and ``cbc:CalculationRate``. The rate is a UBL ``RateType``, a decimal number; as
  a factor applied to the source currency it is checked to be positive. Its source currency
  should be the document currency (a warning: the portal defines it as "the currency from
  which the exchange is being made", and its example is a USD invoice's rate from USD).

The exchange rate is read as the terms ``KH-EXCHANGE`` of the format's own binding
(:mod:`defa.countries.kh._binding`); EN 16931 has none for it. A document read by the
engine's UBL reader alone (``einvoice.read``) lacks them: the rules then take the rate from
the document's tree through that binding, so that a rate present is never reported missing.
The rate's value (at the National Bank of Cambodia's rate) is not checked.

2025.3: the tax exchange rate (KH-CAMINVOICE-11 to 13).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from defa.countries.kh import _binding as kh
from defa.einvoice.model import Group, Invoice
from defa.einvoice.rules.engine import FamilyFindings, Findings, RuleSet
from defa.einvoice.rules.national._common import absent, not_in
from defa.einvoice.syntax import ubl

KH_CAMINVOICE = RuleSet(
    "kh-caminvoice",
    "2025.3",
    title="Cambodia CamInvoice invoice (GDT developer portal occurrences)",
    source="General Department of Taxation, CamInvoice developer portal "
    "(developer.e-invoice.gov.kh, Invoice Structure: Invoice, AccountingSupplierParty, "
    "AccountingCustomerParty, InvoiceTypeCode, TaxExchangeRate, TaxTotal, InvoiceLine/Price; "
    "CreditNote TaxExchangeRate); Law on "
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


# The tax currency: a document in another currency states its rate to it.
_TAX_CURRENCY = "KHR"
# UBL's RateType is an xsd:decimal: digits with an optional sign and decimal point
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _exchange(doc: Invoice) -> Group | None:
    """The document's tax exchange rate (``KH-EXCHANGE``), or None.

    A document read by a reader without the CamInvoice terms (the engine's UBL reader) has
    no such group even when its tree holds the element: the tree is then read again by
    the format's own reader, so that a rate present is not reported missing.
    """
    found = doc.child(kh.EXCHANGE)
    tree = doc.tree
    if (
        found is None
        and doc.syntax == "ubl"
        and tree is not None
        and isinstance(tree.tag, str)
        and tree.tag in ubl.ROOTS  # a tree the UBL readers take: never an error here
        and tree.find(kh.TAX_EXCHANGE_RATE) is not None
    ):
        found = kh.read(tree).child(kh.EXCHANGE)
    return found


def _foreign_currency(doc: Invoice) -> str | None:
    """The document currency (BT-5) when it is stated and is not KHR."""
    currency = (doc.value("BT-5") or "").strip()
    return currency if currency and currency != _TAX_CURRENCY else None


def _exchange_findings(doc: Invoice) -> FamilyFindings:
    """The tax exchange rate's findings, rule by rule: the rate read once for the three."""
    currency = _foreign_currency(doc)
    rate = _exchange(doc)
    if currency is not None:
        if rate is None:
            yield _MISSING, (doc, {"missing": kh.EXCHANGE})
        else:
            for term_id in (kh.EXCHANGE_SOURCE, kh.EXCHANGE_TARGET, kh.EXCHANGE_RATE):
                if not rate.has(term_id):
                    yield _MISSING, (rate, {"missing": term_id})
            for target in rate.all(kh.EXCHANGE_TARGET):
                if target.text.strip() != _TAX_CURRENCY:
                    yield _MISSING, (target, {"value": target.text[:40]})
    for term in rate.all(kh.EXCHANGE_RATE) if rate is not None else ():
        text = term.text.strip()  # an empty rate is a missing one (KH-CAMINVOICE-11)
        if text and (_DECIMAL.fullmatch(text) is None or Decimal(text) <= 0):
            yield _VALUE, (term, {"value": term.text[:40]})
    for source in rate.all(kh.EXCHANGE_SOURCE) if rate is not None and currency else ():
        if source.text.strip() != currency:
            yield _SOURCE, (source, {"value": source.text[:40], "currency": currency or ""})


_FAMILY = "kh-exchange-rate"
_MISSING, _VALUE, _SOURCE = "KH-CAMINVOICE-11", "KH-CAMINVOICE-12", "KH-CAMINVOICE-13"
KH_CAMINVOICE.family(_FAMILY, _exchange_findings)


def _only(doc: Invoice, rule_id: str) -> Findings:
    return (finding for rid, finding in _exchange_findings(doc) if rid == rule_id)


@KH_CAMINVOICE.member(
    _FAMILY,
    _MISSING,
    "error",
    "A document in a currency other than KHR shall state its tax exchange rate to KHR "
    "(cac:TaxExchangeRate) with the source currency, the target currency KHR and the rate.",
    terms=("BT-5", kh.EXCHANGE, kh.EXCHANGE_SOURCE, kh.EXCHANGE_TARGET, kh.EXCHANGE_RATE),
)
def exchange_rate(doc: Invoice) -> Findings:
    return _only(doc, _MISSING)


@KH_CAMINVOICE.member(
    _FAMILY,
    _VALUE,
    "error",
    "The tax exchange rate (cac:TaxExchangeRate/cbc:CalculationRate) shall be a positive "
    "decimal number.",
    terms=(kh.EXCHANGE_RATE,),
)
def exchange_rate_value(doc: Invoice) -> Findings:
    return _only(doc, _VALUE)


@KH_CAMINVOICE.member(
    _FAMILY,
    _SOURCE,
    "warning",
    "The tax exchange rate's source currency (cac:TaxExchangeRate/cbc:SourceCurrencyCode) "
    "should be the document currency (BT-5).",
    terms=("BT-5", kh.EXCHANGE_SOURCE),
)
def exchange_rate_source(doc: Invoice) -> Findings:
    return _only(doc, _SOURCE)
