"""Small helpers shared by the EN 16931 core, calculation and decimal rules.

They answer the questions the Schematron bindings ask of a document in the semantic
model's own terms: does a term occur (``exists``), does it carry text
(``normalize-space(...) != ''``), what is XPath's ``round(x * 100) div 100``, and which
binding (UBL or CII) decides a case where the two differ.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from defa.einvoice.model import Group, Invoice

__all__ = [
    "dec",
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
