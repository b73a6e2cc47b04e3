"""Writing the semantic model as ETDA e-Tax Invoice 2.0 XML.

The document type (and so the root element and namespaces) is the model's ``TH-DOCUMENT``
when it names one, else the type the type code (BT-3) belongs to, else a tax invoice (a
debit/credit note for a credit note). Elements are written in the order of that type's XSD.
ETDA dates are ``xs:dateTime``: a date read with a time gets it back (``attrs['@time']``);
a bare date gets midnight.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from defa.countries.th.etda import binding
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.syntax._write import write_xml

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


def _copy(group: Group, into: Group) -> Group:
    """``group``'s content with ``xs:dateTime`` terms made whole again (a new tree)."""
    for term_id, terms in group.terms.items():
        if term_id in binding.DATETIME_TERMS:
            into.terms[term_id] = [_datetime(t) for t in terms]
        else:
            into.terms[term_id] = terms
    for group_id, groups in group.groups.items():
        into.groups[group_id] = [_copy(g, Group(g.id, g.loc)) for g in groups]
    return into


def write(doc: Invoice) -> bytes:
    """The ETDA document holding ``doc``'s terms, elements in the order of its type's XSD."""
    dtype = document_type_of(doc)
    out = Invoice(kind=doc.kind, syntax=doc.syntax, tree=None)
    out.loc = doc.loc
    _copy(doc, out)
    nsmap: Any = {"rsm": dtype.rsm, "ram": dtype.ram}
    root = etree.Element(f"{{{dtype.rsm}}}{dtype.name}{_SUFFIX}", nsmap=nsmap)
    return write_xml(out, root, binding.root_node(dtype.name), "etda")
