"""PINT SG rules on supplies from a company not registered for GST (category NG):
``BR-NG-01``, ``-02`` ... ``-04``, ``-08``, ``-09``, ``-11`` ... ``-14-GST-SG``.
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
    charge_indicator,
    child,
    decimal,
    find,
    loc,
    tree,
)
from defa.einvoice.rules.pint.amounts import document_charges
from defa.einvoice.rules.pint_sg import rule
from defa.einvoice.rules.pint_sg.gst import breakdown, code_of, gst_categories, gst_ids, is_gst

__all__: list[str] = []

_ZERO = Decimal(0)


def _ng(categories: list[Element]) -> list[Element]:
    return [c for c in categories if code_of(c) == "NG"]


def _document_charge_categories(u: TreeView, charge: bool) -> list[Element]:
    """``/*/cac:AllowanceCharge[indicator]/cac:TaxCategory`` of scheme GST."""
    return [
        c
        for ac in u.top(a("AllowanceCharge"))
        if charge_indicator(ac) is charge
        for c in find(ac, a("TaxCategory"))
        if is_gst(c)
    ]


@rule(
    "BR-NG-01-GST-SG",
    "fatal",
    "An invoice with GST category NG must have exactly one NG GST breakdown (BG-23).",
)
def br_ng_01(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    anywhere = _ng(gst_categories(u, a("TaxCategory"))) or _ng(
        gst_categories(u, a("ClassifiedTaxCategory"))
    )
    if anywhere and len(_ng(breakdown(u))) != 1:
        yield loc(u.root)


def _no_gst_ids(rule_id: str, message: str, where: str) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        if where == "line":
            found = _ng(gst_categories(u, a("ClassifiedTaxCategory")))
        else:
            found = _ng(_document_charge_categories(u, where == "charge"))
        if found and gst_ids(u):
            yield loc(u.root)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_no_gst_ids(
    "BR-NG-02-GST-SG",
    "An NG invoice line must not come with a seller, tax representative or buyer GST id.",
    "line",
)
_no_gst_ids(
    "BR-NG-03-GST-SG",
    "An NG document allowance must not come with a seller, tax representative or buyer GST id.",
    "allowance",
)
_no_gst_ids(
    "BR-NG-04-GST-SG",
    "An NG document charge must not come with a seller, tax representative or buyer GST id.",
    "charge",
)


def _ng_alone(rule_id: str, message: str, others: str) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None or not _ng(breakdown(u)):
            return
        if others == "breakdown":
            found = [c for c in breakdown(u) if code_of(c) != "NG"]
        elif others == "line":
            found = [c for c in gst_categories(u, a("ClassifiedTaxCategory")) if code_of(c) != "NG"]
        else:
            charge = others == "charge"
            found = [
                c
                for ac in u.all(a("AllowanceCharge"))
                if charge_indicator(ac) is charge
                for c in find(ac, a("TaxCategory"))
                if is_gst(c) and code_of(c) != "NG"
            ]
        if found:
            yield loc(u.root)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_ng_alone("BR-NG-11-GST-SG", "An NG GST breakdown must be the only GST breakdown.", "breakdown")
_ng_alone("BR-NG-12-GST-SG", "With an NG GST breakdown, every line must be NG.", "line")
_ng_alone("BR-NG-13-GST-SG", "With an NG GST breakdown, every allowance must be NG.", "allowance")
_ng_alone("BR-NG-14-GST-SG", "With an NG GST breakdown, every charge must be NG.", "charge")


def _ng_breakdowns(u: TreeView) -> Iterator[Element]:
    """``cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[ID = 'NG'][GST]`` anywhere."""
    for c in gst_categories(u, a("TaxCategory")):
        sub = c.getparent()
        if (
            code_of(c) == "NG"
            and sub is not None
            and sub.tag == a("TaxSubtotal")
            and sub.getparent() is not None
            and sub.getparent().tag == a("TaxTotal")
        ):
            yield c


@rule(
    "BR-NG-08-GST-SG",
    "fatal",
    "The NG taxable amount (BT-116-GST) is not the NG line net amounts + NG charges - NG "
    "allowances.",
)
def br_ng_08(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for c in _ng_breakdowns(u):
        subtotal = c.getparent()
        owner = subtotal.getparent().getparent()
        taxable = decimal(child(subtotal, b("TaxableAmount")))
        ok = False
        for tag in (a("InvoiceLine"), a("CreditNoteLine")):
            if not u.all(tag):
                continue
            total = _ZERO
            for line in find(owner, tag):
                if any(
                    code_of(cat) == "NG"
                    for cat in find(line, a("Item"), a("ClassifiedTaxCategory"))
                ):
                    total += decimal(child(line, b("LineExtensionAmount"))) or _ZERO
            for charge, sign in ((True, 1), (False, -1)):
                for ac in document_charges(owner, charge):
                    if any(code_of(cat) == "NG" for cat in find(ac, a("TaxCategory"))):
                        total += sign * (decimal(child(ac, b("Amount"))) or _ZERO)
            ok = ok or (taxable is not None and taxable == total)
        if not ok:
            yield loc(subtotal)


@rule("BR-NG-09-GST-SG", "fatal", "The NG GST category tax amount (BT-117-GST) is not 0.")
def br_ng_09(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for c in _ng_breakdowns(u):
            amounts = find(c.getparent(), b("TaxAmount"))
            if not any(decimal(x) == _ZERO for x in amounts):
                yield loc(c.getparent())
