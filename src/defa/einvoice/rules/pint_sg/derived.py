"""PINT SG rules derived from Peppol BIS 3 (``PEPPOL-EN16931-R*-SG``): identifiers of the
specification and process, references, tax totals, allowance/charge arithmetic, mandates
and the line net amount.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.pint._xp import (
    Element,
    TreeView,
    a,
    b,
    child,
    decimal,
    exists,
    find,
    loc,
    norm,
    slack,
    text,
    tree,
)
from defa.einvoice.rules.pint_sg import rule

__all__ = ["SG_CUSTOMIZATION", "SG_PROCESS"]

SG_CUSTOMIZATION = "urn:peppol:pint:billing-1@sg-1"
SG_PROCESS = "urn:peppol:bis:billing"
_DIRECT_DEBIT = frozenset({"49", "59"})
_TOLERANCE = Decimal("0.02")
_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


@rule(
    "PEPPOL-EN16931-R004-SG",
    "fatal",
    f"The specification identifier (ibt-024) must start with '{SG_CUSTOMIZATION}'.",
    terms=("BT-24",),
)
def r004(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        node = child(u.root, b("CustomizationID"))
        value = norm(node.text if node is not None else "")
        if not value.startswith(SG_CUSTOMIZATION):
            yield loc(node if node is not None else u.root)


@rule(
    "PEPPOL-EN16931-R007-SG",
    "fatal",
    f"The business process (ibt-023) must be '{SG_PROCESS}'.",
    terms=("BT-23",),
)
def r007(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        node = child(u.root, b("ProfileID"))
        if norm(node.text if node is not None else "") != SG_PROCESS:
            yield loc(node if node is not None else u.root)


@rule(
    "PEPPOL-EN16931-R003-SG",
    "fatal",
    "A buyer reference (ibt-010) or purchase order reference (ibt-013) must be provided.",
    terms=("BT-10", "BT-13"),
)
def r003(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None and not (
        exists(u.root, b("BuyerReference")) or exists(u.root, a("OrderReference"), b("ID"))
    ):
        yield loc(u.root)


@rule("PEPPOL-EN16931-R053-SG", "fatal", "Exactly one tax total with tax subtotals is required.")
def r053(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        with_subtotals = [t for t in u.top(a("TaxTotal")) if exists(t, a("TaxSubtotal"))]
        if len(with_subtotals) != 1:
            yield loc(u.root)


@rule(
    "PEPPOL-EN16931-R054-SG",
    "fatal",
    "One tax total without subtotals is required when, and only when, a tax currency is given.",
)
def r054(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        bare = [t for t in u.top(a("TaxTotal")) if not exists(t, a("TaxSubtotal"))]
        if len(bare) != (1 if u.top(b("TaxCurrencyCode")) else 0):
            yield loc(u.root)


def _charges(u: TreeView) -> Iterator[Element]:
    """Document and line allowances/charges (``ubl:Invoice/cac:AllowanceCharge``,
    ``ubl:Invoice/cac:InvoiceLine/cac:AllowanceCharge`` and the credit note forms)."""
    yield from u.top(a("AllowanceCharge"))
    for line in u.lines():
        yield from find(line, a("AllowanceCharge"))


@rule(
    "PEPPOL-EN16931-R041-SG",
    "fatal",
    "An allowance/charge percentage is given without its base amount.",
)
def r041(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for ac in _charges(u):
            if exists(ac, b("MultiplierFactorNumeric")) and not exists(ac, b("BaseAmount")):
                yield loc(ac)


@rule(
    "PEPPOL-EN16931-R042-SG",
    "fatal",
    "An allowance/charge base amount is given without its percentage.",
)
def r042(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for ac in _charges(u):
            if exists(ac, b("BaseAmount")) and not exists(ac, b("MultiplierFactorNumeric")):
                yield loc(ac)


@rule(
    "PEPPOL-EN16931-R040-SG",
    "fatal",
    "The allowance/charge amount is not base amount * percentage / 100.",
)
def r040(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for ac in _charges(u):
        factor, base = child(ac, b("MultiplierFactorNumeric")), child(ac, b("BaseAmount"))
        if factor is None or base is None:
            continue
        amount_el = child(ac, b("Amount"))
        amount = decimal(amount_el) if amount_el is not None else _ZERO
        f, bv = decimal(factor), decimal(base)
        if (
            amount is None
            or f is None
            or bv is None
            or not slack(amount, bv * f / _HUNDRED, _TOLERANCE)
        ):
            yield loc(ac)


@rule(
    "PEPPOL-EN16931-R061-SG",
    "fatal",
    "A direct debit (payment means 49 or 59) must have a mandate reference (ibt-089).",
)
def r061(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for means in u.all(a("PaymentMeans")):
        code = child(means, b("PaymentMeansCode"))
        debit = code is not None and norm(text(code)) in _DIRECT_DEBIT
        if debit and not exists(means, a("PaymentMandate"), b("ID")):
            yield loc(means)


@rule(
    "PEPPOL-EN16931-R046-SG",
    "fatal",
    "The item net price (ibt-146) is not gross price (ibt-148) - price discount (ibt-147).",
)
def r046(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for ac in u.all(a("AllowanceCharge")):
        price = ac.getparent()
        if price is None or price.tag != a("Price") or child(ac, b("BaseAmount")) is None:
            continue
        net = decimal(child(price, b("PriceAmount")))
        gross, discount = decimal(child(ac, b("BaseAmount"))), decimal(child(ac, b("Amount")))
        if net is None or gross is None or discount is None or net != gross - discount:
            yield loc(ac)


def _line_sum(line: Element, indicator: str) -> Decimal:
    """``sum(cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = x]/cbc:Amount)``."""
    total = _ZERO
    for ac in find(line, a("AllowanceCharge")):
        if norm(text(child(ac, b("ChargeIndicator")))) == indicator:
            for amount in find(ac, b("Amount")):
                total += decimal(amount) or _ZERO
    return total


@rule(
    "PEPPOL-EN16931-R120-SG",
    "fatal",
    "The line net amount (ibt-131) is not quantity * (price / base quantity) + charges - "
    "allowances.",
)
def r120(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    quantity_tag = b("InvoicedQuantity") if u.is_invoice else b("CreditedQuantity")
    for tag in (a("InvoiceLine"), a("CreditNoteLine")):
        for line in u.all(tag):
            net = decimal(child(line, b("LineExtensionAmount"))) or _ZERO
            q = child(line, quantity_tag)
            quantity = decimal(q) if q is not None else _ONE
            price_el = find(line, a("Price"), b("PriceAmount"))
            price = decimal(price_el[0]) if price_el else _ZERO
            base_el = find(line, a("Price"), b("BaseQuantity"))
            base = decimal(base_el[0]) if base_el else None
            base = base if base else _ONE  # absent or zero: 1
            if quantity is None or price is None:
                yield loc(line)
                continue
            expected = (
                quantity * (price / base) + _line_sum(line, "true") - _line_sum(line, "false")
            )
            if not slack(net, expected, _TOLERANCE):
                yield loc(line), {"expected": str(expected)}
