"""UBL 2.1 Invoice and CreditNote <-> the EN 16931 semantic model.

Reading walks the document once against the binding table of
:mod:`defa.einvoice.syntax.ubl_binding`. Term ids are EN 16931's; attribute-level terms
have the binding's suffixed ids (``BT-29-1`` a seller identifier's ``schemeID``,
``BT-34-1`` an electronic address scheme, ``BT-125-1``/``-2`` an attachment's mime code and
file name, ``BT-158-1``/``-2`` a classification's ``listID``/``listVersionID``); the unit
codes are BT-130 and BT-150 and the payment means text BT-82, as in the standard. Other
attributes (an amount's ``currencyID``) stay in ``Term.attrs``.

Fragments read without raising (the official unit tests hold partial documents); elements
that map to no term are listed in ``Invoice.issues`` as ``einvoice.unmapped_element``
warnings. ``loc`` is an XPath with prefixes and 1-based positions where an element repeats:
``/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount``.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from defa.einvoice._gc import paused_gc
from defa.einvoice.model import Invoice
from defa.einvoice.syntax import ubl_binding as binding
from defa.einvoice.syntax._read import Reader
from defa.einvoice.syntax._write import write_tree, write_xml
from defa.einvoice.syntax._xmlmap import Node
from defa.einvoice.xmlsafe import Source, parse
from defa.errors import InputRejected, Issue

__all__ = [
    "ROOTS",
    "SYNTAX",
    "credit_note_order",
    "credit_note_root",
    "invoice_root",
    "read",
    "write",
    "write_bound",
]

SYNTAX = "ubl"

ROOTS: dict[str, str] = {
    f"{{{binding.INVOICE}}}Invoice": "invoice",
    f"{{{binding.CREDIT_NOTE}}}CreditNote": "credit-note",
}
_NAMESPACE_OF = {"Invoice": binding.INVOICE, "CreditNote": binding.CREDIT_NOTE}


def _kind(root: etree._Element) -> str:
    tag = root.tag
    if not isinstance(tag, str):
        raise InputRejected(Issue("xml.wrong_root", "the document has no element root"))
    kind = ROOTS.get(tag)
    if kind is not None:
        return kind
    ns, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    if local in _NAMESPACE_OF:
        raise InputRejected(
            Issue(
                "xml.wrong_namespace",
                f"a UBL {local} must be in namespace {_NAMESPACE_OF[local]}, not {ns!r:.80}",
                loc=f"/{local}",
            )
        )
    raise InputRejected(
        Issue(
            "xml.wrong_root",
            f"a UBL document's root is Invoice or CreditNote, not {local!r:.60}",
            loc=f"/{local[:60]}",
        )
    )


def read(source: etree._Element | Source) -> Invoice:
    """Read a UBL 2.1 Invoice or CreditNote (an lxml element, or XML bytes/text/path).

    Raises :class:`~defa.errors.InputRejected` for hostile or non-XML input and for a root
    that is not a UBL Invoice or CreditNote; never for missing or unexpected content.
    """
    root = source if isinstance(source, etree._Element) else parse(source)
    kind = _kind(root)
    local = "Invoice" if kind == "invoice" else "CreditNote"
    doc = Invoice(kind=kind, syntax=SYNTAX, tree=root)  # type: ignore[arg-type]
    doc.loc = f"/{local}"
    reader = Reader(doc, binding.PREFIXES)
    with paused_gc():  # an allocation burst without cycles: see defa.einvoice._gc
        reader.children(root, binding.ROOT_NODE, doc, doc.loc)
        reader.finish()
    doc.issues = reader.issues
    return doc


def write(doc: Invoice) -> bytes:
    """The UBL 2.1 document (Invoice or CreditNote, by ``doc.kind``) holding ``doc``'s terms.

    Elements are written in schema order. Values are written verbatim; attributes kept in
    ``Term.attrs`` are put back; amounts without a ``currencyID`` get the document currency.
    """
    return write_bound(doc, binding.ROOT_NODE)


def write_bound(doc: Invoice, node: Node) -> bytes:
    """:func:`write` through the binding table ``node``: the engine's, or a format's table
    that extends it (CamInvoice's tax exchange rate)."""
    if doc.kind == "credit-note":
        return write_xml(doc, credit_note_root, node, SYNTAX, credit_note_order)
    return write_xml(doc, invoice_root, node, SYNTAX)


def _root(credit: bool) -> etree._Element:
    ns = binding.CREDIT_NOTE if credit else binding.INVOICE
    nsmap: Any = {None: ns, "cac": binding.CAC, "cbc": binding.CBC}  # lxml takes None keys
    return etree.Element(f"{{{ns}}}{'CreditNote' if credit else 'Invoice'}", nsmap=nsmap)


def invoice_root() -> etree._Element:
    """An empty UBL ``Invoice`` document element, with the usual namespace prefixes."""
    return _root(False)


def credit_note_root() -> etree._Element:
    """An empty UBL ``CreditNote`` document element, with the usual namespace prefixes."""
    return _root(True)


_CREDIT_NOTE_ORDER = {name: i for i, name in enumerate(binding.CREDIT_NOTE_ORDER)}


def credit_note_order(tag: str) -> int:
    """Where a credit note's child (a Clark tag) goes: the CreditNote schema's order."""
    return _CREDIT_NOTE_ORDER.get(tag.rpartition("}")[2], len(_CREDIT_NOTE_ORDER))


def build(doc: Invoice) -> etree._Element:
    """The document element :func:`write` serialises, as an lxml tree."""
    credit = doc.kind == "credit-note"
    root = _root(credit)
    write_tree(doc, root, binding.ROOT_NODE, SYNTAX)
    if credit:
        root[:] = sorted(root, key=lambda el: credit_note_order(str(el.tag)))
    return root
