"""Document type codes (BT-3) between schemes, and self-billing.

An invoice's type code is stated in one of two schemes: UNTDID 1001 (EN 16931, Peppol BIS,
PINT, and the national formats built on the model) or the MyInvois e-invoice types (LHDN).
Each code means a document type and whether it is self-billed (issued by the buyer)::

    >>> meaning("11"), meaning("389"), meaning("04")
    (('invoice', True), ('invoice', True), ('refund-note', False))
    >>> code_for(MYINVOIS, "credit-note", True), code_for(UNTDID_1001, "credit-note", True)
    ('12', '261')
    >>> code_for(UNTDID_1001, "refund-note", False) is None
    True

Sources: UNTDID 1001 (D.16B) codes 380 commercial invoice, 381 credit note, 383 debit
note, 389 self-billed invoice, 261 self billed credit note, 527 self billed debit note (all
in the EN 16931 code list UNCL1001); the MyInvois SDK code table "e-Invoice Types"
(sdk.myinvois.hasil.gov.my/codes/e-invoice-types/: 01 to 04, 11 to 14); PINT MY 1.3.1
self-billing, rule ibr-cl-01 (an Invoice is typed 389, a CreditNote 261, and nothing else).
A refund note has no UNTDID 1001 code.

:func:`retype` is the conversion step that states the code in the target's scheme and, when
asked, as self-billed or not; a type the target cannot state is kept as it was and listed.
"""

from __future__ import annotations

from collections.abc import Mapping

from defa.einvoice.model import Invoice, Term, not_carried
from defa.errors import Issue, LookupFailed

__all__ = [
    "MYINVOIS",
    "UNTDID_1001",
    "code_for",
    "meaning",
    "retype",
    "scheme_of",
    "self_billing_choice",
]

UNTDID_1001 = "untdid-1001"
MYINVOIS = "myinvois"

_CODES: Mapping[str, Mapping[str, tuple[str, bool]]] = {
    UNTDID_1001: {
        "380": ("invoice", False),
        "381": ("credit-note", False),
        "383": ("debit-note", False),
        "389": ("invoice", True),
        "261": ("credit-note", True),
        "527": ("debit-note", True),
    },
    MYINVOIS: {
        "01": ("invoice", False),
        "02": ("credit-note", False),
        "03": ("debit-note", False),
        "04": ("refund-note", False),
        "11": ("invoice", True),
        "12": ("credit-note", True),
        "13": ("debit-note", True),
        "14": ("refund-note", True),
    },
}
_BY_MEANING = {scheme: {m: code for code, m in codes.items()} for scheme, codes in _CODES.items()}
_MEANING = {code: m for codes in _CODES.values() for code, m in codes.items()}

# The formats that state MyInvois e-invoice types; every other format states UNTDID 1001.
_MYINVOIS_FORMATS = frozenset({"my-myinvois-xml", "my-myinvois-json"})
# Formats that hold self-billed documents only, with the codes their rules allow, and the
# billing formats that have such a self-billing sibling (PINT MY 1.3.1, ibr-cl-01 of each).
SELF_BILLING_ONLY: Mapping[str, frozenset[str]] = {"my-pint-selfbilling": frozenset({"389", "261"})}
_SELF_BILLING_SIBLING = {"my-pint": "my-pint-selfbilling"}


def meaning(code: str, scheme: str | None = None) -> tuple[str, bool] | None:
    """``(document type, self-billed)`` of a code we know: of ``scheme``'s codes, or of
    UNTDID 1001's and MyInvois's when no scheme is given."""
    if scheme is None:
        return _MEANING.get(code.strip())
    return _CODES[scheme].get(code.strip())


def code_for(scheme: str, kind: str, self_billed: bool) -> str | None:
    """The code of ``scheme`` for a document type, self-billed or not; None if it has none."""
    return _BY_MEANING[scheme].get((kind, self_billed))


def scheme_of(format_id: str) -> str:
    """The type-code scheme a format states BT-3 in."""
    return MYINVOIS if format_id in _MYINVOIS_FORMATS else UNTDID_1001


def self_billing_choice(format_id: str, self_billed: bool | None) -> bool | None:
    """The self-billing a conversion into ``format_id`` writes: ``self_billed`` as asked,
    or, not asked (None), the source's own, except that a self-billing-only format writes
    self-billed documents. Raises :class:`~defa.errors.LookupFailed`
    (``einvoice.self_billing_unsupported``) when the format cannot hold what is asked."""
    only = format_id in SELF_BILLING_ONLY
    sibling = _SELF_BILLING_SIBLING.get(format_id)
    if self_billed is False and only:
        msg = f"{format_id} holds self-billed documents only; convert to a billing format"
    elif self_billed is True and sibling is not None:
        msg = f"{format_id} is a billing format; convert to {sibling} for a self-billed document"
    else:
        return True if only else self_billed
    raise LookupFailed(
        Issue(
            "einvoice.self_billing_unsupported",
            msg,
            loc="self_billed",
            ctx={"to": format_id, "self_billed": self_billed},
        )
    )


def retype(
    doc: Invoice,
    scheme: str,
    self_billed: bool | None,
    *,
    allowed: frozenset[str] | None = None,
    target: str = "",
    report: bool = True,
    source: str | None = None,
) -> Invoice:
    """``doc`` with its type code (BT-3) stated in ``scheme``, self-billed as asked.

    ``self_billed`` None keeps the document's own nature (a MyInvois ``11`` is a UNTDID
    ``389``); True or False asks for the self-billed or the billing type of the same
    document type (``380`` becomes ``389``, ``02`` becomes ``12``). ``allowed`` narrows the
    codes the target takes. A type with no code in the target (a refund note in UNTDID
    1001; a self-billed debit note where only 389 and 261 are allowed) is kept as it was
    and, when ``report``, listed as ``einvoice.value_not_carried`` in ``issues``; so is a
    code we do not know when a self-billed document is asked for. ``source`` is the scheme
    the document states its code in, when known (a UBL ``01`` is no MyInvois invoice). A
    shallow copy: only the
    root's terms and issues are new when the code changes or is listed.
    """
    term = doc.term("BT-3")
    if term is None:
        return doc
    found = meaning(term.text, source)
    reason = ""
    new: str | None = None
    if found is None:
        if self_billed:
            reason = f"no self-billed type is known for {term.text.strip()!r:.20}"
    else:
        kind, billed = found
        want = billed if self_billed is None else self_billed
        new = code_for(scheme, kind, want)
        if new is not None and allowed is not None and new not in allowed:
            new = None
        if new is None:
            what = f"{'self-billed ' if want else ''}{kind.replace('-', ' ')}"
            reason = f"{target or scheme} has no type code for a {what}"
    if new is None or new == term.text:
        if not (reason and report):
            return doc
        new = term.text
    out = doc.reshaped(terms=dict(doc.terms), issues=list(doc.issues))
    if new != term.text:
        out.terms["BT-3"] = [Term("BT-3", new, term.loc, dict(term.attrs)), *doc.all("BT-3")[1:]]
    if reason and report:
        out.issues.append(not_carried(term, f"not carried: {reason}"))
    return out
