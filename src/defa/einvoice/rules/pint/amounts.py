"""PINT base rules on amounts: document totals (ibg-22), tax totals, document and line
allowances and charges, and the currency of every amount (ibr-126).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.pint import at_most, rule
from defa.einvoice.rules.pint._xp import (
    Element,
    TreeView,
    a,
    at,
    b,
    charge_indicator,
    child,
    decimal,
    decimals_over,
    exists,
    find,
    loc,
    norm,
    text,
    tree,
    xpath_round2,
)

__all__ = ["AMOUNT_TAGS", "document_charges", "in_line", "is_true", "tax_included", "totals"]

# The amounts whose currency must be the invoice currency (ibr-126's context).
AMOUNT_TAGS = tuple(
    b(n)
    for n in (
        "Amount",
        "BaseAmount",
        "PriceAmount",
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
_LINES = frozenset({a("InvoiceLine"), a("CreditNoteLine")})
_ZERO = Decimal(0)


def in_line(el: Element) -> bool:
    """``ancestor::cac:InvoiceLine | ancestor::cac:CreditNoteLine`` is not empty."""
    return any(p.tag in _LINES for p in el.iterancestors())


def is_true(el: Element | None) -> bool:
    """An element compared with ``true()``: its value cast to xs:boolean is true."""
    return el is not None and text(el).strip() in ("true", "1")


def tax_included(root: Element) -> bool:
    """``cac:TaxTotal/cbc:TaxIncludedIndicator = true()`` on the document."""
    return any(is_true(el) for el in find(root, a("TaxTotal"), b("TaxIncludedIndicator")))


def totals(u: TreeView) -> list[Element]:
    """Every ``cac:LegalMonetaryTotal`` (the context of the totals rules)."""
    return list(u.all(a("LegalMonetaryTotal")))


def document_charges(parent: Element | None, charge: bool) -> list[Element]:
    """``../cac:AllowanceCharge[cbc:ChargeIndicator = charge]`` of a totals group."""
    return [ac for ac in find(parent, a("AllowanceCharge")) if charge_indicator(ac) is charge]


def _sum(elements: list[Element], tag: str) -> Decimal | None:
    """``sum(elements/xs:decimal(tag))``; None when a value is not a decimal."""
    total = _ZERO
    for el in elements:
        for node in find(el, tag):
            value = decimal(node)
            if value is None:
                return None
            total += value
    return total


def _value(el: Element | None, tag: str) -> Decimal | None:
    node = child(el, tag) if el is not None else None
    return decimal(node) if node is not None else None


# -- document totals -------------------------------------------------------------------------

# Each rule's check made by a function, not defined in the loop below: a function defined in a
# loop at module level is one function in the compiled copy (tools/compile.py), its default
# values fixed once, so every rule would test the same element.


def _required(tag: str) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is not None:
            yield from (loc(t) for t in totals(u) if child(t, tag) is None)

    return check


def _decimals(tag: str) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is not None:
            yield from (loc(t) for t in totals(u) if decimals_over(t, tag))

    return check


for _id, _tag, _message in (
    ("ibr-012", "LineExtensionAmount", "The sum of line net amounts (ibt-106) is missing."),
    ("ibr-013", "TaxExclusiveAmount", "The total without tax (ibt-109) is missing."),
    ("ibr-014", "TaxInclusiveAmount", "The total with tax (ibt-112) is missing."),
    ("ibr-015", "PayableAmount", "The amount due for payment (ibt-115) is missing."),
):
    rule(_id, "fatal", _message)(_required(b(_tag)))

for _id, _tag, _message in (
    ("ibr-091", "PayableAmount", "The amount due for payment (ibt-115) has more than 2 decimals."),
    (
        "ibr-121",
        "AllowanceTotalAmount",
        "The sum of allowances (ibt-107) has more than 2 decimals.",
    ),
    ("ibr-122", "ChargeTotalAmount", "The sum of charges (ibt-108) has more than 2 decimals."),
    ("ibr-123", "TaxExclusiveAmount", "The total without tax (ibt-109) has more than 2 decimals."),
    ("ibr-125", "TaxInclusiveAmount", "The total with tax (ibt-112) has more than 2 decimals."),
):
    rule(_id, "fatal", _message)(_decimals(b(_tag)))


@rule("ibr-co-10", "fatal", "The sum of line net amounts (ibt-106) is not the sum of ibt-131.")
def ibr_co_10(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    lines = [*u.all(a("InvoiceLine")), *u.all(a("CreditNoteLine"))]
    expected = _sum(lines, b("LineExtensionAmount"))
    for t in totals(u):
        stated = _value(t, b("LineExtensionAmount"))
        if stated is None or expected is None or stated != xpath_round2(expected):
            yield loc(t), {"expected": str(expected)}


def _sum_rule(rule_id: str, message: str, total_tag: str, charge: bool) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for t in totals(u):
            found = document_charges(t.getparent(), charge)
            stated = child(t, total_tag)
            if stated is None and not found:
                continue
            expected = _sum(found, b("Amount"))
            value = decimal(stated) if stated is not None else None
            if value is None or expected is None or value != xpath_round2(expected):
                yield loc(t), {"expected": str(expected)}

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_sum_rule(
    "ibr-co-11",
    "The sum of allowances (ibt-107) is not the sum of ibt-092.",
    b("AllowanceTotalAmount"),
    False,
)
_sum_rule(
    "ibr-co-12",
    "The sum of charges (ibt-108) is not the sum of ibt-099.",
    b("ChargeTotalAmount"),
    True,
)


@rule(
    "ibr-co-13",
    "fatal",
    "The total without tax (ibt-109) is not line net sum - allowances + charges.",
)
def ibr_co_13(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for t in totals(u):
        parent = t.getparent()
        if parent is not None and tax_included(parent):
            continue
        lines = _value(t, b("LineExtensionAmount"))
        stated = _value(t, b("TaxExclusiveAmount"))
        charges = child(t, b("ChargeTotalAmount"))
        allowances = child(t, b("AllowanceTotalAmount"))
        if lines is None or stated is None:
            yield loc(t)
            continue
        expected: Decimal | None = lines
        for node, sign in ((charges, 1), (allowances, -1)):
            if node is not None:
                value = decimal(node)
                if value is None:
                    expected = None
                    break
                expected = (expected or _ZERO) + sign * value
        if charges is None and allowances is None:
            ok = stated == lines
        else:
            ok = expected is not None and stated == xpath_round2(expected)
        if not ok:
            yield loc(t), {"expected": str(expected)}


def _nonzero(value: Decimal | None) -> bool:
    """The effective boolean value of ``xs:decimal(x)``: present and not zero."""
    return value is not None and value != _ZERO


@rule(
    "ibr-co-16",
    "fatal",
    "The amount due (ibt-115) is not total with tax - paid amount + rounding amount.",
)
def ibr_co_16(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for t in totals(u):
        payable = _value(t, b("PayableAmount"))
        inclusive = _value(t, b("TaxInclusiveAmount"))
        paid = _value(t, b("PrepaidAmount"))
        rounding = _value(t, b("PayableRoundingAmount"))
        if payable is None or inclusive is None:
            yield loc(t)
            continue
        due = inclusive - paid if _nonzero(paid) and paid is not None else inclusive
        if _nonzero(rounding) and rounding is not None:
            ok = xpath_round2(payable - rounding) == xpath_round2(due)
        elif _nonzero(paid):
            ok = payable == xpath_round2(due)
        else:
            ok = payable == inclusive
        if not ok:
            yield loc(t)


@rule(
    "ibr-co-15",
    "fatal",
    "The total with tax (ibt-112) is not total without tax (ibt-109) + total tax (ibt-110).",
)
def ibr_co_15(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None or tax_included(u.root):
        return
    currency = child(u.root, b("DocumentCurrencyCode"))
    code = text(currency) if currency is not None else None
    tax_totals = u.top(a("TaxTotal"))
    tax = [
        decimal(el)
        for el in (find(tax_totals[0], b("TaxAmount")) if tax_totals else [])
        if el.get("currencyID") == code
    ]
    ok = False
    for t in u.top(a("LegalMonetaryTotal")):
        inclusive = _value(t, b("TaxInclusiveAmount"))
        exclusive = _value(t, b("TaxExclusiveAmount"))
        if inclusive is None or exclusive is None:
            continue
        ok = ok or any(v is not None and inclusive == xpath_round2(exclusive + v) for v in tax)
    if not ok:
        yield loc(u.root)


# -- tax totals ------------------------------------------------------------------------------


def _invoice_tax_totals(u: TreeView) -> list[Element]:
    """``/ubl:Invoice/cac:TaxTotal``: upstream's credit note branch names ``cac:Taxtotal``,
    which no document has, so these rules judge invoices only."""
    return u.top(a("TaxTotal")) if u.is_invoice else []


@rule("ibr-124", "fatal", "The total tax amount (ibt-110) has more than 2 decimals.")
def ibr_124(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(t) for t in _invoice_tax_totals(u) if decimals_over(t, b("TaxAmount")))


@rule("ibr-co-14", "fatal", "The total tax amount (ibt-110) is not the sum of ibt-117.")
def ibr_co_14(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for t in _invoice_tax_totals(u):
        subtotals = find(t, a("TaxSubtotal"))
        if not subtotals:
            continue
        stated = _value(t, b("TaxAmount"))
        expected = _sum(subtotals, b("TaxAmount"))
        if stated is None or expected is None or stated != xpath_round2(expected):
            yield loc(t), {"expected": str(expected)}


at_most(
    "ibr-sr-32",
    "The tax exemption reason (ibt-120) occurs more than once.",
    lambda u: u.all(a("TaxSubtotal")),
    a("TaxCategory"),
    b("TaxExemptionReason"),
)


# -- allowances and charges ----------------------------------------------------------------


def _allowance_charges(u: TreeView, charge: bool | None) -> Iterator[Element]:
    """``cac:AllowanceCharge`` with this indicator, except price allowances (which the
    earlier ``cac:Price/cac:AllowanceCharge`` rule takes)."""
    for ac in u.all(a("AllowanceCharge")):
        parent = ac.getparent()
        if parent is not None and parent.tag == a("Price"):
            continue
        if charge_indicator(ac) is charge:
            yield ac


def _has_reason(ac: Element) -> bool:
    return exists(ac, b("AllowanceChargeReason")) or exists(ac, b("AllowanceChargeReasonCode"))


@rule("ibr-083", "fatal", "A charge on price level (ibt-147) is not allowed.")
def ibr_083(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for ac in at(u, a("Price"), a("AllowanceCharge")):
            node = child(ac, b("ChargeIndicator"))
            if norm(node.text if node is not None else "") != "false":
                yield loc(ac)


@rule("ibr-082", "fatal", "The allowance/charge indicator is not 'true' or 'false'.")
def ibr_082(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(ac) for ac in _allowance_charges(u, None))


def _charge_rule(rule_id: str, message: str, charge: bool, level: str, test: str) -> None:
    """Allowance (``charge`` False) or charge rules; ``level``: document, line or any;
    ``test``: amount or reason."""

    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for ac in _allowance_charges(u, charge):
            if level != "any" and in_line(ac) != (level == "line"):
                continue
            ok = exists(ac, b("Amount")) if test == "amount" else _has_reason(ac)
            if not ok:
                yield loc(ac)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_charge_rule(
    "ibr-031",
    "A document level allowance (ibg-20) has no amount (ibt-092).",
    False,
    "document",
    "amount",
)
_charge_rule(
    "ibr-033",
    "A document level allowance has no reason (ibt-097) or reason code (ibt-098).",
    False,
    "document",
    "reason",
)
_charge_rule(
    "ibr-041",
    "An invoice line allowance (ibg-27) has no amount (ibt-136).",
    False,
    "line",
    "amount",
)
_charge_rule(
    "ibr-042",
    "An invoice line allowance has no reason (ibt-139) or reason code (ibt-140).",
    False,
    "line",
    "reason",
)
_charge_rule(
    "ibr-036",
    "A document level charge (ibg-21) has no amount (ibt-099).",
    True,
    "document",
    "amount",
)
_charge_rule(
    "ibr-038",
    "A document level charge has no reason (ibt-104) or reason code (ibt-105).",
    True,
    "document",
    "reason",
)
_charge_rule(
    "ibr-043", "An invoice line charge (ibg-28) has no amount (ibt-141).", True, "line", "amount"
)
_charge_rule(
    "ibr-044",
    "A line charge has no reason (ibt-144) or reason code (ibt-145).",
    True,
    "any",
    "reason",
)

at_most(
    "ibr-sr-30",
    "The allowance reason (ibt-097) occurs more than once.",
    lambda u: _allowance_charges(u, False),
    b("AllowanceChargeReason"),
)
at_most(
    "ibr-sr-31",
    "The charge reason (ibt-104) occurs more than once.",
    lambda u: _allowance_charges(u, True),
    b("AllowanceChargeReason"),
)
at_most(
    "ibr-sr-61",
    "The allowance/charge tax exemption reason occurs more than once.",
    lambda u: at(u, a("AllowanceCharge"), a("TaxCategory")),
    b("TaxExemptionReason"),
)


# -- currencies of amounts -------------------------------------------------------------------


def doc_currency_amounts(u: TreeView, currencies: set[str]) -> Iterator[Element]:
    """Tax amounts of the tax totals stated in the invoice currency, with their subtotals'
    taxable and tax amounts (the rest of ibr-126's context)."""
    for total in u.all(a("TaxTotal")):
        amounts = find(total, b("TaxAmount"))
        if not any(el.get("currencyID") in currencies for el in amounts):
            continue
        yield from amounts
        yield from find(total, a("TaxSubtotal"), b("TaxableAmount"))
        yield from find(total, a("TaxSubtotal"), b("TaxAmount"))


@rule(
    "ibr-126",
    "fatal",
    "An amount's currency is not the invoice currency (ibt-005), outside tax accounting amounts.",
)
def ibr_126(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    currencies = {text(el) for el in u.all(b("DocumentCurrencyCode"))}
    extension = a("ItemPriceExtension")
    for tag in AMOUNT_TAGS:
        for el in u.all(tag):
            if el.get("currencyID") in currencies:
                continue
            if any(p.tag == extension for p in el.iterancestors()):
                continue
            yield loc(el, "currencyID")
    for el in doc_currency_amounts(u, currencies):
        if el.get("currencyID") not in currencies:
            yield loc(el, "currencyID")
