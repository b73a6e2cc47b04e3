"""Peppol BIS 3 national rules of the Netherlands (NL-R), as the release states them.

They apply when the seller's postal address is in the Netherlands; some need the buyer's
or the tax representative's too.
"""

from __future__ import annotations

from collections.abc import Iterator

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    CAC,
    CBC,
    Element,
    TreeView,
    child,
    decimal,
    find,
    loc,
    norm,
    text,
    view,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule
from defa.einvoice.rules.peppol.context import (
    CUSTOMER,
    SUPPLIER,
    customer_postal_country,
    supplier_postal_country,
    tax_representative_postal_country,
)

__all__: list[str] = []

_NL_LEGAL_SCHEMES = (" 0106 ", " 0190 ")  # upstream tests a spaced substring
_NL_PAYMENT_MEANS = frozenset({"30", "48", "49", "57", "58", "59"})


# -- the Netherlands -----------------------------------------------------------------------


def _dutch_supplier(u: TreeView) -> bool:
    return supplier_postal_country(u) == "NL"


def _dutch_parties(u: TreeView) -> bool:
    return _dutch_supplier(u) and customer_postal_country(u) == "NL"


def _in_nl(doc: Invoice) -> bool:
    """The scope of every NL rule: each needs a Dutch seller first (``_dutch_supplier``)."""
    u = view(doc)
    return u is not None and _dutch_supplier(u)


def _full_address(address: Element) -> bool:
    return all(
        child(address, CBC + t) is not None for t in ("StreetName", "CityName", "PostalZone")
    )


def _addresses(u: TreeView, role: str) -> Iterator[Element]:
    for holder in u.with_parent(CAC + "Party", CAC + role):
        yield from find(holder, CAC + "PostalAddress")


@rule(
    "NL-R-001",
    "fatal",
    "A Dutch seller's credit note must reference the invoice it corrects (BT-25).",
    terms=("BT-25",),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_supplier(u):
        return
    if find(u.root, CAC + "BillingReference", CAC + "InvoiceDocumentReference", CBC + "ID"):
        return
    for code in u.all(CBC + "CreditNoteTypeCode"):
        yield loc(code)


@rule(
    "NL-R-002",
    "fatal",
    "A Dutch seller's address must give street (BT-35), city (BT-37) and post code (BT-38).",
    terms=("BT-35", "BT-37", "BT-38"),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_supplier(u):
        return
    for address in _addresses(u, SUPPLIER):
        if not _full_address(address):
            yield loc(address)


def _legal_ids(u: TreeView, role: str) -> Iterator[Element]:
    for holder in u.with_parent(CAC + "Party", CAC + role):
        yield from find(holder, CAC + "PartyLegalEntity", CBC + "CompanyID")


def _kvk_or_oin(company: Element) -> bool:
    spaced = f" {company.get('schemeID') or ''} "
    return any(s in spaced for s in _NL_LEGAL_SCHEMES) and norm(text(company)) != ""


@rule(
    "NL-R-003",
    "fatal",
    "A Dutch seller's legal registration identifier (BT-30) must be a KVK or OIN number "
    "(scheme 0106 or 0190).",
    terms=("BT-30", "BT-30-1"),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_003(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_supplier(u):
        return
    for company in _legal_ids(u, SUPPLIER):
        if not _kvk_or_oin(company):
            yield loc(company)


@rule(
    "NL-R-004",
    "fatal",
    "Between Dutch parties the buyer's address must give street (BT-50), city (BT-52) and "
    "post code (BT-53).",
    terms=("BT-50", "BT-52", "BT-53"),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_004(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_parties(u):
        return
    for address in _addresses(u, CUSTOMER):
        if not _full_address(address):
            yield loc(address)


@rule(
    "NL-R-005",
    "fatal",
    "Between Dutch parties the buyer's legal registration identifier (BT-47) must be a KVK "
    "or OIN number (scheme 0106 or 0190).",
    terms=("BT-47", "BT-47-1"),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_005(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_parties(u):
        return
    for company in _legal_ids(u, CUSTOMER):
        if not _kvk_or_oin(company):
            yield loc(company)


@rule(
    "NL-R-006",
    "fatal",
    "A Dutch seller's Dutch tax representative's address must give street (BT-64), city "
    "(BT-66) and post code (BT-67).",
    terms=("BT-64", "BT-66", "BT-67"),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_006(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_supplier(u) or tax_representative_postal_country(u) != "NL":
        return
    for rep in u.all(CAC + "TaxRepresentativeParty"):
        for address in find(rep, CAC + "PostalAddress"):
            if not _full_address(address):
                yield loc(address)


@rule(
    "NL-R-007",
    "fatal",
    "A Dutch seller must give payment instructions (BG-16) when the buyer has to pay.",
    terms=("BT-115", "BG-16"),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_007(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_supplier(u) or u.all(CAC + "PaymentMeans"):
        return
    for total in u.all(CAC + "LegalMonetaryTotal"):
        payable = decimal(child(total, CBC + "PayableAmount"))
        if payable is not None and (
            (u.is_invoice and payable <= 0) or (u.is_credit_note and payable >= 0)
        ):
            continue
        yield loc(total)


@rule(
    "NL-R-008",
    "fatal",
    "Between Dutch parties the payment means code (BT-81) must be 30, 48, 49, 57, 58 or 59.",
    terms=("BT-81",),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_008(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_parties(u):
        return
    for means in u.all(CAC + "PaymentMeans"):
        codes = find(means, CBC + "PaymentMeansCode")
        if norm(text(codes[0]) if codes else "") not in _NL_PAYMENT_MEANS:
            yield loc(means)


@rule(
    "NL-R-009",
    "fatal",
    "A Dutch seller using order line references (BT-132) must give the order reference (BT-13).",
    terms=("BT-13", "BT-132"),
    syntax="ubl",
    scope=_in_nl,
)
def nl_r_009(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _dutch_supplier(u):
        return
    if find(u.root, CAC + "OrderReference", CBC + "ID"):
        return
    yield from (loc(el) for el in u.with_parent(CBC + "LineID", CAC + "OrderLineReference"))
