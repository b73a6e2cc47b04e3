"""A read-only, indexed view of a document's XML tree (UBL or CII) for the syntax-level rules.

Shared by the rule packs that judge the syntax itself (Peppol BIS 3, PINT and its national
flavours), so that one document is walked and indexed once per run whatever packs read it.

Peppol BIS Billing 3.0 states its rules against syntax paths, and many of them judge the
syntax itself: where an element sits, an attribute, an empty element, a code spelled in a
particular way. Those rules read the parsed tree. To keep them fast, the tree is walked
once per document and its elements indexed by tag; every rule then looks up the few tags
it needs instead of searching the tree again. The view of the last document checked is
kept, so the rules of one run share it.

XPath semantics the rules rely on are reproduced here once: ``normalize-space``,
``xs:decimal`` and ``xs:date`` casts, ``number()`` and XPath's ``round``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from lxml import etree

from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931.syntax_cii import CII
from defa.einvoice.rules.en16931.syntax_ubl import index

__all__ = [
    "CAC",
    "CBC",
    "Element",
    "TreeView",
    "child",
    "children",
    "decimal",
    "find",
    "first_text",
    "is_number",
    "loc",
    "norm",
    "text",
    "view",
    "xpath_round2",
    "xs_date",
]

Element = Any  # an lxml element; lxml's stubs do not type the generic element API usefully

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
_EXT = "{urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2}"
INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
CREDIT_NOTE = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
_PREFIX = {
    CBC: "cbc:",
    CAC: "cac:",
    _EXT: "ext:",
    "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}": "rsm:",
    "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}": "ram:",
    "{urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100}": "udt:",
    "{urn:un:unece:uncefact:data:standard:QualifiedDataType:100}": "qdt:",
}

# xs:decimal's lexical space (after whitespace collapse); Decimal() alone would also take
# exponents, NaN and Infinity, which the schema type refuses.
_XS_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# xs:double as number() reads it, for the checks that only ask "is it a number".
_XS_DOUBLE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|-?INF")
_XS_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_EMPTIES = etree.XPath("descendant-or-self::*[not(*) and not(normalize-space())]")
_BLANK = etree.XPath("not(normalize-space())")
_XML_SPACE = " \t\r\n"  # what XPath's normalize-space() takes as white space


def _empties(root: Element) -> list[Element]:
    """``_EMPTIES(root)`` computed by one walk in document order, about twice as fast.

    An element with no child nodes at all is empty when its text is XML white space; one
    with comments or processing instructions but no child elements is left to XPath.
    """
    found: list[Element] = []
    for el in root.iter(etree.Element):
        if len(el) == 0:
            value = el.text
            if not value or not value.strip(_XML_SPACE):
                found.append(el)
        elif (
            el[0].tag.__class__ is not str  # the first child is not an element: look further
            and next(el.iterchildren(etree.Element), None) is None
            and _BLANK(el)
        ):
            found.append(el)
    return found


_HUNDRED = Decimal(100)
_HALF = Decimal("0.5")


def norm(value: str | None) -> str:
    """XPath ``normalize-space``: trim and collapse runs of whitespace."""
    return " ".join(value.split()) if value else ""


def text(el: Element | None) -> str:
    """The string value of an element (its text and its descendants' text)."""
    if el is None:
        return ""
    if len(el) == 0:
        return el.text or ""
    return "".join(el.itertext())


def decimal(el: Element | str | None) -> Decimal | None:
    """``xs:decimal(.)``: the value, or None when absent or not castable."""
    raw = el if isinstance(el, str) else text(el) if el is not None else None
    if raw is None:
        return None
    raw = raw.strip()
    if not _XS_DECIMAL.fullmatch(raw):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


def is_number(value: str) -> bool:
    """True when XPath ``number()`` of the string is not NaN."""
    return bool(_XS_DOUBLE.fullmatch(value.strip()))


def xs_date(value: str) -> date | None:
    """``xs:date(.)`` (a timezone is accepted and ignored), or None if not castable."""
    m = _XS_DATE.fullmatch(value.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def xpath_round2(value: Decimal) -> Decimal:
    """``round(x * 100) div 100`` as XPath rounds: halves go towards positive infinity."""
    return (value * _HUNDRED + _HALF).to_integral_value(rounding=ROUND_FLOOR) / _HUNDRED


def children(el: Element, tag: str) -> list[Element]:
    """The child elements with this (Clark-notation) tag."""
    return [c for c in el if c.tag == tag]


def child(el: Element, tag: str) -> Element | None:
    """The first child element with this tag, or None."""
    for c in el:
        if c.tag == tag:
            return c
    return None


def find(el: Element | None, *path: str) -> list[Element]:
    """Every element down ``path`` (child tags) from ``el``: an XPath node-set, in order."""
    nodes: list[Element] = [el] if el is not None else []
    for tag in path:
        nodes = [c for n in nodes for c in n if c.tag == tag]
    return nodes


def first_text(el: Element, *path: str) -> str | None:
    """The string value of the first element down ``path`` (child tags), or None."""
    node: Element | None = el
    for tag in path:
        node = child(node, tag)
        if node is None:
            return None
    return text(node)


def loc(el: Element, attribute: str | None = None) -> str:
    """An XPath-like location: ``/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount``."""
    steps: list[str] = []
    node: Element | None = el
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else "node()"
        ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        parent = node.getparent()
        name = _PREFIX.get("{" + ns + "}", "") + local  # a UBL root has no prefix
        if parent is not None:
            same = [s for s in parent if s.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    path = "/" + "/".join(reversed(steps))
    return f"{path}/@{attribute}" if attribute else path


class TreeView:
    """One document's tree, indexed by element tag in a single walk (UBL helpers for
    the root's kind and lines; CII rules use the same index).
    """

    __slots__ = ("facts", "is_credit_note", "is_invoice", "root", "tags", "top_tags")

    def __init__(self, root: Element, by_tag: dict[Any, list[Element]] | None = None) -> None:
        """Index ``root``; ``by_tag``, when given, is an index of the same tree already made
        (every node by tag, in document order), of which the elements are taken."""
        self.root = root
        self.is_invoice = root.tag == INVOICE
        self.is_credit_note = root.tag == CREDIT_NOTE
        tags: dict[str, list[Element]] = {}
        if by_tag is not None:
            tags = {tag: found for tag, found in by_tag.items() if tag.__class__ is str}
        else:
            for el in root.iter(etree.Element):  # elements only: lxml skips comments and PIs
                found = tags.get(el.tag)
                if found is None:
                    tags[el.tag] = [el]
                else:
                    found.append(el)
        top: dict[str, list[Element]] = {}
        for el in root.iterchildren(etree.Element):
            top.setdefault(el.tag, []).append(el)
        self.tags = tags
        self.top_tags = top
        # Per-document facts the rules share (countries, indexes), computed on first use.
        self.facts: dict[str, Any] = {}

    @property
    def empties(self) -> list[Element]:
        """Elements with neither child elements nor text (PEPPOL-EN16931-R008)."""
        found = self.facts.get("empties")
        if found is None:
            found = self.facts["empties"] = _empties(self.root)
        return found

    def all(self, tag: str) -> Sequence[Element]:
        """Every element with this tag, in document order."""
        return self.tags.get(tag, ())

    def top(self, tag: str) -> list[Element]:
        """The root's children with this tag."""
        return self.top_tags.get(tag, [])

    @property
    def line_tag(self) -> str:
        """The line element of this document kind."""
        return CAC + ("CreditNoteLine" if self.is_credit_note else "InvoiceLine")

    def lines(self) -> list[Element]:
        """The root's invoice lines (or credit note lines for a credit note)."""
        return self.top(self.line_tag) if (self.is_invoice or self.is_credit_note) else []

    def known(self, key: str) -> bool:
        """True when a per-document fact has been computed and kept under ``key``."""
        return key in self.facts

    def memo(self, key: str) -> Any:
        """A per-document fact kept under ``key`` (None if not kept)."""
        return self.facts.get(key)

    def remember(self, key: str, value: Any) -> Any:
        """Keep a per-document fact; returns it."""
        self.facts[key] = value
        return value

    def with_parent(self, tag: str, parent_tag: str) -> Iterator[Element]:
        """Elements with ``tag`` whose parent has ``parent_tag``."""
        for el in self.tags.get(tag, ()):
            parent = el.getparent()
            if parent is not None and parent.tag == parent_tag:
                yield el


_last: tuple[object, TreeView] | None = None


def view(doc: Invoice) -> TreeView | None:
    """The indexed view of ``doc``'s tree (shared by the rules of one run), or None."""
    global _last
    tree = doc.tree
    if tree is None:
        return None
    last = _last
    if last is not None and last[0] is tree:
        return last[1]
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if root is None:
        return None
    # A document's elements were indexed by the EN 16931 syntax rules' walk, which runs
    # first: taken from there rather than walked again.
    by_tag: dict[Any, list[Element]] | None = None
    if doc.syntax == "ubl":
        by_tag = index(root).by_tag
    elif doc.syntax == "cii":
        built = CII.indexed(root)
        by_tag = built.by_tag if built is not None else None
    found = TreeView(root, by_tag)
    _last = (tree, found)
    return found
