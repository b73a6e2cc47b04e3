"""PINT SG rules on totals, the GST breakdown, non-GST-registered supplies (``BR-NG-*``),
the UUID, parties and payment (the aligned file's ``UBL-model`` pattern).
"""

from __future__ import annotations

import re
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
    decimals_over,
    exists,
    find,
    has_text,
    loc,
    norm,
    rounded,
    text,
    tree,
    xpath_round2,
)
from defa.einvoice.rules.pint.amounts import document_charges, totals
from defa.einvoice.rules.pint_sg import never, rule

__all__ = ["breakdown", "code_of", "gst_categories", "gst_ids", "is_gst"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ZERO = Decimal(0)
_TWO = Decimal(2)
_HUNDRED = Decimal(100)


def is_gst(category: Element, exact: bool = False) -> bool:
    """``cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'GST'`` (or, ``exact``,
    ``cac:TaxScheme/cbc:ID = 'GST'`` as some rules write it)."""
    ids = find(category, a("TaxScheme"), b("ID"))
    if exact:
        return any(text(i) == "GST" for i in ids)
    return any(norm(text(i).upper()) == "GST" for i in ids)


def code_of(category: Element) -> str:
    return norm(text(child(category, b("ID"))))


def gst_categories(u: TreeView, tag: str) -> list[Element]:
    """Every ``tag`` (``cac:TaxCategory`` or ``cac:ClassifiedTaxCategory``) of scheme GST."""
    key = "sg-gst:" + tag
    if not u.known(key):
        u.remember(key, [c for c in u.all(tag) if is_gst(c)])
    found: list[Element] = u.memo(key)
    return found


def breakdown(u: TreeView) -> list[Element]:
    """``cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory`` of scheme GST on the document."""
    return [
        c
        for t in u.top(a("TaxTotal"))
        for c in find(t, a("TaxSubtotal"), a("TaxCategory"))
        if is_gst(c)
    ]


def gst_ids(u: TreeView) -> bool:
    """The seller, tax representative or buyer has a GST identifier (BT-31/63/48-GST)."""
    parties = [
        *find(u.root, a("AccountingSupplierParty"), a("Party")),
        *u.all(a("TaxRepresentativeParty")),
        *find(u.root, a("AccountingCustomerParty"), a("Party")),
    ]
    return any(
        exists(s, b("CompanyID")) and is_gst(s)
        for p in parties
        for s in find(p, a("PartyTaxScheme"))
    )


@rule("BR-109-GST-SG", "fatal", "The UUID (BT-SG-003) is not formatted as a UUID.")
def br_109(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for el in u.top(b("UUID")):
            if not _UUID.fullmatch(norm(text(el))):
                yield loc(el)


@rule(
    "BR-CO-25-SG",
    "fatal",
    "A positive amount due (ibt-115) needs a payment due date (ibt-009) or terms (ibt-020).",
)
def br_co_25(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None or not u.is_invoice:  # the context is /ubl:Invoice/... only
        return
    terms = bool(u.all(b("DueDate"))) or bool(
        [n for n in u.all(b("Note")) if n.getparent().tag == a("PaymentTerms")]
    )
    for t in u.top(a("LegalMonetaryTotal")):
        for el in find(t, b("PayableAmount")):
            value = decimal(el)
            if value is None or (value > 0 and not terms):
                yield loc(el)


@rule("BR-11-SG", "fatal", "The buyer postal address has no country code (IBT-055).")
def br_11(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for party in find(u.root, a("AccountingCustomerParty"), a("Party")):
            for address in find(party, a("PostalAddress")):
                if not has_text(address, a("Country"), b("IdentificationCode")):
                    yield loc(address)


# -- totals ----------------------------------------------------------------------------------


def _v(el: Element, tag: str) -> Decimal | None:
    node = child(el, tag)
    return decimal(node) if node is not None else None


def _sum_round(values: list[Decimal | None]) -> Decimal:
    """``round(sum(values) * 100) div 100`` (the values are known to be decimals)."""
    return xpath_round2(sum((v for v in values if v is not None), _ZERO))


def _totals_rule(rule_id: str, message: str, tag: str, kind: str) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for t in totals(u):
            missing = kind == "exists" and child(t, b(tag)) is None
            if missing or (kind == "decimals" and decimals_over(t, b(tag))):
                yield loc(t)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_totals_rule(
    "BR-13-GST-SG", "The total without GST (BT-109-GST) is missing.", "TaxExclusiveAmount", "exists"
)
_totals_rule(
    "BR-14-GST-SG", "The total with GST (BT-112-GST) is missing.", "TaxInclusiveAmount", "exists"
)
for _id, _tag, _term in (
    ("BR-DEC-09-SG", "LineExtensionAmount", "IBT-106"),
    ("BR-DEC-10-SG", "AllowanceTotalAmount", "IBT-107"),
    ("BR-DEC-11-SG", "ChargeTotalAmount", "IBT-108"),
    ("BR-DEC-12-SG", "TaxExclusiveAmount", "BT-109-GST"),
    ("BR-DEC-14-SG", "TaxInclusiveAmount", "BT-112-GST"),
    ("BR-DEC-16-SG", "PrepaidAmount", "IBT-113"),
    ("BR-DEC-17-SG", "PayableRoundingAmount", "IBT-114"),
):
    _totals_rule(_id, f"The amount {_term} has more than 2 decimals.", _tag, "decimals")


@rule("BR-CO-10-SG", "fatal", "The sum of line net amounts (BT-106) is not the sum of BT-131.")
def br_co_10(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    nets = [
        decimal(child(line, b("LineExtensionAmount")))
        for line in [*u.all(a("InvoiceLine")), *u.all(a("CreditNoteLine"))]
        if child(line, b("LineExtensionAmount")) is not None
    ]
    for t in totals(u):
        stated = _v(t, b("LineExtensionAmount"))
        if stated is None or None in nets or xpath_round2(stated) != _sum_round(nets):
            yield loc(t)


def _sum_rule(rule_id: str, message: str, tag: str, charge: bool) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for t in totals(u):
            found = document_charges(t.getparent(), charge)
            stated = child(t, b(tag))
            if stated is None and not found:
                continue
            amounts = [decimal(x) for ac in found for x in find(ac, b("Amount"))]
            value = decimal(stated) if stated is not None else None
            if value is None or None in amounts or xpath_round2(value) != _sum_round(amounts):
                yield loc(t)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_sum_rule(
    "BR-CO-11-SG",
    "The sum of allowances (BT-107) is not the sum of BT-92.",
    "AllowanceTotalAmount",
    False,
)
_sum_rule(
    "BR-CO-12-SG", "The sum of charges (BT-108) is not the sum of BT-99.", "ChargeTotalAmount", True
)


@rule(
    "BR-CO-13-GST-SG",
    "fatal",
    "The total without GST (BT-109-GST) is not line net sum - allowances + charges.",
)
def br_co_13(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for t in totals(u):
        lines, stated = _v(t, b("LineExtensionAmount")), _v(t, b("TaxExclusiveAmount"))
        charges, allowances = child(t, b("ChargeTotalAmount")), child(t, b("AllowanceTotalAmount"))
        if lines is None or stated is None:
            yield loc(t)
            continue
        if charges is None and allowances is None:
            ok = stated == lines
        else:
            c = decimal(charges) if charges is not None else _ZERO
            al = decimal(allowances) if allowances is not None else _ZERO
            ok = (
                c is not None
                and al is not None
                and (xpath_round2(stated) == xpath_round2(lines + c - al))
            )
        if not ok:
            yield loc(t)


@rule(
    "BR-CO-16-GST-SG",
    "fatal",
    "The amount due (BT-115) is not total with GST - paid amount + rounding amount.",
)
def br_co_16(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for t in totals(u):
        payable, inclusive = _v(t, b("PayableAmount")), _v(t, b("TaxInclusiveAmount"))
        has_paid = child(t, b("PrepaidAmount")) is not None
        has_rounding = child(t, b("PayableRoundingAmount")) is not None
        paid, rounding = _v(t, b("PrepaidAmount")), _v(t, b("PayableRoundingAmount"))
        if payable is None or inclusive is None:
            yield loc(t)
            continue
        if (has_paid and paid is None) or (has_rounding and rounding is None):
            yield loc(t)
            continue
        due = inclusive - (paid or _ZERO)
        if has_rounding:
            ok = xpath_round2(payable - (rounding or _ZERO)) == xpath_round2(due)
        elif has_paid:
            ok = xpath_round2(payable) == xpath_round2(due)
        else:
            ok = payable == inclusive
        if not ok:
            yield loc(t)


# -- the document ------------------------------------------------------------------------------


def _reference(u: TreeView, code: str) -> bool:
    return any(
        any(text(c) == code for c in find(r, b("DocumentTypeCode")))
        for r in u.top(a("AdditionalDocumentReference"))
    )


@rule(
    "BR-53-GST-SG",
    "fatal",
    "With a GST accounting currency (BT-6-GST), the total GST in it (BT-111-GST) and the SGD "
    "totals with and without GST must be given.",
)
def br_53(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    incl, excl = _reference(u, "sgdtotal-incl-gst"), _reference(u, "sgdtotal-excl-gst")
    for code in u.top(b("TaxCurrencyCode")):
        found = [
            el
            for el in u.all(b("TaxAmount"))
            if el.getparent().tag == a("TaxTotal") and el.get("currencyID") == text(code)
        ]
        if not (found and incl and excl):
            yield loc(u.root)
            return


@rule(
    "BR-110-GST-SG",
    "fatal",
    "The GST accounting currency (BT-6-GST) must be given with the SGD totals.",
)
def br_110_gst(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None or u.top(b("TaxCurrencyCode")):
        return
    if _reference(u, "sgdtotal-incl-gst") or _reference(u, "sgdtotal-excl-gst"):
        yield loc(u.root)


@rule(
    "BR-CO-15-GST-SG",
    "fatal",
    "The total with GST (BT-112-GST) is not total without GST (BT-109-GST) + total GST "
    "(BT-110-GST), or the total GST in the invoice currency is not given exactly once.",
)
def br_co_15(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for code in u.top(b("DocumentCurrencyCode")):
        currency = text(code)
        all_tax = [
            el
            for el in u.all(b("TaxAmount"))
            if el.getparent().tag == a("TaxTotal") and el.get("currencyID") == currency
        ]
        top_tax = [el for t in u.top(a("TaxTotal")) for el in find(t, b("TaxAmount"))]
        top_tax = [decimal(el) for el in top_tax if el.get("currencyID") == currency]
        mt = u.top(a("LegalMonetaryTotal"))
        inclusive = _v(mt[0], b("TaxInclusiveAmount")) if mt else None
        exclusive = _v(mt[0], b("TaxExclusiveAmount")) if mt else None
        ok = (
            len(all_tax) == 1
            and len(top_tax) == 1
            and top_tax[0] is not None
            and inclusive is not None
            and exclusive is not None
            and inclusive == xpath_round2(exclusive + top_tax[0])
        )
        if not ok:
            yield loc(u.root)


@rule("BR-CO-18-GST-SG", "fatal", "The invoice has no GST breakdown (BG-23-GST).")
def br_co_18(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None and not any(exists(t, a("TaxSubtotal")) for t in u.top(a("TaxTotal"))):
        yield loc(u.root)


@rule(
    "BR-110-SG",
    "fatal",
    "Order references are given on both document and line level.",
)
def br_110(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    top = [el for el in find(u.root, a("OrderReference"), b("ID")) if (el.text or "") != "NA"]
    on_lines = any(
        find(line, a("OrderLineReference"), a("OrderReference"), b("ID")) for line in u.lines()
    )
    if top and on_lines:
        yield loc(u.root)


@rule(
    "BR-CO-03-GST-SG",
    "fatal",
    "The tax point date (IBT-007) and the tax point date code (IBT-008) are both given.",
)
def br_co_03(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None or not u.top(b("TaxPointDate")):
        return
    if exists(u.root, a("InvoicePeriod"), b("DescriptionCode")):
        yield loc(u.root)


# -- lines, parties, tax totals, subtotals, allowances ------------------------------------------


@rule(
    "BR-CO-04-GST-SG",
    "fatal",
    "An invoice line (BG-25) has no GST category code (BT-151-GST).",
)
def br_co_04(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for line in [*u.all(a("InvoiceLine")), *u.all(a("CreditNoteLine"))]:
            cats = find(line, a("Item"), a("ClassifiedTaxCategory"))
            if not any(is_gst(c, exact=True) and exists(c, b("ID")) for c in cats):
                yield loc(line)


never("BR-CO-05-SG", "Document allowance reason code (IBT-98) and reason (IBT-97) differ.")
never("BR-CO-06-SG", "Document charge reason code (IBT-105) and reason (IBT-104) differ.")
never("BR-CO-07-SG", "Line allowance reason code (IBT-140) and reason (IBT-139) differ.")
never("BR-CO-08-SG", "Line charge reason code (IBT-145) and reason (IBT-144) differ.")


@rule(
    "BR-CO-26-GST-SG",
    "fatal",
    "The seller has none of identifier (BT-29), legal registration id (BT-30), GST id (BT-31).",
)
def br_co_26(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for asp in u.all(a("AccountingSupplierParty")):
            if not (
                exists(asp, a("Party"), a("PartyTaxScheme"), b("CompanyID"))
                or exists(asp, a("Party"), a("PartyIdentification"), b("ID"))
                or exists(asp, a("Party"), a("PartyLegalEntity"), b("CompanyID"))
            ):
                yield loc(asp)


@rule(
    "BR-56-GST-SG",
    "fatal",
    "The seller tax representative (BG-11) has no GST identifier (BT-63-GST).",
)
def br_56(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for rep in u.all(a("TaxRepresentativeParty")):
            schemes = find(rep, a("PartyTaxScheme"))
            if not any(is_gst(s, exact=True) and exists(s, b("CompanyID")) for s in schemes):
                yield loc(rep)


@rule("BR-CO-14-GST-SG", "fatal", "The total GST (BT-110-GST) is not the sum of BT-117-GST.")
def br_co_14(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for t in u.top(a("TaxTotal")):
        subtotals = find(t, a("TaxSubtotal"))
        if not subtotals:
            continue
        stated = _v(t, b("TaxAmount"))
        parts = [decimal(x) for s in subtotals for x in find(s, b("TaxAmount"))]
        if stated is None or None in parts or xpath_round2(stated) != _sum_round(parts):
            yield loc(t)


def _subtotals(u: TreeView) -> Iterator[Element]:
    """``cac:TaxTotal/cac:TaxSubtotal`` anywhere."""
    for s in u.all(a("TaxSubtotal")):
        parent = s.getparent()
        if parent is not None and parent.tag == a("TaxTotal"):
            yield s


def _subtotal_rule(rule_id: str, message: str, *path: str, gst_code: bool = False) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for s in _subtotals(u):
            if gst_code:
                cats = find(s, a("TaxCategory"))
                ok = any(is_gst(c, exact=True) and exists(c, b("ID")) for c in cats)
            else:
                ok = exists(s, *path)
            if not ok:
                yield loc(s)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_subtotal_rule(
    "BR-45-GST-SG", "A GST breakdown has no taxable amount (BT-116-GST).", b("TaxableAmount")
)
_subtotal_rule("BR-46-GST-SG", "A GST breakdown has no tax amount (BT-117-GST).", b("TaxAmount"))
_subtotal_rule(
    "BR-47-GST-SG", "A GST breakdown has no GST category code (BT-118-GST).", gst_code=True
)
never("BR-48-GST-SG", "A GST breakdown has no GST rate (BT-119-GST).")


@rule(
    "BR-CO-17-GST-SG",
    "fatal",
    "The GST category tax amount (BT-117-GST) is not taxable amount x rate / 100.",
)
def br_co_17(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for s in _subtotals(u):
        rates = [
            decimal(p)
            for c in find(s, a("TaxCategory"))
            if is_gst(c)
            for p in find(c, b("Percent"))
        ]
        rate = rates[0] if rates else None
        tax, taxable = _v(s, b("TaxAmount")), _v(s, b("TaxableAmount"))
        if tax is None:
            yield loc(s)
            continue
        if rate is None:
            ok = not rates and rounded(tax) == 0
        elif rounded(rate) == 0:
            ok = rounded(tax) == 0
        else:
            expected = (
                xpath_round2(abs(taxable) * (rate / _HUNDRED)) if taxable is not None else None
            )
            ok = expected is not None and abs(tax) - _TWO < expected < abs(tax) + _TWO
        if not ok:
            yield loc(s)
