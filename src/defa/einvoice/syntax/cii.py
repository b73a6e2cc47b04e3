"""UN/CEFACT Cross Industry Invoice (CII D16B) <-> the EN 16931 semantic model.

The same model UBL reads into, with the same term ids and placement (see
:mod:`defa.einvoice.syntax.cii_binding` for where CII puts terms elsewhere). A CII
document is a credit note when its type code (BT-3) is one of EN 16931's credit note codes
(81, 83, 381, 396, 532). Dates in format 102 (``YYYYMMDD``) are read as ISO dates and
written back as 102, so a CII round trip is exact and a UBL date converts to the same
semantic value.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from defa.einvoice._gc import paused_gc
from defa.einvoice.model import Invoice
from defa.einvoice.syntax import cii_binding as binding
from defa.einvoice.syntax._read import Reader
from defa.einvoice.syntax._write import write_tree, write_xml
from defa.einvoice.xmlsafe import Source, parse
from defa.errors import InputRejected, Issue

__all__ = ["CREDIT_NOTE_CODES", "ROOT_TAG", "SYNTAX", "read", "write"]

SYNTAX = "cii"
ROOT_TAG: str = f"{{{binding.RSM}}}CrossIndustryInvoice"

#: UNTDID 1001 codes EN 16931 lists as credit notes.
CREDIT_NOTE_CODES = frozenset({"81", "83", "381", "396", "532"})


def _check_root(root: etree._Element) -> None:
    tag = root.tag
    if tag == ROOT_TAG:
        return
    if not isinstance(tag, str):
        raise InputRejected(Issue("xml.wrong_root", "the document has no element root"))
    ns, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    if local == "CrossIndustryInvoice":
        raise InputRejected(
            Issue(
                "xml.wrong_namespace",
                f"a CII invoice must be in namespace {binding.RSM}, not {ns!r:.80}",
                loc="/rsm:CrossIndustryInvoice",
            )
        )
    raise InputRejected(
        Issue(
            "xml.wrong_root",
            f"a CII document's root is CrossIndustryInvoice, not {local!r:.60}",
            loc=f"/{local[:60]}",
        )
    )


def read(source: etree._Element | Source) -> Invoice:
    """Read a CII D16B CrossIndustryInvoice (an lxml element, or XML bytes/text/path).

    Raises :class:`~defa.errors.InputRejected` for hostile or non-XML input and for a root
    that is not a CrossIndustryInvoice; never for missing or unexpected content.
    """
    root = source if isinstance(source, etree._Element) else parse(source)
    _check_root(root)
    doc = Invoice(syntax=SYNTAX, tree=root)
    doc.loc = "/rsm:CrossIndustryInvoice"
    reader = Reader(doc, binding.PREFIXES)
    with paused_gc():  # an allocation burst without cycles: see defa.einvoice._gc
        reader.children(root, binding.ROOT_NODE, doc, doc.loc)
        reader.finish()
    doc.issues = reader.issues
    type_code = (doc.value("BT-3") or "").strip()
    doc.kind = "credit-note" if type_code in CREDIT_NOTE_CODES else "invoice"
    return doc


def write(doc: Invoice) -> bytes:
    """The CII D16B document holding ``doc``'s terms, elements in schema order."""
    return write_xml(doc, _root, binding.ROOT_NODE, SYNTAX)


def _root() -> etree._Element:
    nsmap: Any = {
        "rsm": binding.RSM,
        "ram": binding.RAM,
        "qdt": binding.QDT,
        "udt": binding.UDT,
    }
    return etree.Element(ROOT_TAG, nsmap=nsmap)


def build(doc: Invoice) -> etree._Element:
    """The document element :func:`write` serialises, as an lxml tree."""
    root = _root()
    write_tree(doc, root, binding.ROOT_NODE, SYNTAX)
    return root
