"""PINT SG rules on document allowances and charges (``BR-31-SG``, ``BR-DEC-01/02/05/06-SG``)
and payment (``BR-50-SG`` credit transfer account, ``BR-51-SG`` card number).
"""

from __future__ import annotations

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.pint._xp import (
    a,
    b,
    charge_indicator,
    decimals_over,
    exists,
    find,
    has_text,
    loc,
    norm,
    text,
    tree,
)
from defa.einvoice.rules.pint_sg import rule

__all__: list[str] = []

_CREDIT_TRANSFER = frozenset({"30", "58"})


def _document_allowance_rule(rule_id: str, message: str, charge: bool, tag: str, kind: str) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for ac in u.top(a("AllowanceCharge")):
            if charge_indicator(ac) is not charge:
                continue
            if (kind == "exists" and not exists(ac, b(tag))) or (
                kind == "decimals" and decimals_over(ac, b(tag))
            ):
                yield loc(ac)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_document_allowance_rule(
    "BR-31-SG",
    "A document level allowance (IBG-20) has no amount (IBT-92).",
    False,
    "Amount",
    "exists",
)
_document_allowance_rule(
    "BR-DEC-01-SG",
    "The document allowance amount (IBT-092) has more than 2 decimals.",
    False,
    "Amount",
    "decimals",
)
_document_allowance_rule(
    "BR-DEC-02-SG",
    "The document allowance base amount (IBT-093) has more than 2 decimals.",
    False,
    "BaseAmount",
    "decimals",
)
_document_allowance_rule(
    "BR-DEC-05-SG",
    "The document charge amount (IBT-099) has more than 2 decimals.",
    True,
    "Amount",
    "decimals",
)
_document_allowance_rule(
    "BR-DEC-06-SG",
    "The document charge base amount (BT-100) has more than 2 decimals.",
    True,
    "BaseAmount",
    "decimals",
)


@rule(
    "BR-50-SG",
    "fatal",
    "A credit transfer (payment means 30 or 58) has no payment account identifier (IBT-84).",
)
def br_50(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for means in u.all(a("PaymentMeans")):
        codes = {text(c) for c in find(means, b("PaymentMeansCode"))}
        if codes & _CREDIT_TRANSFER:
            for account in find(means, a("PayeeFinancialAccount")):
                if not has_text(account, b("ID")):
                    yield loc(account)


@rule(
    "BR-51-SG",
    "warning",
    "A card number (IBT-087) should show at most the first 6 and last 4 digits.",
)
def br_51(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for card in find(u.root, a("PaymentMeans"), a("CardAccount"), b("PrimaryAccountNumberID")):
        if len(norm(text(card))) > 10:
            yield loc(card)
