"""The MyInvois formats' profile pieces: detection (``matches``) and preparation (``prepare``).

A MyInvois document is a UBL 2.1 Invoice whose ``cbc:InvoiceTypeCode`` carries the
e-Invoice version in ``@listVersionID`` (1.0 or 1.1) and which names no EN 16931
specification (``cbc:CustomizationID``), unlike Peppol PINT MY.
"""

from __future__ import annotations

from defa.einvoice.model import Invoice, Term

__all__ = ["TYPE_CODES", "VERSIONS", "is_myinvois", "prepare"]

VERSIONS = frozenset({"1.0", "1.1"})
#: The version a document gets when it names none: the current one (it must be signed).
DEFAULT_VERSION = "1.1"
#: UNTDID 1001 document types (EN 16931, Peppol PINT) with a MyInvois e-invoice type of the
#: same meaning: commercial invoice, credit note, debit note, self-billed invoice,
#: self-billed credit note. Others (a refund note has no UNTDID code) are left as they are.
TYPE_CODES = {"380": "01", "381": "02", "383": "03", "389": "11", "261": "12"}


def _version(doc: Invoice) -> str | None:
    found = doc.value("MY-VERSION")
    if found is not None:
        return found.strip()
    code = doc.term("BT-3")  # read by the engine's UBL reader: the attribute is kept on BT-3
    return code.attrs.get("listVersionID", "").strip() if code is not None else None


def is_myinvois(doc: Invoice) -> bool:
    """True for a MyInvois document: a version 1.0/1.1 type code and no specification id."""
    control = doc.child("BG-2")
    if control is not None and control.has("BT-24"):
        return False
    return _version(doc) in VERSIONS


def prepare(doc: Invoice) -> Invoice:
    """A copy of ``doc`` shaped as MyInvois writes it.

    No specification identifiers (BG-2); the e-Invoice version as ``MY-VERSION`` (kept, or
    taken from ``BT-3/@listVersionID``, else 1.1); an Invoice whatever the source's root,
    with a UNTDID 1001 type code (``380``, ``381``, ...) as its MyInvois e-invoice type
    (:data:`TYPE_CODES`). Only the root's terms and BG-2 are replaced; the rest is shared.
    """
    out = Invoice(kind="invoice", syntax=doc.syntax, tree=doc.tree)
    out.loc = doc.loc
    out.terms = dict(doc.terms)
    out.groups = {k: v for k, v in doc.groups.items() if k != "BG-2"}
    version = _version(doc) or DEFAULT_VERSION
    code = doc.term("BT-3")
    if code is not None:
        attrs = {k: v for k, v in code.attrs.items() if k != "listVersionID"}
        text = TYPE_CODES.get(code.text.strip(), code.text)
        out.terms["BT-3"] = [Term("BT-3", text, code.loc, attrs), *doc.all("BT-3")[1:]]
    if not doc.has("MY-VERSION"):
        out.terms["MY-VERSION"] = [Term("MY-VERSION", version)]
    return out
