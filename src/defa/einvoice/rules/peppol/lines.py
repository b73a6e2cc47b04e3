"""Peppol BIS 3 rules on allowances and charges, and on invoice lines
(PEPPOL-EN16931-R040 ... R046, R100 ... R130).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    CAC,
    CBC,
    Element,
    TreeView,
    child,
    children,
    decimal,
    loc,
    norm,
    text,
    view,
    xpath_round2,
    xs_date,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule

__all__: list[str] = []

_SLACK = Decimal("0.02")
_ZERO = Decimal(0)
_ONE = Decimal(1)
_LINE_NET = CBC + "LineExtensionAmount"
_PRICE = CAC + "Price"
_PRICE_AMOUNT = CBC + "PriceAmount"
_BASE_QUANTITY = CBC + "BaseQuantity"
_AC = CAC + "AllowanceCharge"


def _allowance_charges(u: TreeView) -> Iterator[Element]:
    """Document-level and line-level allowances and charges (not price-level ones)."""
    yield from u.top(CAC + "AllowanceCharge")
    for line in u.lines():
        yield from children(line, CAC + "AllowanceCharge")


def _has(el: Element, tag: str) -> bool:
    return child(el, tag) is not None


def _within(expected: Decimal, value: Decimal) -> bool:
    """Peppol's ``u:slack``: ``value`` within 0.02 of ``expected``."""
    return expected - _SLACK <= value <= expected + _SLACK


def _split(u: TreeView) -> tuple[list[Element], list[Element], list[Element]]:
    """Document and line allowances/charges by what they carry, once per document:
    (percentage without base amount, base amount without percentage, both or neither).
    """
    if u.known("ac_split"):
        return u.memo("ac_split")  # type: ignore[no-any-return]
    percent_only: list[Element] = []
    base_only: list[Element] = []
    complete: list[Element] = []
    for ac in _allowance_charges(u):
        percent = _has(ac, CBC + "MultiplierFactorNumeric")
        base = _has(ac, CBC + "BaseAmount")
        if percent == base:
            complete.append(ac)
        else:
            (percent_only if percent else base_only).append(ac)
    return u.remember("ac_split", (percent_only, base_only, complete))  # type: ignore[no-any-return]


@rule(
    "PEPPOL-EN16931-R041",
    "fatal",
    "An allowance or charge with a percentage needs its base amount.",
    terms=("BT-93", "BT-100", "BT-137", "BT-142"),
    syntax="ubl",
)
def r041(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for ac in _split(u)[0]:
            yield loc(ac)


@rule(
    "PEPPOL-EN16931-R042",
    "fatal",
    "An allowance or charge with a base amount needs its percentage.",
    terms=("BT-94", "BT-101", "BT-138", "BT-143"),
    syntax="ubl",
)
def r042(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for ac in _split(u)[1]:
            yield loc(ac)


# Upstream evaluates R040 and R043 in the same pattern as R041 and R042, after them: an
# allowance or charge caught by R041 or R042 is not judged by R040 or R043.
def _complete(u: TreeView) -> list[Element]:
    return _split(u)[2]


@rule(
    "PEPPOL-EN16931-R040",
    "fatal",
    "An allowance or charge amount must equal base amount × percentage / 100 (± 0.02).",
    terms=("BT-92", "BT-93", "BT-94", "BT-99", "BT-100", "BT-101"),
    syntax="ubl",
)
def r040(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for ac in _complete(u):
        base = decimal(child(ac, CBC + "BaseAmount"))
        percent = decimal(child(ac, CBC + "MultiplierFactorNumeric"))
        if not _has(ac, CBC + "BaseAmount"):
            continue
        amount_el = child(ac, CBC + "Amount")
        amount = decimal(amount_el) if amount_el is not None else _ZERO
        if base is None or percent is None or amount is None:
            yield loc(ac)
            continue
        expected = base * percent / 100
        if not _within(amount, expected):
            yield (loc(ac), {"expected": str(expected), "amount": str(amount)})


@rule(
    "PEPPOL-EN16931-R043",
    "fatal",
    "An allowance/charge indicator must be 'true' or 'false'.",
    syntax="ubl",
)
def r043(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for ac in _complete(u):
        indicator = child(ac, CBC + "ChargeIndicator")
        if norm(indicator.text if indicator is not None else None) not in ("true", "false"):
            yield loc(indicator if indicator is not None else ac)


def _price_allowances(u: TreeView) -> Iterator[Element]:
    return u.with_parent(CAC + "AllowanceCharge", CAC + "Price")


@rule(
    "PEPPOL-EN16931-R044",
    "fatal",
    "A price may carry an allowance (the price discount) but no charge.",
    terms=("BT-147",),
    syntax="ubl",
)
def r044(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for ac in _price_allowances(u):
        if norm(text(child(ac, CBC + "ChargeIndicator"))) != "false":
            yield loc(ac)


@rule(
    "PEPPOL-EN16931-R046",
    "fatal",
    "The item net price (BT-146) must equal the gross price (BT-148) less the price "
    "discount (BT-147).",
    terms=("BT-146", "BT-147", "BT-148"),
    syntax="ubl",
)
def r046(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for ac in _price_allowances(u):
        gross_el = child(ac, CBC + "BaseAmount")
        if gross_el is None:
            continue
        gross = decimal(gross_el)
        discount = decimal(child(ac, CBC + "Amount"))
        net = decimal(child(ac.getparent(), CBC + "PriceAmount"))
        if gross is None or discount is None or net is None or net != gross - discount:
            yield loc(ac)


def _all_lines(u: TreeView) -> Iterator[Element]:
    """Every invoice or credit note line element, wherever it sits (upstream's context)."""
    yield from u.all(CAC + "InvoiceLine")
    yield from u.all(CAC + "CreditNoteLine")


def _line_sum(line: Element, indicator: str) -> Decimal | None:
    total = _ZERO
    found = False
    for ac in children(line, CAC + "AllowanceCharge"):
        if norm(text(child(ac, CBC + "ChargeIndicator"))) != indicator:
            continue
        found = True
        for amount in children(ac, CBC + "Amount"):
            value = decimal(amount)
            if value is None:
                return None
            total += value
    return xpath_round2(total) if found else _ZERO


def _or(value: Element | None, default: Decimal) -> Decimal | None:
    return decimal(value) if value is not None else default


@rule(
    "PEPPOL-EN16931-R120",
    "fatal",
    "The invoice line net amount (BT-131) must equal quantity × (net price / price base "
    "quantity) + line charges − line allowances (± 0.02).",
    terms=("BT-129", "BT-131", "BT-136", "BT-141", "BT-146", "BT-149"),
    syntax="ubl",
)
def r120(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    quantity_tag = CBC + ("InvoicedQuantity" if u.is_invoice else "CreditedQuantity")
    for line in _all_lines(u):
        # One look at the line's children: the first of each tag, as upstream reads them.
        first: dict[str, Element] = {}
        for c in line:
            first.setdefault(c.tag, c)
        net = _or(first.get(_LINE_NET), _ZERO)
        quantity = _or(first.get(quantity_tag), _ONE)
        price = first.get(_PRICE)
        amount = _or(child(price, _PRICE_AMOUNT) if price is not None else None, _ZERO)
        base_el = child(price, _BASE_QUANTITY) if price is not None else None
        base = decimal(base_el) if base_el is not None else _ONE
        if base == _ZERO:
            base = _ONE
        if _AC in first:
            allowances = _line_sum(line, "false")
            charges = _line_sum(line, "true")
        else:
            allowances = charges = _ZERO
        if (
            net is None
            or quantity is None
            or amount is None
            or base is None
            or allowances is None
            or charges is None
        ):
            yield loc(line)  # a value that is not a number: the sum cannot hold
            continue
        expected = quantity * (amount / base) + charges - allowances
        if not _within(net, expected):
            yield (loc(line), {"expected": str(expected), "line_net_amount": str(net)})


@rule(
    "PEPPOL-EN16931-R121",
    "fatal",
    "The item price base quantity (BT-149) must be above zero.",
    terms=("BT-149",),
    syntax="ubl",
)
def r121(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for line in _all_lines(u):
        price = child(line, CAC + "Price")
        base_el = child(price, CBC + "BaseQuantity") if price is not None else None
        if base_el is not None:
            base = decimal(base_el)
            if base is None or base <= 0:
                yield loc(base_el)


def _line_references(u: TreeView) -> dict[Element, list[Element]]:
    """Each line's document references (BG-25's BT-128), for the lines that have any."""
    found: dict[Element, list[Element]] = {}
    for tag in (CAC + "InvoiceLine", CAC + "CreditNoteLine"):
        for ref in u.with_parent(CAC + "DocumentReference", tag):
            found.setdefault(ref.getparent(), []).append(ref)
    return found


@rule(
    "PEPPOL-EN16931-R100",
    "fatal",
    "An invoice line may reference at most one invoiced object (BT-128).",
    terms=("BT-128",),
    syntax="ubl",
)
def r100(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for refs in _line_references(u).values():
        if len(refs) > 1:
            yield loc(refs[1])


@rule(
    "PEPPOL-EN16931-R101",
    "fatal",
    "A line document reference may only be an invoiced object (document type 130).",
    terms=("BT-128", "BT-128-1"),
    syntax="ubl",
)
def r101(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for refs in _line_references(u).values():
        if not any(
            text(code) == "130" for ref in refs for code in children(ref, CBC + "DocumentTypeCode")
        ):
            yield loc(refs[0])


def _line_periods(u: TreeView, tag: str) -> Iterator[tuple[Element, Element]]:
    """(line date, invoice date) pairs for ``tag`` (StartDate or EndDate)."""
    header = None
    for period in u.top(CAC + "InvoicePeriod"):
        header = child(period, tag)
        if header is not None:
            break
    if header is None:
        return
    for line in u.lines():
        for period in children(line, CAC + "InvoicePeriod"):
            for el in children(period, tag):
                yield el, header


@rule(
    "PEPPOL-EN16931-R110",
    "fatal",
    "The invoice line period start date (BT-134) must lie within the invoicing period.",
    terms=("BT-73", "BT-134"),
    syntax="ubl",
)
def r110(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for el, header in _line_periods(u, CBC + "StartDate"):
        line_date, invoice_date = xs_date(text(el)), xs_date(text(header))
        # Dates that are not dates are reported by PEPPOL-EN16931-F001.
        if line_date is not None and invoice_date is not None and line_date < invoice_date:
            yield loc(el)


@rule(
    "PEPPOL-EN16931-R111",
    "fatal",
    "The invoice line period end date (BT-135) must lie within the invoicing period.",
    terms=("BT-74", "BT-135"),
    syntax="ubl",
)
def r111(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for el, header in _line_periods(u, CBC + "EndDate"):
        line_date, invoice_date = xs_date(text(el)), xs_date(text(header))
        if line_date is not None and invoice_date is not None and line_date > invoice_date:
            yield loc(el)


@rule(
    "PEPPOL-EN16931-R130",
    "fatal",
    "The unit of the price base quantity (BT-150) must be that of the invoiced quantity (BT-130).",
    terms=("BT-130", "BT-150"),
    syntax="ubl",
)
def r130(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    quantity_tag = CBC + ("InvoicedQuantity" if u.is_invoice else "CreditedQuantity")
    for base in u.with_parent(CBC + "BaseQuantity", CAC + "Price"):
        unit = base.get("unitCode")
        if unit is None:
            continue
        price = base.getparent()
        line = price.getparent() if price is not None else None
        if line is None:
            continue
        if not (_has(line, CBC + "InvoicedQuantity") or _has(line, CBC + "CreditedQuantity")):
            continue
        if not any(q.get("unitCode") == unit for q in children(line, quantity_tag)):
            yield loc(base, "unitCode")
