"""EN 16931 decimal-places rules: BR-DEC-01 ... BR-DEC-28.

Every amount the rules name may carry at most two decimals. The bindings count the
characters after the decimal point of the amount as written (``100.000`` fails,
``100`` passes), so the check reads the verbatim text and parses nothing. BR-DEC-13 and
BR-DEC-15 on the total VAT amounts are the exceptions: see below.
"""

from __future__ import annotations

from defa.einvoice.model import Invoice, Term
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._access import is_cii, present, round2, totals
from defa.einvoice.rules.engine import Findings

__all__ = ["EN16931"]


def _register(rule_id: str, term_id: str, name: str, path: tuple[str, ...]) -> None:
    """Register one decimal-places rule: ``term_id`` in each group at ``path`` (group ids
    from the document down, one or two levels)."""
    outer = path[0]
    inner = path[1] if len(path) > 1 else None

    def check(doc: Invoice) -> Findings:
        for group in doc.groups.get(outer, ()):
            for holder in group.groups.get(inner, ()) if inner else (group,):
                for term in holder.terms.get(term_id, ()):
                    if len(term.text.partition(".")[2]) > 2:  # digits after the point
                        yield term

    check.__name__ = check.__qualname__ = "br_dec_" + rule_id[-2:]
    check.__doc__ = f"{rule_id}: the {name} ({term_id}) has at most two decimals."
    EN16931.rule(
        rule_id,
        "error",
        f"The {name} ({term_id}) has more than two decimals.",
        terms=(term_id,),
    )(check)


_ALLOWANCES, _CHARGES, _TOTALS, _VAT = ("BG-20",), ("BG-21",), ("BG-22",), ("BG-23",)
_LINES, _LINE_ALLOWANCES, _LINE_CHARGES = ("BG-25",), ("BG-25", "BG-27"), ("BG-25", "BG-28")

for _rule_id, _term_id, _name, _path in (
    ("BR-DEC-01", "BT-92", "document level allowance amount", _ALLOWANCES),
    ("BR-DEC-02", "BT-93", "document level allowance base amount", _ALLOWANCES),
    ("BR-DEC-05", "BT-99", "document level charge amount", _CHARGES),
    ("BR-DEC-06", "BT-100", "document level charge base amount", _CHARGES),
    ("BR-DEC-09", "BT-106", "sum of invoice line net amounts", _TOTALS),
    ("BR-DEC-10", "BT-107", "sum of allowances on document level", _TOTALS),
    ("BR-DEC-11", "BT-108", "sum of charges on document level", _TOTALS),
    ("BR-DEC-12", "BT-109", "invoice total amount without VAT", _TOTALS),
    ("BR-DEC-14", "BT-112", "invoice total amount with VAT", _TOTALS),
    ("BR-DEC-16", "BT-113", "paid amount", _TOTALS),
    ("BR-DEC-17", "BT-114", "rounding amount", _TOTALS),
    ("BR-DEC-18", "BT-115", "amount due for payment", _TOTALS),
    ("BR-DEC-19", "BT-116", "VAT category taxable amount", _VAT),
    ("BR-DEC-20", "BT-117", "VAT category tax amount", _VAT),
    ("BR-DEC-23", "BT-131", "invoice line net amount", _LINES),
    ("BR-DEC-24", "BT-136", "invoice line allowance amount", _LINE_ALLOWANCES),
    ("BR-DEC-25", "BT-137", "invoice line allowance base amount", _LINE_ALLOWANCES),
    ("BR-DEC-27", "BT-141", "invoice line charge amount", _LINE_CHARGES),
    ("BR-DEC-28", "BT-142", "invoice line charge base amount", _LINE_CHARGES),
):
    _register(_rule_id, _term_id, _name, _path)


# BR-DEC-13 and BR-DEC-15 follow what their bindings decide, which is not the plain reading
# of the assertion. The UBL binding filters the tax totals with a predicate that looks for
# the currency code under the amount itself, so it never selects one and the rule always
# holds; reporting it here would reject documents the published validators accept. The CII
# binding holds when *some* VAT total passes: one in another currency (BR-DEC-13), or when
# no accounting currency is given (BR-DEC-15); a value passes when it equals itself rounded
# to two decimals.


def _cii_vat_totals(doc: Invoice) -> list[Term]:
    group = totals(doc)
    return [*group.all("BT-110"), *group.all("BT-111")] if group is not None else []


def _two_places(term: Term) -> bool:
    value = term.decimal()
    return value is not None and value == round2(value)


@EN16931.rule(
    "BR-DEC-13",
    "error",
    "The invoice total VAT amount (BT-110) has more than two decimals.",
    terms=("BT-110",),
)
def br_dec_13(doc: Invoice) -> Findings:
    if not is_cii(doc):
        return
    amounts = _cii_vat_totals(doc)
    currency = doc.value("BT-5")
    if amounts and not any(
        t.attrs.get("currencyID") != currency or _two_places(t) for t in amounts
    ):
        yield amounts[0]


@EN16931.rule(
    "BR-DEC-15",
    "error",
    "The invoice total VAT amount in accounting currency (BT-111) has more than two decimals.",
    terms=("BT-111",),
)
def br_dec_15(doc: Invoice) -> Findings:
    if not is_cii(doc) or not present(doc, "BT-6"):
        return
    amounts = _cii_vat_totals(doc)
    currency = doc.value("BT-6")
    if amounts and not any(
        t.attrs.get("currencyID") == currency and _two_places(t) for t in amounts
    ):
        yield amounts[0]
