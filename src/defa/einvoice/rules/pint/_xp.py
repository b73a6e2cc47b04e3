"""XPath semantics the PINT rules (base and national) share, on the indexed UBL tree view.

Small, exact renderings of what the Schematron tests rely on: ``exists``, ``count``,
``normalize-space(...) != ''``, ``string-length(substring-after(x, '.')) <= 2``, xs:boolean
casts of ``cbc:ChargeIndicator``, XPath's ``round`` (halves towards positive infinity) and
the ``u:slack`` tolerance function.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    CAC,
    CBC,
    Element,
    TreeView,
    child,
    decimal,
    find,
    first_text,
    loc,
    norm,
    text,
    view,
    xpath_round2,
)

__all__ = [
    "CAC",
    "CBC",
    "Element",
    "TreeView",
    "a",
    "at",
    "b",
    "charge_indicator",
    "child",
    "count",
    "decimal",
    "decimals_over",
    "exists",
    "find",
    "first",
    "first_text",
    "has_text",
    "loc",
    "norm",
    "rounded",
    "slack",
    "text",
    "tree",
    "xpath_round2",
]

_HALF = Decimal("0.5")


def a(name: str) -> str:
    """The Clark tag of ``cac:<name>``."""
    return CAC + name


def b(name: str) -> str:
    """The Clark tag of ``cbc:<name>``."""
    return CBC + name


def tree(doc: Invoice) -> TreeView | None:
    """The shared indexed view of ``doc``'s UBL tree (None if the document has no tree)."""
    u = view(doc)
    return u if u is not None and (u.is_invoice or u.is_credit_note) else None


def at(u: TreeView, *path: str) -> Iterator[Element]:
    """Elements matching the relative Schematron context ``path`` (Clark tags, last is the
    node): the node anywhere whose ancestors, nearest first, are ``path[-2]``, ``path[-3]``..."""
    *parents, last = path
    for el in u.all(last):
        node = el
        for tag in reversed(parents):
            node = node.getparent()
            if node is None or node.tag != tag:
                break
        else:
            yield el


def first(el: Element | None, *path: str) -> Element | None:
    """The first element down ``path`` (child tags), or None."""
    found = find(el, *path)
    return found[0] if found else None


def exists(el: Element | None, *path: str) -> bool:
    """XPath ``exists(path)``."""
    return bool(find(el, *path))


def count(el: Element | None, *path: str) -> int:
    """XPath ``count(path)``."""
    return len(find(el, *path))


def has_text(el: Element | None, *path: str) -> bool:
    """XPath ``normalize-space(path) != ''`` (on the first node of ``path``)."""
    node = first(el, *path)
    return node is not None and bool(norm(text(node)))


def decimals_over(el: Element | None, *path: str, limit: int = 2) -> bool:
    """True when ``string-length(substring-after(path, '.')) > limit`` (first node)."""
    node = first(el, *path) if path else el
    if node is None:
        return False
    _, dot, after = text(node).partition(".")
    return bool(dot) and len(after) > limit


def charge_indicator(el: Element) -> bool | None:
    """``cbc:ChargeIndicator`` cast to xs:boolean: True, False, or None when absent or not
    a boolean (a comparison with ``true()``/``false()`` then selects nothing)."""
    node = child(el, CBC + "ChargeIndicator")
    if node is None:
        return None
    value = text(node).strip()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    return None


def rounded(value: Decimal) -> Decimal:
    """XPath ``round(x)``: to an integer, halves towards positive infinity."""
    return (value + _HALF).to_integral_value(rounding=ROUND_FLOOR)


def slack(expected: Decimal, value: Decimal, tolerance: Decimal) -> bool:
    """``u:slack(exp, val, slack)``: ``exp - slack <= val <= exp + slack``."""
    return expected - tolerance <= value <= expected + tolerance
