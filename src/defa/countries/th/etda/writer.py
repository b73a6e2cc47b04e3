"""Writing the semantic model as ETDA e-Tax Invoice 2.0 XML.

The document type (and so the root element and namespaces) is the model's ``TH-DOCUMENT``
when it names one, else the type the type code (BT-3) belongs to, else a tax invoice (a
debit/credit note for a credit note). Elements are written in the order of that type's XSD.
ETDA dates are ``xs:dateTime``: a date read with a time gets it back (``attrs['@time']``);
a bare date gets midnight.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from lxml import etree

from defa.countries.th.etda import binding
from defa.einvoice.model import Invoice, Term
from defa.einvoice.syntax._write import write_xml
from defa.einvoice.syntax._xmlmap import Leaf, Node, Switch

__all__ = ["document_type_of", "write"]

_SUFFIX = "_CrossIndustryInvoice"
_MIDNIGHT = "T00:00:00"


def document_type_of(doc: Invoice) -> binding.DocumentType:
    """The ETDA document type ``doc`` is written as."""
    named = binding.DOCUMENT_TYPES.get((doc.value("TH-DOCUMENT") or "").strip())
    if named is not None:
        return named
    by_code = binding.document_type(doc.value("BT-3"))
    if by_code is not None:
        return by_code
    name = "DebitCreditNote" if doc.kind == "credit-note" else "TaxInvoice"
    return binding.DOCUMENT_TYPES[name]


def _datetime(term: Term) -> Term:
    time = term.attrs.get("@time")
    text = term.text.strip()
    if time is None and (len(text) != 10 or text[4:5] != "-"):
        return term  # not an ISO date: written as it is (the XSD will say)
    attrs = {k: v for k, v in term.attrs.items() if k != "@time"}
    return Term(term.id, text + (time if time is not None else _MIDNIGHT), term.loc, attrs)


def _datetimes(term_id: str, terms: list[Term]) -> list[Term] | None:
    """The occurrences of an ``xs:dateTime`` term made whole again; None if none changes."""
    whole = [_datetime(t) for t in terms]
    return None if all(w is t for w, t in zip(whole, terms, strict=True)) else whole


# The groups below the document in which a type's table writes xs:dateTime terms, as a
# tree of group ids: only those are looked through for dates to complete.
_Tree = dict[str, "_Tree"]


@cache
def _dated_groups(type_name: str) -> _Tree | None:
    """Where the table of a document type writes xs:dateTime terms (see ``_Tree``); None if
    it places one in a way not followed here (a group or term placed elsewhere by a path, a
    term that opens a group, a group placed elsewhere): the whole document is looked through."""
    tree: _Tree = {}

    def add(path: tuple[str, ...]) -> None:
        here = tree
        for group_id in path:
            here = here.setdefault(group_id, {})

    def walk(node: Node, path: tuple[str, ...]) -> bool:
        for _tag, b in node.children:
            for c in b.cases.values() if isinstance(b, Switch) else (b,):
                if isinstance(c, Node):
                    if c.at is not None or not walk(c, (*path, c.group) if c.group else path):
                        return False
                elif isinstance(c, Leaf) and c.id in binding.DATETIME_TERMS:
                    if c.opens is not None or (c.at is not None and "/" in c.at):
                        return False
                    add(path)
                    if c.at is not None:  # an enclosing group (on the path), or a child
                        add((*path, c.at))
        return True

    return tree if walk(binding.root_node(type_name), ()) else None


def write(doc: Invoice) -> bytes:
    """The ETDA document holding ``doc``'s terms, elements in the order of its type's XSD."""
    dtype = document_type_of(doc)
    # copy on write: only the groups holding a date to complete are copied
    whole = doc.rewritten(_datetimes, binding.DATETIME_TERMS, _dated_groups(dtype.name))
    out = doc.reshaped(whole.terms, whole.groups)
    return write_xml(out, _root_maker(dtype.name), binding.root_node(dtype.name), "etda")


@cache
def _root_maker(type_name: str) -> Callable[[], etree._Element]:
    """The maker of a document type's empty document element, one a type: write_xml keeps
    the names it writes by the maker, so they are found once, not for every document."""
    dtype = binding.DOCUMENT_TYPES[type_name]

    def root() -> etree._Element:
        nsmap: Any = {"rsm": dtype.rsm, "ram": dtype.ram}
        return etree.Element(f"{{{dtype.rsm}}}{dtype.name}{_SUFFIX}", nsmap=nsmap)

    return root
