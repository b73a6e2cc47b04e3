"""Small, allocation-free helpers shared by the EN 16931 core and calculation rules.

They answer the questions the Schematron bindings ask of a document in the semantic
model's own terms: does a term occur (``exists``), does it carry text
(``normalize-space(...) != ''``), how many decimals does an amount have, and what is
XPath's ``round(x * 100) div 100``. The group lookups name where the EN 16931 semantic
model puts a group, so a rule reads the same for UBL and CII documents.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from defa.einvoice.model import Group, Invoice, Term

__all__ = [
    "dec",
    "decimals_over",
    "has",
    "is_cii",
    "present",
    "round0",
    "round2",
    "totals",
]

_HUNDRED = Decimal(100)
_HALF = Decimal("0.5")
_CENT = Decimal("0.01")


def present(group: Group, term_id: str) -> bool:
    """True when the term occurs at all, blank or not (XPath ``exists(...)``)."""
    return bool(group.terms.get(term_id))


def has(group: Group, term_id: str) -> bool:
    """True when the term occurs with non-blank text (``normalize-space(...) != ''``)."""
    found = group.terms.get(term_id)
    if not found:
        return False
    return any(term.text and not term.text.isspace() for term in found)


def dec(group: Group, term_id: str) -> Decimal | None:
    """The first occurrence of a term as a Decimal; None if absent or not a number."""
    found = group.terms.get(term_id)
    return found[0].decimal() if found else None


def decimals_over(term: Term, places: int = 2) -> bool:
    """True when the amount's text has more than ``places`` digits after its point.

    The bindings count characters after the first ``.`` of the verbatim text, so
    ``100.000`` fails and ``100`` passes; the value is not parsed.
    """
    return len(term.text.partition(".")[2]) > places


def round2(value: Decimal) -> Decimal:
    """XPath's ``round(value * 100) div 100``: two decimals, halves towards +infinity."""
    try:
        if value == value.quantize(_CENT):  # already two decimals: the common case
            return value
    except InvalidOperation:  # too many digits to quantize: take the long way
        pass
    return (value * _HUNDRED + _HALF).to_integral_value(ROUND_FLOOR) / _HUNDRED


def round0(value: Decimal) -> Decimal:
    """XPath's ``round(value)``: the nearest integer, halves towards +infinity."""
    return (value + _HALF).to_integral_value(ROUND_FLOOR)


def totals(doc: Invoice) -> Group | None:
    """The document totals (BG-22), or None when the document has none."""
    return doc.child("BG-22")


def is_cii(doc: Invoice) -> bool:
    """True for documents read from UN/CEFACT CII, whose binding differs in a few rules."""
    return doc.syntax == "cii"
