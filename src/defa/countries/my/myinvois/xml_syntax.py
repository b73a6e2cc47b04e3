"""MyInvois XML: a UBL 2.1 Invoice read and written with the MyInvois extension terms.

The engine's UBL machinery does the work; :mod:`._binding` adds the MyInvois elements as
``MY-...`` terms. The signature extension (``ext:UBLExtensions``) is not business content:
it is kept whole as the term ``MY-UBL-EXTENSIONS`` (canonical XML text), so a document reads
and writes back with it, and :mod:`.signature` creates and verifies it. The writer puts
every element back in UBL order and MyInvois documents use that order, so a signed document
read and written again still verifies; a changed document must be signed again.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy

from lxml import etree

from defa.countries.my.myinvois._binding import ROOT_NODE
from defa.einvoice.model import Invoice
from defa.einvoice.syntax import ubl as ubl_syntax
from defa.einvoice.syntax import ubl_binding as ubl
from defa.einvoice.syntax._read import Reader
from defa.einvoice.syntax._write import to_xml, write_tree
from defa.einvoice.syntax._write import write_xml as write_text
from defa.einvoice.xmlsafe import Source, parse, read_bytes
from defa.errors import InputRejected, Issue

__all__ = [
    "EXTENSIONS_TERM",
    "NAMESPACES",
    "ROOT",
    "SYNTAX",
    "kept_extensions",
    "read_ubl",
    "read_xml",
    "write_ubl",
    "write_xml",
]

#: The syntax id documents read here carry: MyInvois XML is UBL, and UBL-bound rules apply.
SYNTAX = "ubl"
EXTENSIONS_TERM = "MY-UBL-EXTENSIONS"

SIG = "urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2"
SAC = "urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2"
SBC = "urn:oasis:names:specification:ubl:schema:xsd:SignatureBasicComponents-2"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"

#: Prefix -> namespace of every namespace a MyInvois document uses.
NAMESPACES = {
    "cac": ubl.CAC,
    "cbc": ubl.CBC,
    "ext": ubl.EXT,
    "sig": SIG,
    "sac": SAC,
    "sbc": SBC,
    "ds": DS,
    "xades": XADES,
}
_PREFIXES = {**ubl.PREFIXES, SIG: "sig", SAC: "sac", SBC: "sbc", DS: "ds", XADES: "xades"}
#: The document element's Clark tag.
ROOT = f"{{{ubl.INVOICE}}}Invoice"
_CREDIT_NOTE_ROOT = f"{{{ubl.CREDIT_NOTE}}}CreditNote"
# A UBL 2.1 CreditNote's children in schema order, with cac:PrepaidPayment (which the
# CreditNote schema lacks) where PINT MY's credit note samples put it, after the terms
_CREDIT_NOTE_ORDER = {
    name: i
    for i, name in enumerate(
        n
        for name in ubl.CREDIT_NOTE_ORDER
        for n in ((name, "PrepaidPayment") if name == "PaymentTerms" else (name,))
    )
}
_EXTENSIONS = f"{{{ubl.EXT}}}UBLExtensions"
_CUSTOMIZATION = f"{{{ubl.CBC}}}CustomizationID"
_FOREIGN_SPECIFICATIONS = ("urn:peppol:", "urn:cen.eu:en16931", "urn:fdc:peppol")


def _check_root(root: etree._Element) -> None:
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == ROOT:
        return
    local = etree.QName(tag).localname if tag else "?"
    ns = etree.QName(tag).namespace if tag.startswith("{") else None
    if local == "CrossIndustryInvoice":
        looks = "a UN/CEFACT CII invoice"
    elif local == "CreditNote" and ns == ubl.CREDIT_NOTE:
        looks = "a UBL CreditNote (MyInvois uses the Invoice root with type code 02)"
    elif local == "Invoice":
        looks = f"an Invoice in namespace {ns!r:.80}"
    else:
        looks = f"a {local[:60]!r} document"
    raise InputRejected(
        Issue(
            "xml.wrong_root",
            f"this looks like {looks}, not a MyInvois document (a UBL 2.1 Invoice)",
            loc=f"/{local[:60]}",
        )
    )


def _check_customization(root: etree._Element) -> None:
    """MyInvois documents carry no specification id; EN 16931 and Peppol ones do."""
    found = root.find(_CUSTOMIZATION)
    text = (found.text or "").strip() if found is not None else ""
    if text.startswith(_FOREIGN_SPECIFICATIONS):
        raise InputRejected(
            Issue(
                "einvoice.wrong_format",
                f"this looks like an EN 16931 / Peppol document (specification id "
                f"{text[:80]!r}), such as PINT MY, not MyInvois; read it with the UBL reader",
                loc="/Invoice/cbc:CustomizationID",
            )
        )


def read_xml(source: etree._Element | Source) -> Invoice:
    """Read a MyInvois XML document (any type, v1.0 or v1.1) into the model.

    Raises :class:`~defa.errors.InputRejected` for hostile or non-XML input and for a root
    that is not a UBL 2.1 Invoice; never for missing or unexpected content, which is listed
    in ``Invoice.issues``.
    """
    if isinstance(source, etree._Element):
        root = source
    else:
        data = read_bytes(source)
        if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
            raise InputRejected(
                Issue(
                    "einvoice.wrong_format",
                    "this looks like JSON (MyInvois JSON?), not MyInvois XML; read it with "
                    "read_json",
                )
            )
        root = parse(data)
    _check_root(root)
    _check_customization(root)
    return _read(root)


def read_ubl(source: etree._Element | Source) -> Invoice:
    """Read a UBL 2.1 Invoice or CreditNote with the MyInvois terms, whatever its
    specification id.

    For PINT MY documents that carry MyInvois fields (MSIC code, state, issue time, ...),
    which the engine's UBL binding does not read: a MyInvois -> PINT MY -> MyInvois round
    trip through :func:`write_xml` and this reader keeps them. A CreditNote is read as a
    credit note (``kind="credit-note"``), as the engine's UBL reader reads it.
    """
    root = source if isinstance(source, etree._Element) else parse(source)
    if root.tag == _CREDIT_NOTE_ROOT:
        return _read(root, "credit-note")
    _check_root(root)
    return _read(root)


def _read(root: etree._Element, kind: str = "invoice") -> Invoice:
    credit = kind == "credit-note"
    doc = Invoice(kind="credit-note" if credit else "invoice", syntax=SYNTAX, tree=root)
    doc.loc = "/CreditNote" if credit else "/Invoice"
    reader = Reader(doc, _PREFIXES)
    reader.children(root, ROOT_NODE, doc, doc.loc)
    reader.finish()
    skip = f"{doc.loc}/ext:UBLExtensions"
    doc.issues = [i for i in reader.issues if i.loc != skip]
    for el in root.iterchildren(_EXTENSIONS):
        doc.set(EXTENSIONS_TERM, _canonical(el), skip)
    return doc


def _canonical(el: etree._Element) -> str:
    """The extension as exclusive-C14N text without indentation: one form from XML and JSON."""
    copy = deepcopy(el)
    for e in copy.iter():
        if len(e) and e.text is not None and not e.text.strip():
            e.text = None
        if e.tail is not None and not e.tail.strip():
            e.tail = None
    return etree.tostring(copy, method="c14n", exclusive=True).decode()


def _signed(doc: Invoice) -> bool:
    """Whether ``doc`` keeps a source's extensions (its signature), written back as parsed."""
    kept = doc.all(EXTENSIONS_TERM)
    return bool(kept and kept[0].text.strip())


def write_xml(doc: Invoice) -> bytes:
    """The MyInvois XML document holding ``doc``'s terms, in UBL 2.1 schema order."""
    if _signed(doc):
        return to_xml(write_tree_of(doc))
    return write_text(doc, ubl_syntax.invoice_root, ROOT_NODE, SYNTAX)


def _credit_note_order(tag: str) -> int:
    return _CREDIT_NOTE_ORDER.get(etree.QName(tag).localname, len(_CREDIT_NOTE_ORDER))


def write_ubl(doc: Invoice) -> bytes:
    """The UBL 2.1 document holding ``doc``'s terms with the MyInvois ones: an Invoice, or
    a CreditNote for a credit note (``doc.kind``), as PINT MY writes them."""
    if doc.kind != "credit-note":
        return write_xml(doc)
    if not _signed(doc):
        return write_text(doc, ubl_syntax.credit_note_root, ROOT_NODE, SYNTAX, _credit_note_order)
    return to_xml(_tree(doc, ubl_syntax.credit_note_root(), _credit_note_order))


def kept_extensions(doc: Invoice) -> etree._Element | None:
    """The extensions ``doc`` keeps from its source (its signature), parsed; None when it
    keeps none."""
    if not _signed(doc):
        return None
    return parse(doc.all(EXTENSIONS_TERM)[0].text.encode())


def write_tree_of(doc: Invoice) -> etree._Element:
    """The MyInvois XML document as an lxml element (for signing and JSON)."""
    return _tree(doc, ubl_syntax.invoice_root())


def _tree(
    doc: Invoice, root: etree._Element, order: Callable[[str], int] | None = None
) -> etree._Element:
    """``root`` with ``doc`` written into it, its children in ``order`` (by Clark tag), the
    kept extensions first."""
    write_tree(doc, root, ROOT_NODE, SYNTAX)
    if order is not None:
        root[:] = sorted(root, key=lambda el: order(str(el.tag)))
    kept = kept_extensions(doc)
    if kept is not None:
        root.insert(0, kept)
    return root
