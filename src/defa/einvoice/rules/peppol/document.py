"""Peppol BIS 3 document-level rules: process and specification ids, parties, tax totals,
currencies, payment mandates, dates and empty elements (PEPPOL-EN16931-R001 ... R080, F001).
"""

from __future__ import annotations

from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    CAC,
    CBC,
    child,
    children,
    decimal,
    find,
    loc,
    norm,
    text,
    view,
    xs_date,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule
from defa.einvoice.rules.peppol.context import UNKNOWN, german_parties, profile

__all__: list[str] = []

_SPEC_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
_DIRECT_DEBIT = frozenset({"49", "59"})
# Every amount whose currency must be the invoice currency (BT-5); BT-111 is exempt.
AMOUNT_TAGS = tuple(
    CBC + name
    for name in (
        "Amount",
        "BaseAmount",
        "PriceAmount",
        "TaxableAmount",
        "LineExtensionAmount",
        "TaxExclusiveAmount",
        "TaxInclusiveAmount",
        "AllowanceTotalAmount",
        "ChargeTotalAmount",
        "PrepaidAmount",
        "PayableRoundingAmount",
        "PayableAmount",
    )
)
DATE_TAGS = tuple(
    CBC + name
    for name in (
        "IssueDate",
        "DueDate",
        "TaxPointDate",
        "StartDate",
        "EndDate",
        "ActualDeliveryDate",
    )
)


@rule(
    "PEPPOL-EN16931-R008",
    "fatal",
    "The document contains an empty element.",
    syntax="ubl",
)
def r008(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for el in u.empties:
            yield loc(el)


@rule(
    "PEPPOL-EN16931-R001",
    "fatal",
    "The business process (BT-23) is missing.",
    terms=("BT-23",),
    syntax="ubl",
)
def r001(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and not u.top(CBC + "ProfileID"):
        yield loc(u.root)


@rule(
    "PEPPOL-EN16931-R007",
    "fatal",
    "The business process (BT-23) must have the form "
    "'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0', NN being the process number.",
    terms=("BT-23",),
    syntax="ubl",
)
def r007(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        found = profile(u)
        if found is None or found == UNKNOWN:
            ids = u.top(CBC + "ProfileID")
            yield loc(ids[0] if ids else u.root)


@rule(
    "PEPPOL-EN16931-R002",
    "fatal",
    "At most one invoice note (BT-22) is allowed, unless seller and buyer are both German.",
    terms=("BT-22",),
    syntax="ubl",
)
def r002(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        notes = u.top(CBC + "Note")
        if len(notes) > 1 and not german_parties(u):
            yield loc(notes[1])


@rule(
    "PEPPOL-EN16931-R003",
    "fatal",
    "Either a buyer reference (BT-10) or a purchase order reference (BT-13) is required.",
    terms=("BT-10", "BT-13"),
    syntax="ubl",
)
def r003(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or u.top(CBC + "BuyerReference"):
        return
    if any(child(o, CBC + "ID") is not None for o in u.top(CAC + "OrderReference")):
        return
    yield loc(u.root)


@rule(
    "PEPPOL-EN16931-R004",
    "fatal",
    "The specification identifier (BT-24) must be "
    "'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0'.",
    terms=("BT-24",),
    syntax="ubl",
)
def r004(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    found = u.top(CBC + "CustomizationID")
    value = norm(found[0].text) if found else ""
    if not value.startswith(_SPEC_ID):
        yield loc(found[0] if found else u.root)


@rule(
    "PEPPOL-EN16931-R053",
    "fatal",
    "Exactly one tax total with tax subtotals (BT-110 with BG-23) is required.",
    terms=("BT-110", "BG-23"),
    syntax="ubl",
)
def r053(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    with_sub = [t for t in u.top(CAC + "TaxTotal") if child(t, CAC + "TaxSubtotal") is not None]
    if len(with_sub) != 1:
        yield loc(with_sub[1] if with_sub else u.root)


@rule(
    "PEPPOL-EN16931-R054",
    "fatal",
    "A tax total without subtotals (BT-111) is required exactly once when a VAT accounting "
    "currency (BT-6) is given, and not otherwise.",
    terms=("BT-111", "BT-6"),
    syntax="ubl",
)
def r054(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    bare = [t for t in u.top(CAC + "TaxTotal") if child(t, CAC + "TaxSubtotal") is None]
    expected = 1 if u.top(CBC + "TaxCurrencyCode") else 0
    if len(bare) != expected:
        yield (loc(bare[-1] if bare else u.root), {"expected": expected, "found": len(bare)})


def _tax_amounts(totals: list[object], currency: str) -> list[Decimal | None]:
    amounts: list[Decimal | None] = []
    for total in totals:
        for amount in children(total, CBC + "TaxAmount"):
            if amount.get("currencyID") == currency:
                amounts.append(decimal(amount))
    return amounts


@rule(
    "PEPPOL-EN16931-R055",
    "fatal",
    "The invoice total VAT amount (BT-110) and the total VAT amount in accounting currency "
    "(BT-111) must have the same sign.",
    terms=("BT-110", "BT-111"),
    syntax="ubl",
)
def r055(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    tax_codes = u.top(CBC + "TaxCurrencyCode")
    if not tax_codes:
        return
    doc_codes = u.top(CBC + "DocumentCurrencyCode")
    totals: list[object] = list(u.top(CAC + "TaxTotal"))
    in_tax = [a for a in _tax_amounts(totals, norm(tax_codes[0].text)) if a is not None]
    in_doc = [
        a
        for a in _tax_amounts(totals, norm(doc_codes[0].text) if doc_codes else "")
        if a is not None
    ]
    # Upstream compares sequences: the test holds when some amount of each side qualifies.
    if any(a <= 0 for a in in_tax) and any(a <= 0 for a in in_doc):
        return
    if any(a >= 0 for a in in_tax) and any(a >= 0 for a in in_doc):
        return
    yield loc(tax_codes[0])


@rule(
    "PEPPOL-EN16931-R005",
    "fatal",
    "The VAT accounting currency (BT-6) must differ from the invoice currency (BT-5).",
    terms=("BT-5", "BT-6"),
    syntax="ubl",
)
def r005(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for code in u.all(CBC + "TaxCurrencyCode"):
        parent = code.getparent()
        sibling = child(parent, CBC + "DocumentCurrencyCode") if parent is not None else None
        if norm(code.text) == norm(sibling.text if sibling is not None else None):
            yield loc(code)


def _party_without_endpoint(doc: Invoice, role: str) -> Findings:
    u = view(doc)
    if u is None:
        return
    for party in u.with_parent(CAC + "Party", CAC + role):
        if child(party, CBC + "EndpointID") is None:
            yield loc(party)


@rule(
    "PEPPOL-EN16931-R010",
    "fatal",
    "The buyer electronic address (BT-49) is required.",
    terms=("BT-49",),
    syntax="ubl",
)
def r010(doc: Invoice) -> Findings:
    return _party_without_endpoint(doc, "AccountingCustomerParty")


@rule(
    "PEPPOL-EN16931-R020",
    "fatal",
    "The seller electronic address (BT-34) is required.",
    terms=("BT-34",),
    syntax="ubl",
)
def r020(doc: Invoice) -> Findings:
    return _party_without_endpoint(doc, "AccountingSupplierParty")


@rule(
    "PEPPOL-EN16931-R061",
    "fatal",
    "A direct debit (payment means 49 or 59) requires the mandate reference (BT-89).",
    terms=("BT-81", "BT-89"),
    syntax="ubl",
)
def r061(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for means in u.all(CAC + "PaymentMeans"):
        code = child(means, CBC + "PaymentMeansCode")
        if code is None or norm(text(code)) not in _DIRECT_DEBIT:
            continue
        if not find(means, CAC + "PaymentMandate", CBC + "ID"):
            yield loc(means)


def _document_currency_amounts(doc: Invoice) -> Findings:
    """Amounts in scope of R051 whose currencyID is not the invoice currency."""
    u = view(doc)
    if u is None:
        return
    currencies = {text(c) for c in u.top(CBC + "DocumentCurrencyCode")}
    for tag in AMOUNT_TAGS:
        for amount in u.all(tag):
            if amount.get("currencyID") not in currencies:
                yield loc(amount, "currencyID")
    for amount in u.all(CBC + "TaxAmount"):
        parent = amount.getparent()
        in_scope = parent is not None and (
            parent.tag == CAC + "TaxSubtotal"
            or (parent.tag == CAC + "TaxTotal" and child(parent, CAC + "TaxSubtotal") is not None)
        )
        if in_scope and amount.get("currencyID") not in currencies:
            yield loc(amount, "currencyID")


@rule(
    "PEPPOL-EN16931-R051",
    "fatal",
    "Every amount must be in the invoice currency (BT-5), except the total VAT amount in "
    "accounting currency (BT-111).",
    terms=("BT-5",),
    syntax="ubl",
)
def r051(doc: Invoice) -> Findings:
    return _document_currency_amounts(doc)


@rule(
    "PEPPOL-EN16931-R080",
    "fatal",
    "A credit note may carry at most one project reference (document type 50).",
    terms=("BT-11",),
    syntax="ubl",
)
def r080(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not u.is_credit_note:
        return
    projects = [
        ref
        for ref in u.top(CAC + "AdditionalDocumentReference")
        if any(text(c) == "50" for c in children(ref, CBC + "DocumentTypeCode"))
    ]
    if len(projects) > 1:
        yield loc(projects[1])


@rule(
    "PEPPOL-EN16931-F001",
    "fatal",
    "A date must be a valid calendar date written YYYY-MM-DD.",
    syntax="ubl",
)
def f001(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for tag in DATE_TAGS:
        for el in u.all(tag):
            value = el.text or ""
            if len(value) != 10 or xs_date(value) is None:
                yield loc(el)
