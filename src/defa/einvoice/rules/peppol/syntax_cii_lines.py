"""Peppol BIS 3 rules on CII documents: allowances and charges, and invoice lines
(the CII statements of PEPPOL-EN16931-R040 ... R043 and R100 ... R130).

In CII a line's period dates are compared as the text of ``udt:DateTimeString`` (format
102 sorts like a date), and R130 has no exception for lines without a quantity.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    Element,
    TreeView,
    child,
    decimal,
    find,
    loc,
    norm,
    text,
    view,
    xpath_round2,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule
from defa.einvoice.rules.peppol.syntax_cii import RAM, RSM, UDT

__all__: list[str] = []

_SYNTAX = "cii"
_SLACK = Decimal("0.02")
_ZERO = Decimal(0)
_ONE = Decimal(1)
_AC = RAM + "SpecifiedTradeAllowanceCharge"


def _split(u: TreeView) -> tuple[list[Element], list[Element], list[Element]]:
    """Allowances and charges (document and line level) by what they carry, once:
    (percentage without basis, basis without percentage, both or neither). Upstream judges
    R040 and R043 only on the last kind (first matching rule of the pattern wins).
    """
    if u.known("cii_ac_split"):
        return u.memo("cii_ac_split")  # type: ignore[no-any-return]
    percent_only: list[Element] = []
    base_only: list[Element] = []
    complete: list[Element] = []
    for ac in u.all(_AC):
        percent = child(ac, RAM + "CalculationPercent") is not None
        base = child(ac, RAM + "BasisAmount") is not None
        if percent == base:
            complete.append(ac)
        else:
            (percent_only if percent else base_only).append(ac)
    return u.remember("cii_ac_split", (percent_only, base_only, complete))  # type: ignore[no-any-return]


@rule("PEPPOL-EN16931-R041", "fatal", "", syntax=_SYNTAX)
def r041(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        yield from (loc(ac) for ac in _split(u)[0])


@rule("PEPPOL-EN16931-R042", "fatal", "", syntax=_SYNTAX)
def r042(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        yield from (loc(ac) for ac in _split(u)[1])


@rule("PEPPOL-EN16931-R040", "fatal", "", syntax=_SYNTAX)
def r040(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for ac in _split(u)[2]:
        base_el = child(ac, RAM + "BasisAmount")
        if base_el is None:
            continue
        base = decimal(base_el)
        percent = decimal(child(ac, RAM + "CalculationPercent"))
        amount_el = child(ac, RAM + "ActualAmount")
        amount = decimal(amount_el) if amount_el is not None else _ZERO
        if base is None or percent is None or amount is None:
            yield loc(ac)
            continue
        expected = base * percent / 100
        if not expected - _SLACK <= amount <= expected + _SLACK:
            yield (loc(ac), {"expected": str(expected), "amount": str(amount)})


def _indicator_ok(ac: Element) -> bool:
    flags = find(ac, RAM + "ChargeIndicator", UDT + "Indicator")
    return norm(flags[0].text if flags else None) in ("true", "false")


@rule("PEPPOL-EN16931-R043", "fatal", "", syntax=_SYNTAX)
def r043(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    # Document and line allowances/charges, then price discounts (AppliedTradeAllowanceCharge).
    for ac in (*_split(u)[2], *u.all(RAM + "AppliedTradeAllowanceCharge")):
        if not _indicator_ok(ac):
            yield loc(ac)


def _lines(u: TreeView) -> list[Element]:
    return list(u.all(RAM + "IncludedSupplyChainTradeLineItem"))


def _first(el: Element | None, *path: str) -> Element | None:
    found = find(el, *path)
    return found[0] if found else None


def _line_sum(settlement: Element | None, indicator: str) -> Decimal | None:
    total = _ZERO
    found = False
    for ac in find(settlement, _AC):
        flags = find(ac, RAM + "ChargeIndicator", UDT + "Indicator")
        if not flags or norm(text(flags[0])) != indicator:
            continue
        found = True
        for amount in find(ac, RAM + "ActualAmount"):
            value = decimal(amount)
            if value is None:
                return None
            total += value
    return xpath_round2(total) if found else _ZERO


def _or(el: Element | None, default: Decimal) -> Decimal | None:
    return decimal(el) if el is not None else default


@rule("PEPPOL-EN16931-R120", "fatal", "", syntax=_SYNTAX)
def r120(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for line in _lines(u):
        settlement = _first(line, RAM + "SpecifiedLineTradeSettlement")
        net = _or(
            _first(
                settlement,
                RAM + "SpecifiedTradeSettlementLineMonetarySummation",
                RAM + "LineTotalAmount",
            ),
            _ZERO,
        )
        quantity = _or(
            _first(line, RAM + "SpecifiedLineTradeDelivery", RAM + "BilledQuantity"), _ONE
        )
        price = _first(line, RAM + "SpecifiedLineTradeAgreement", RAM + "NetPriceProductTradePrice")
        amount = _or(_first(price, RAM + "ChargeAmount"), _ZERO)
        base_el = _first(price, RAM + "BasisQuantity")
        base = decimal(base_el) if base_el is not None else _ONE
        if base == _ZERO:
            base = _ONE
        allowances = _line_sum(settlement, "false")
        charges = _line_sum(settlement, "true")
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
        if not net - _SLACK <= expected <= net + _SLACK:
            yield (loc(line), {"expected": str(expected), "line_net_amount": str(net)})


def _line_references(line: Element) -> list[Element]:
    return find(line, RAM + "SpecifiedLineTradeSettlement", RAM + "AdditionalReferencedDocument")


@rule("PEPPOL-EN16931-R100", "fatal", "", syntax=_SYNTAX)
def r100(doc: Invoice) -> Findings:
    u = view(doc)
    for line in _lines(u) if u is not None else ():
        objects = [
            r
            for r in _line_references(line)
            if any(text(t) == "130" for t in find(r, RAM + "TypeCode"))
        ]
        if len(objects) > 1:
            yield loc(objects[1])


@rule("PEPPOL-EN16931-R101", "fatal", "", syntax=_SYNTAX)
def r101(doc: Invoice) -> Findings:
    u = view(doc)
    for line in _lines(u) if u is not None else ():
        refs = _line_references(line)
        if refs and not any(text(t) == "130" for r in refs for t in find(r, RAM + "TypeCode")):
            yield loc(refs[0])


def _prices(u: TreeView) -> Iterator[Element]:
    yield from u.all(RAM + "NetPriceProductTradePrice")
    yield from u.all(RAM + "GrossPriceProductTradePrice")


@rule("PEPPOL-EN16931-R121", "fatal", "", syntax=_SYNTAX)
def r121(doc: Invoice) -> Findings:
    u = view(doc)
    for price in _prices(u) if u is not None else ():
        base_el = child(price, RAM + "BasisQuantity")
        if base_el is not None:
            base = decimal(base_el)
            if base is None or base <= 0:
                yield loc(base_el)


@rule("PEPPOL-EN16931-R130", "fatal", "", syntax=_SYNTAX)
def r130(doc: Invoice) -> Findings:
    u = view(doc)
    for price in _prices(u) if u is not None else ():
        for base in find(price, RAM + "BasisQuantity"):
            unit = base.get("unitCode")
            if unit is None:
                continue
            agreement = price.getparent()
            line = agreement.getparent() if agreement is not None else None
            billed = find(line, RAM + "SpecifiedLineTradeDelivery", RAM + "BilledQuantity")
            if not any(q.get("unitCode") == unit for q in billed):
                yield loc(base, "unitCode")


def _line_periods(u: TreeView, tag: str) -> Iterator[tuple[Element, list[str]]]:
    """(line period date element, the invoice period's date strings) for ``tag``."""
    for transaction in u.all(RSM + "SupplyChainTradeTransaction"):
        header = find(
            transaction,
            RAM + "ApplicableHeaderTradeSettlement",
            RAM + "BillingSpecifiedPeriod",
            RAM + tag,
        )
        if not header:
            continue
        invoice_dates = [text(d) for h in header for d in find(h, UDT + "DateTimeString")]
        for line in find(transaction, RAM + "IncludedSupplyChainTradeLineItem"):
            for el in find(
                line,
                RAM + "SpecifiedLineTradeSettlement",
                RAM + "BillingSpecifiedPeriod",
                RAM + tag,
            ):
                yield el, invoice_dates


@rule("PEPPOL-EN16931-R110", "fatal", "", syntax=_SYNTAX)
def r110(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for el, invoice_dates in _line_periods(u, "StartDateTime"):
        line_dates = [text(d) for d in find(el, UDT + "DateTimeString")]
        if not any(d >= i for d in line_dates for i in invoice_dates):
            yield loc(el)


@rule("PEPPOL-EN16931-R111", "fatal", "", syntax=_SYNTAX)
def r111(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for el, invoice_dates in _line_periods(u, "EndDateTime"):
        line_dates = [text(d) for d in find(el, UDT + "DateTimeString")]
        if not any(d <= i for d in line_dates for i in invoice_dates):
            yield loc(el)
