"""Small checks the national rule sets share (presence, code lists, patterns, sums)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.rules.engine import Findings

__all__ = ["absent", "iso_date", "not_in", "not_matching", "sum_differs"]


def absent(group: Group | None, term_id: str, where: Group) -> Findings:
    """The group (or ``where``, when the group is missing) if it lacks the term."""
    if group is None or not group.has(term_id):
        yield group if group is not None else where


def iso_date(doc: Invoice, term_id: str) -> Findings:
    """The document if it lacks the term; the term if it is not a date written YYYY-MM-DD."""
    term = doc.term(term_id)
    if term is None:
        yield doc
    elif term.date() is None or len(term.text.strip()) != 10:
        yield term, {"value": term.text[:40]}


def not_in(terms: list[Term], allowed: frozenset[str]) -> Iterator[tuple[Term, dict[str, str]]]:
    """Each term whose value is not one of ``allowed``."""
    for t in terms:
        if t.text.strip() not in allowed:
            yield t, {"value": t.text[:40]}


def not_matching(
    terms: list[Term], pattern: re.Pattern[str]
) -> Iterator[tuple[Term, dict[str, str]]]:
    """Each term whose value does not match ``pattern`` in full."""
    for t in terms:
        if pattern.fullmatch(t.text.strip()) is None:
            yield t, {"value": t.text[:40]}


def sum_differs(total: Decimal | None, parts: list[Decimal | None], tolerance: Decimal) -> bool:
    """True when every value is known and the parts do not add up to the total."""
    if total is None or any(p is None for p in parts):
        return False
    return abs(total - sum((p for p in parts if p is not None), Decimal(0))) > tolerance
