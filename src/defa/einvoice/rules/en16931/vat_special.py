"""EN 16931 VAT rules peculiar to one category: BR-IC-11/12, BR-O-11..14, and split payment.

They read the same per-document facts as the generated rules of :mod:`.vat`. BR-B-01/02
(Italian split payment, category B) follow both bindings, which agree: a document with
category B anywhere is domestic Italian (every country code IT) and has no category S.
"""

from __future__ import annotations

from typing import Literal

from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931.vat import Check, _Facts, _present, _register, facts_of
from defa.einvoice.rules.engine import Findings

__all__: list[str] = []


def _has_breakdown(f: _Facts, code: str) -> bool:
    return any(c == code for _, c in f.breakdowns)


@EN16931.rule(
    "BR-IC-11",
    "fatal",
    'An invoice with a VAT breakdown for "intra-community supply" (K) must give the actual '
    "delivery date (BT-72) or the invoicing period (BG-14).",
    terms=("BT-118", "BT-72", "BT-73", "BT-74", "BT-8"),
)
def br_ic_11(doc: Invoice) -> Findings:
    f = facts_of(doc)
    if not _has_breakdown(f, "K"):
        return
    delivery = doc.child("BG-13")
    date = delivery.term("BT-72") if delivery is not None else None
    period = doc.child("BG-14")
    if f.cii:  # CII: the delivery date, or the period's start or end date, is there
        if date is not None or (
            period is not None and ("BT-73" in period.terms or "BT-74" in period.terms)
        ):
            return
        yield doc
        return
    if date is not None and len(date.text) > 1:
        return
    # UBL asks for any child of the invoicing period; the VAT point date code (BT-8) is one.
    if (period is not None and (period.terms or period.groups)) or _present(doc, "BT-8"):
        return
    yield doc


@EN16931.rule(
    "BR-IC-12",
    "fatal",
    'An invoice with a VAT breakdown for "intra-community supply" (K) must give the '
    "deliver-to country code (BT-80).",
    terms=("BT-118", "BT-80"),
)
def br_ic_12(doc: Invoice) -> Findings:
    if not _has_breakdown(facts_of(doc), "K"):
        return
    delivery = doc.child("BG-13")
    address = delivery.child("BG-15") if delivery is not None else None
    country = None
    for holder in (address, delivery):
        if holder is not None and holder.term("BT-80") is not None:
            country = holder.term("BT-80")
            break
    if country is None or len(country.text) <= 1:
        yield doc


def _o_exclusive(which: Literal["breakdowns", "lines", "allowances", "charges"]) -> Check:
    def check(doc: Invoice) -> Findings:
        f = facts_of(doc)
        if not _has_breakdown(f, "O"):
            return
        codes: list[str | None]
        if f.cii:
            # CII words 11 and 12 alike (no other category in any breakdown or line), and
            # 13 and 14 alike (none on any allowance or charge).
            if which in ("breakdowns", "lines"):
                codes = [c for _, c in f.breakdowns] + [i.code for i in f.lines]
            else:
                codes = [i.code for i in (*f.allowances, *f.charges)]
        elif which == "breakdowns":
            codes = [c for _, c in f.breakdowns]
        else:
            codes = [i.code for i in getattr(f, which)]
        if any(c is not None and c != "O" for c in codes):
            yield doc

    return check


for _rule_id, _which, _what, _terms in (
    ("BR-O-11", "breakdowns", "VAT breakdown (BG-23) of another category", ("BT-118",)),
    ("BR-O-12", "lines", "invoice line (BG-25) of another VAT category", ("BT-118", "BT-151")),
    ("BR-O-13", "allowances", "allowance (BG-20) of another VAT category", ("BT-118", "BT-95")),
    ("BR-O-14", "charges", "charge (BG-21) of another VAT category", ("BT-118", "BT-102")),
):
    _register(
        _rule_id,
        f'An invoice with a VAT breakdown for "not subject to VAT" (O) must have no {_what}.',
        _terms,
        _o_exclusive(_which),  # type: ignore[arg-type]
    )


# -- split payment (BR-B) -----------------------------------------------------------------------

# Every country code of the model: seller, buyer, tax representative, deliver-to, item origin.
_COUNTRIES = frozenset({"BT-40", "BT-55", "BT-69", "BT-80", "BT-159"})


def _codes(f: _Facts) -> set[str | None]:
    """Every VAT category code of the document: lines, allowances, charges, breakdowns."""
    codes = {c for _, c in f.breakdowns}
    codes.update(i.code for i in (*f.lines, *f.allowances, *f.charges))
    return codes


@EN16931.rule(
    "BR-B-01",
    "fatal",
    'An invoice with VAT category "split payment" (B) must be a domestic Italian invoice: every '
    "country code (BT-40, BT-55, BT-69, BT-80, BT-159) must be IT.",
    terms=("BT-151", "BT-95", "BT-102", "BT-118", *sorted(_COUNTRIES)),
)
def br_b_01(doc: Invoice) -> Findings:
    if "B" not in _codes(facts_of(doc)):
        return
    # One assertion on the invoice upstream: report it once, at the first foreign country code.
    for group in doc.walk():
        for tid in _COUNTRIES.intersection(group.terms):
            for term in group.terms[tid]:
                if term.text != "IT":
                    yield term
                    return


@EN16931.rule(
    "BR-B-02",
    "fatal",
    'An invoice with VAT category "split payment" (B) must have no line, allowance, charge or '
    'VAT breakdown of category "standard rated" (S).',
    terms=("BT-151", "BT-95", "BT-102", "BT-118"),
)
def br_b_02(doc: Invoice) -> Findings:
    codes = _codes(facts_of(doc))
    if "B" in codes and "S" in codes:
        yield doc
