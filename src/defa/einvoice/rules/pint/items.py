"""PINT base rules on invoice lines, periods and items, and ``ibr-079`` (empty elements).

``ibr-079`` sits late in its Schematron pattern, so an empty element that an earlier rule
of the pattern already matched (an amount, a date, an electronic address...) is reported by
that rule, not by ``ibr-079``; :func:`claimed` says which elements those are (the contexts
that are plain tags and ancestors are a :class:`~defa.einvoice.rules.pattern.FirstMatch`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import is_number, xs_date
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.pattern import FirstMatch
from defa.einvoice.rules.pint import lines, rule
from defa.einvoice.rules.pint._xp import (
    CBC,
    Element,
    TreeView,
    a,
    at,
    b,
    child,
    decimal,
    exists,
    find,
    first,
    has_text,
    loc,
    text,
    tree,
)
from defa.einvoice.rules.pint.amounts import AMOUNT_TAGS, doc_currency_amounts

__all__ = ["claimed"]

_LINE_TAGS = (a("InvoiceLine"), a("CreditNoteLine"))


def _line_rule(rule_id: str, message: str, *path: str, text_required: bool = False) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for line in lines(u):
            ok = has_text(line, *path) if text_required else exists(line, *path)
            if not ok:
                yield loc(line)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_line_rule(
    "ibr-021", "An invoice line (ibg-25) has no identifier (ibt-126).", b("ID"), text_required=True
)
_line_rule("ibr-024", "An invoice line has no net amount (ibt-131).", b("LineExtensionAmount"))
_line_rule(
    "ibr-025",
    "An invoice line has no item name (ibt-153).",
    a("Item"),
    b("Name"),
    text_required=True,
)
_line_rule(
    "ibr-026", "An invoice line has no item net price (ibt-146).", a("Price"), b("PriceAmount")
)


@rule("ibr-022", "fatal", "An invoice line has no invoiced quantity (ibt-129).")
def ibr_022(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for line in lines(u):
            if not (exists(line, b("InvoicedQuantity")) or exists(line, b("CreditedQuantity"))):
                yield loc(line)


@rule("ibr-023", "fatal", "An invoice line has no quantity unit of measure (ibt-130).")
def ibr_023(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for line in lines(u):
            quantities = find(line, b("InvoicedQuantity")) + find(line, b("CreditedQuantity"))
            if not any(q.get("unitCode") is not None for q in quantities):
                yield loc(line)


def _not_negative(el: Element) -> bool:
    """``el >= 0`` as a general comparison: a number not below zero."""
    value = text(el).strip()
    return is_number(value) and float(value.replace("INF", "inf")) >= 0


@rule("ibr-027", "fatal", "The item net price (ibt-146) is negative.")
def ibr_027(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for line in lines(u):
            prices = find(line, a("Price"), b("PriceAmount"))
            if not any(_not_negative(p) for p in prices):
                yield loc(line)


@rule("ibr-028", "fatal", "The item gross price (ibt-148) is negative.")
def ibr_028(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for line in lines(u):
            bases = find(line, a("Price"), a("AllowanceCharge"), b("BaseAmount"))
            if bases and not any(_not_negative(p) for p in bases):
                yield loc(line)


@rule("ibr-087", "fatal", "The price base quantity (ibt-149) is not above zero.")
def ibr_087(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for line in lines(u):
            base = first(line, a("Price"), b("BaseQuantity"))
            if base is not None:
                value = decimal(base)
                if value is None or value <= 0:
                    yield loc(base)


@rule("ibr-088", "fatal", "The price base quantity unit (ibt-150) differs from ibt-130.")
def ibr_088(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for base in at(u, a("Price"), b("BaseQuantity")):
        unit = base.get("unitCode")
        price = base.getparent()
        line = price.getparent() if price is not None else None
        if unit is None or line is None:
            continue
        quantities = find(line, b("InvoicedQuantity")) + find(line, b("CreditedQuantity"))
        if quantities and unit not in {q.get("unitCode") for q in quantities}:
            yield loc(base, "unitCode")


# -- periods -------------------------------------------------------------------------------


def _date(el: Element | None, tag: str) -> date | None:
    node = child(el, tag) if el is not None else None
    return xs_date(text(node)) if node is not None else None


def _line_periods(u: TreeView) -> Iterator[Element]:
    for tag in _LINE_TAGS:
        yield from at(u, tag, a("InvoicePeriod"))


def _period_pair(period: Element) -> tuple[date | None, date | None, bool]:
    """Start, end, and whether both are present (as elements)."""
    both = child(period, b("StartDate")) is not None and child(period, b("EndDate")) is not None
    return _date(period, b("StartDate")), _date(period, b("EndDate")), both


def _ordered(period: Element) -> bool:
    start, end, both = _period_pair(period)
    return not both or (start is not None and end is not None and end >= start)


@rule("ibr-030", "fatal", "The line period end date (ibt-135) is before its start (ibt-134).")
def ibr_030(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(p) for p in _line_periods(u) if not _ordered(p))


@rule("ibr-co-20", "fatal", "An invoice line period (ibg-26) has neither start nor end date.")
def ibr_co_20(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for p in _line_periods(u):
            if not (exists(p, b("StartDate")) or exists(p, b("EndDate"))):
                yield loc(p)


def _within(rule_id: str, message: str, tag: str, later: bool) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for p in _line_periods(u):
            line = p.getparent()
            outer = first(line.getparent(), a("InvoicePeriod")) if line is not None else None
            own = child(p, tag)
            bound = child(outer, tag) if outer is not None else None
            if own is None or bound is None:
                continue
            mine, limit = xs_date(text(own)), xs_date(text(bound))
            if mine is None or limit is None or (mine < limit if later else mine > limit):
                yield loc(p)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_within(
    "ibr-085",
    "The line period start (ibt-134) is before the invoicing period.",
    b("StartDate"),
    True,
)
_within(
    "ibr-086", "The line period end (ibt-135) is after the invoicing period.", b("EndDate"), False
)


def _document_periods(u: TreeView) -> Iterator[Element]:
    """``cac:InvoicePeriod`` not taken by the earlier line period rule."""
    for p in u.all(a("InvoicePeriod")):
        parent = p.getparent()
        if parent is None or parent.tag not in _LINE_TAGS:
            yield p


@rule("ibr-029", "fatal", "The invoicing period end date (ibt-074) is before its start (ibt-073).")
def ibr_029(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(p) for p in _document_periods(u) if not _ordered(p))


@rule("ibr-co-19", "fatal", "An invoicing period (ibg-14) has no start date, end date or code.")
def ibr_co_19(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for p in _document_periods(u):
            if not any(exists(p, b(t)) for t in ("StartDate", "EndDate", "DescriptionCode")):
                yield loc(p)


# -- items ----------------------------------------------------------------------------------


@rule("ibr-054", "fatal", "An item attribute (ibg-32) lacks its name (ibt-160) or value (ibt-161).")
def ibr_054(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for prop in u.all(a("AdditionalItemProperty")):
            if not (exists(prop, b("Name")) and exists(prop, b("Value"))):
                yield loc(prop)


@rule("ibr-065", "fatal", "The item classification identifier (ibt-158) has no scheme.")
def ibr_065(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for tag in _LINE_TAGS:
        path = (tag, a("Item"), a("CommodityClassification"), b("ItemClassificationCode"))
        yield from (loc(el) for el in at(u, *path) if el.get("listID") is None)


@rule("ibr-064", "fatal", "The item standard identifier (ibt-157) has no scheme.")
def ibr_064(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for tag in _LINE_TAGS:
        path = (tag, a("Item"), a("StandardItemIdentification"), b("ID"))
        yield from (loc(el) for el in at(u, *path) if el.get("schemeID") is None)


@rule("ibr-sr-58", "fatal", "The invoiced item tax category code (ibt-151) is missing.")
def ibr_sr_58(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        # The upstream context names cac:InvoiceLine only.
        for cat in at(u, a("InvoiceLine"), a("Item"), a("ClassifiedTaxCategory")):
            if not exists(cat, b("ID")):
                yield loc(cat)


# -- empty elements --------------------------------------------------------------------------

_IDENTIFIER_SCHEMES = frozenset(
    {"0088", "0007", "0192", "0184", "0208", "0201", "0210", "9907", "0211", "9906", "0151"}
)
# The earlier rules of the pattern whose contexts are tags: anywhere, or below these parents
# (and grandparents).
_EARLIER = FirstMatch(
    anywhere={
        *AMOUNT_TAGS,
        a("AllowanceCharge"),
        a("AdditionalDocumentReference"),
        a("LegalMonetaryTotal"),
        a("InvoiceLine"),
        a("CreditNoteLine"),
        a("InvoicePeriod"),
        a("AdditionalItemProperty"),
        a("PayeeParty"),
        a("PaymentMeans"),
        a("PaymentTerms"),
        a("BillingReference"),
        a("TaxRepresentativeParty"),
        a("TaxSubtotal"),
        a("PartyTaxScheme"),
        b("IssueDate"),
        b("DueDate"),
        b("TaxPointDate"),
        b("StartDate"),
        b("EndDate"),
        b("ActualDeliveryDate"),
        b("TaxCurrencyCode"),
    },
    under={
        a("TaxCategory"): ((a("AllowanceCharge"),),),
        a("Party"): ((a("AccountingCustomerParty"),), (a("AccountingSupplierParty"),)),
        b("EndpointID"): (
            (a("Party"), a("AccountingCustomerParty")),
            (a("Party"), a("AccountingSupplierParty")),
        ),
        a("PostalAddress"): (
            (a("Party"), a("AccountingCustomerParty")),
            (a("Party"), a("AccountingSupplierParty")),
            (a("TaxRepresentativeParty"),),
        ),
        a("Address"): (
            (a("DeliveryLocation"), a("Delivery")),
            (a("FinancialInstitutionBranch"), a("PayeeFinancialAccount"), a("PaymentMeans")),
        ),
        b("ItemClassificationCode"): (
            (a("CommodityClassification"), a("Item"), a("InvoiceLine")),
            (a("CommodityClassification"), a("Item"), a("CreditNoteLine")),
        ),
        b("ID"): (
            (a("StandardItemIdentification"), a("Item"), a("InvoiceLine")),
            (a("StandardItemIdentification"), a("Item"), a("CreditNoteLine")),
        ),
        a("ClassifiedTaxCategory"): ((a("Item"), a("InvoiceLine")),),
    },
)


def claimed(u: TreeView, el: Element, doc_amounts: frozenset[int]) -> bool:
    """True when a rule before ``ibr-079`` in the UBL-model pattern matches ``el``."""
    if _EARLIER.taken(el) or el is u.root or id(el) in doc_amounts:
        return True
    tag = el.tag
    if tag.endswith("BinaryObject") or (tag.startswith(CBC) and tag.endswith("Time")):
        return True
    if tag in (b("EndpointID"), b("CompanyID")) and el.get("schemeID") in _IDENTIFIER_SCHEMES:
        return True
    if tag == b("ID") and el.get("schemeID") in _IDENTIFIER_SCHEMES:
        parent = el.getparent()
        if parent is not None and parent.tag == a("PartyIdentification"):
            return True
    return tag == a("TaxTotal") and u.is_invoice and el.getparent() is u.root


@rule("ibr-079", "fatal", "The document contains an empty element.")
def ibr_079(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    currencies = {text(el) for el in u.all(b("DocumentCurrencyCode"))}
    doc_amounts = frozenset(id(el) for el in doc_currency_amounts(u, currencies))
    for el in u.empties:
        if not claimed(u, el, doc_amounts):
            yield loc(el)
