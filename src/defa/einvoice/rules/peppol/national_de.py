"""Peppol BIS 3 national rules of Germany (DE-R), aligned with XRechnung.

They apply when both seller and buyer have a German postal address (BT-40, BT-55).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    CAC,
    CBC,
    Element,
    TreeView,
    child,
    find,
    is_number,
    loc,
    norm,
    text,
    view,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule
from defa.einvoice.rules.peppol.context import CUSTOMER, SUPPLIER, german_parties, party

__all__ = ["iban_checksum"]

_VAT_CODES = frozenset({"S", "Z", "E", "AE", "K", "G", "L", "M"})
_TYPE_CODES = frozenset({"326", "380", "384", "389", "381", "875", "876", "877"})
# Cash discount lines in the payment terms (XRechnung's Skonto syntax).
_SKONTO = re.compile(
    r"#(SKONTO)#TAGE=([0-9]+#PROZENT=[0-9]+\.[0-9]{2})(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#$"
)
_LINE_BREAK = re.compile(r"\r?\n")
_SKONTO_ENTRY = re.compile(r"#.+#")
_ENDS_WITH_BREAK = re.compile(r"[ \t\r\n]*\n")
_EMAIL = re.compile(
    r"[a-zA-Z0-9!#$%&\"*+/=?^_`{|}~-]+(\.[a-zA-Z0-9!#$%&\"*+/=?^_`{|}~-]+)*@"
    r"([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?"
)
_TELEPHONE = re.compile(r".*([0-9].*){3,}.*")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}")
_XML_SPACE = re.compile(r"[ \n\r\t]")  # XPath's \s is these four only


def iban_checksum(value: str) -> bool:
    """The IBAN test of DE-R-019/020: shape, then ISO 7064 mod 97 = 1 on the rearranged
    number (letters count as their code point minus 55, as upstream computes them).
    """
    compact = _XML_SPACE.sub("", value)
    if not _IBAN_SHAPE.fullmatch(compact):
        return False
    rearranged = compact[4:] + compact[:2].upper() + compact[2:4]
    digits = "".join(str(ord(c) - 55) if ord(c) > 64 else str(ord(c) - 48) for c in rearranged)
    return int(digits) % 97 == 1


def _german(u: TreeView | None) -> bool:
    return u is not None and german_parties(u)


def _in_de(doc: Invoice) -> bool:
    """The scope of every DE rule: each finds something only when ``_german`` holds."""
    return _german(view(doc))


def _filled(el: Element | None, tag: str) -> bool:
    """True when ``el`` has a child ``tag`` with non-blank text."""
    return el is not None and any(norm(text(c)) for c in el if c.tag == tag)


def _document_rule(
    rule_id: str, severity: str, message: str, terms: tuple[str, ...]
) -> Callable[[Callable[[TreeView], bool]], Callable[[TreeView], bool]]:
    """Register a document-level German rule from a predicate that holds when it passes."""

    def register(holds: Callable[[TreeView], bool]) -> Callable[[TreeView], bool]:
        def check(doc: Invoice) -> Findings:
            u = view(doc)
            if u is not None and _german(u) and not holds(u):
                yield loc(u.root)

        check.__name__ = rule_id.lower().replace("-", "_")
        rule(rule_id, severity, message, terms=terms, syntax="ubl", scope=_in_de)(check)
        return holds

    return register


@_document_rule("DE-R-001", "fatal", "Payment instructions (BG-16) are required.", ("BG-16",))
def _de_r_001(u: TreeView) -> bool:
    return bool(u.top(CAC + "PaymentMeans"))


@_document_rule("DE-R-015", "fatal", "The buyer reference (BT-10) is required.", ("BT-10",))
def _de_r_015(u: TreeView) -> bool:
    return any(norm(text(r)) for r in u.top(CBC + "BuyerReference"))


def _category_ids(u: TreeView, charge: str) -> Iterator[str]:
    for ac in u.top(CAC + "AllowanceCharge"):
        if any(text(i) == charge for i in find(ac, CBC + "ChargeIndicator")):
            yield from (text(i) for i in find(ac, CAC + "TaxCategory", CBC + "ID"))


@_document_rule(
    "DE-R-016",
    "fatal",
    "With VAT category S, Z, E, AE, K, G, L or M the seller's VAT identifier (BT-31), tax "
    "registration (BT-32) or tax representative (BG-11) is required.",
    ("BT-31", "BT-32", "BG-11", "BT-95", "BT-102", "BT-151"),
)
def _de_r_016(u: TreeView) -> bool:
    line_codes = (
        text(i)
        for line in (*u.top(CAC + "InvoiceLine"), *u.top(CAC + "CreditNoteLine"))
        for i in find(line, CAC + "Item", CAC + "ClassifiedTaxCategory", CBC + "ID")
    )
    used = any(
        c in _VAT_CODES
        for c in (*_category_ids(u, "false"), *_category_ids(u, "true"), *line_codes)
    )
    if not used or u.top(CAC + "TaxRepresentativeParty"):
        return True
    return any(
        norm(text(c)) for c in find(party(u, SUPPLIER), CAC + "PartyTaxScheme", CBC + "CompanyID")
    )


@_document_rule(
    "DE-R-017",
    "warning",
    "The document type (BT-3) should be 326, 380, 384, 389, 381, 875, 876 or 877.",
    ("BT-3",),
)
def _de_r_017(u: TreeView) -> bool:
    codes = (*u.top(CBC + "InvoiceTypeCode"), *u.top(CBC + "CreditNoteTypeCode"))
    return any(text(c) in _TYPE_CODES for c in codes)


def _skonto_ok(note: str) -> bool:
    entries = [line for line in _LINE_BREAK.split(note) if norm(line).startswith("#")]
    if not entries:
        return True
    tail = _SKONTO_ENTRY.split(note)[-1]
    return all(_SKONTO.search(norm(line)) for line in entries) and bool(
        _ENDS_WITH_BREAK.match(tail)
    )


@_document_rule(
    "DE-R-018",
    "fatal",
    "Cash discount terms in the payment terms (BT-20) must follow the "
    "#SKONTO#TAGE=n#PROZENT=n.nn#[BASISBETRAG=n.nn#] syntax, each ending in a line break.",
    ("BT-20",),
)
def _de_r_018(u: TreeView) -> bool:
    notes = [text(n[0]) for n in (find(t, CBC + "Note") for t in u.top(CAC + "PaymentTerms")) if n]
    return all(_skonto_ok(note) for note in notes)


@_document_rule(
    "DE-R-022",
    "fatal",
    "Attached documents (BT-125) must have distinct file names.",
    ("BT-125",),
)
def _de_r_022(u: TreeView) -> bool:
    seen: set[str] = set()
    for ref in u.top(CAC + "AdditionalDocumentReference"):
        names = {
            o.get("filename")
            for o in find(ref, CAC + "Attachment", CBC + "EmbeddedDocumentBinaryObject")
            if o.get("filename") is not None
        }
        if names & seen:
            return False
        seen |= {n for n in names if n is not None}
    return True


def _is_384(el: Element) -> bool:
    value = text(el).strip()
    return is_number(value) and float(value) == 384


@_document_rule(
    "DE-R-026",
    "warning",
    "A corrected invoice (type 384) should reference the preceding invoice (BG-3).",
    ("BT-3", "BG-3"),
)
def _de_r_026(u: TreeView) -> bool:
    codes = (*u.top(CBC + "InvoiceTypeCode"), *u.top(CBC + "CreditNoteTypeCode"))
    if not any(_is_384(c) for c in codes):
        return True
    return bool(find(u.root, CAC + "BillingReference", CAC + "InvoiceDocumentReference"))


def _mandates(u: TreeView) -> list[Element]:
    return find(u.root, CAC + "PaymentMeans", CAC + "PaymentMandate")


@_document_rule(
    "DE-R-030",
    "fatal",
    "A direct debit (BG-19) requires the bank assigned creditor identifier (BT-90).",
    ("BG-19", "BT-90"),
)
def _de_r_030(u: TreeView) -> bool:
    if not _mandates(u):
        return True
    holders = [party(u, SUPPLIER), *u.top(CAC + "PayeeParty")]
    return any(
        i.get("schemeID") == "SEPA"
        for h in holders
        for i in find(h, CAC + "PartyIdentification", CBC + "ID")
    )


@_document_rule(
    "DE-R-031",
    "fatal",
    "A direct debit (BG-19) requires the debited account identifier (BT-91).",
    ("BG-19", "BT-91"),
)
def _de_r_031(u: TreeView) -> bool:
    mandates = _mandates(u)
    return not mandates or bool(
        [a for m in mandates for a in find(m, CAC + "PayerFinancialAccount", CBC + "ID")]
    )


def _element_rule(
    rule_id: str,
    severity: str,
    message: str,
    terms: tuple[str, ...],
    where: Callable[[TreeView], list[Element]],
    holds: Callable[[Element], bool],
) -> None:
    """Register a German rule judged on each element ``where`` finds."""

    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is None or not _german(u):
            return
        for el in where(u):
            if not holds(el):
                yield loc(el)

    check.__name__ = rule_id.lower().replace("-", "_")
    rule(rule_id, severity, message, terms=terms, syntax="ubl", scope=_in_de)(check)


def _suppliers(u: TreeView) -> list[Element]:
    return u.top(CAC + SUPPLIER)


def _supplier_addresses(u: TreeView) -> list[Element]:
    return find(u.root, CAC + SUPPLIER, CAC + "Party", CAC + "PostalAddress")


def _supplier_contacts(u: TreeView) -> list[Element]:
    return find(u.root, CAC + SUPPLIER, CAC + "Party", CAC + "Contact")


def _customer_addresses(u: TreeView) -> list[Element]:
    return find(u.root, CAC + CUSTOMER, CAC + "Party", CAC + "PostalAddress")


def _delivery_addresses(u: TreeView) -> list[Element]:
    return find(u.root, CAC + "Delivery", CAC + "DeliveryLocation", CAC + "Address")


def _vat_breakdowns(u: TreeView) -> list[Element]:
    return find(u.root, CAC + "TaxTotal", CAC + "TaxSubtotal")


def _filled_with(tag: str) -> Callable[[Element], bool]:
    """A predicate: the element has a non-blank child ``tag``."""
    return lambda el: _filled(el, tag)


def _first_norm(el: Element, tag: str) -> str:
    found = child(el, tag)
    return norm(text(found)) if found is not None else ""


_element_rule(
    "DE-R-002",
    "fatal",
    "The seller contact (BG-6) is required.",
    ("BG-6",),
    _suppliers,
    lambda s: bool(find(s, CAC + "Party", CAC + "Contact")),
)
for _rule_id, _where, _tag, _term, _what in (
    ("DE-R-003", _supplier_addresses, "CityName", "BT-37", "seller city"),
    ("DE-R-004", _supplier_addresses, "PostalZone", "BT-38", "seller post code"),
    ("DE-R-005", _supplier_contacts, "Name", "BT-41", "seller contact point"),
    ("DE-R-006", _supplier_contacts, "Telephone", "BT-42", "seller contact telephone"),
    ("DE-R-007", _supplier_contacts, "ElectronicMail", "BT-43", "seller contact email"),
    ("DE-R-008", _customer_addresses, "CityName", "BT-52", "buyer city"),
    ("DE-R-009", _customer_addresses, "PostalZone", "BT-53", "buyer post code"),
    ("DE-R-010", _delivery_addresses, "CityName", "BT-77", "deliver-to city"),
    ("DE-R-011", _delivery_addresses, "PostalZone", "BT-78", "deliver-to post code"),
):
    _element_rule(
        _rule_id,
        "fatal",
        f"The {_what} ({_term}) is required.",
        (_term,),
        _where,
        _filled_with(CBC + _tag),
    )

_element_rule(
    "DE-R-027",
    "warning",
    "The seller contact telephone number (BT-42) should contain at least three digits.",
    ("BT-42",),
    _supplier_contacts,
    lambda c: bool(_TELEPHONE.search(_first_norm(c, CBC + "Telephone"))),
)
_element_rule(
    "DE-R-028",
    "warning",
    "The seller contact email address (BT-43) should be a plausible email address.",
    ("BT-43",),
    _supplier_contacts,
    lambda c: bool(_EMAIL.fullmatch(_first_norm(c, CBC + "ElectronicMail"))),
)
_element_rule(
    "DE-R-014",
    "fatal",
    "The VAT category rate (BT-119) is required.",
    ("BT-119",),
    _vat_breakdowns,
    lambda s: bool([p for p in find(s, CAC + "TaxCategory", CBC + "Percent") if norm(text(p))]),
)


def _means_with(codes: frozenset[float]) -> Callable[[TreeView], list[Element]]:
    """Root payment means whose code (compared as a number, like upstream) is in ``codes``."""

    def where(u: TreeView) -> list[Element]:
        found: list[Element] = []
        for means in u.top(CAC + "PaymentMeans"):
            for code in find(means, CBC + "PaymentMeansCode"):
                value = text(code).strip()
                if is_number(value) and float(value) in codes:
                    found.append(means)
                    break
        return found

    return where


_TRANSFER = _means_with(frozenset({30.0, 58.0}))
_CARD = _means_with(frozenset({48.0, 54.0, 55.0}))
_DEBIT = _means_with(frozenset({59.0}))


def _has(el: Element, tag: str) -> bool:
    return child(el, tag) is not None


def _iban_at(el: Element, code: str, *path: str) -> bool:
    if not any(text(c) == code for c in find(el, CBC + "PaymentMeansCode")):
        return True
    found = find(el, *path)
    return bool(found) and iban_checksum(norm(text(found[0])))


_element_rule(
    "DE-R-019",
    "warning",
    "With SEPA credit transfer (58) the payment account (BT-84) should be a valid IBAN.",
    ("BT-81", "BT-84"),
    _TRANSFER,
    lambda m: _iban_at(m, "58", CAC + "PayeeFinancialAccount", CBC + "ID"),
)
_element_rule(
    "DE-R-023-1",
    "fatal",
    "A credit transfer (30, 58) requires the credit transfer group (BG-17).",
    ("BT-81", "BG-17"),
    _TRANSFER,
    lambda m: _has(m, CAC + "PayeeFinancialAccount"),
)
_element_rule(
    "DE-R-023-2",
    "fatal",
    "A credit transfer (30, 58) must not carry card (BG-18) or direct debit (BG-19) details.",
    ("BT-81", "BG-18", "BG-19"),
    _TRANSFER,
    lambda m: not _has(m, CAC + "CardAccount") and not _has(m, CAC + "PaymentMandate"),
)
_element_rule(
    "DE-R-024-1",
    "fatal",
    "A card payment (48, 54, 55) requires the payment card group (BG-18).",
    ("BT-81", "BG-18"),
    _CARD,
    lambda m: _has(m, CAC + "CardAccount"),
)
_element_rule(
    "DE-R-024-2",
    "fatal",
    "A card payment (48, 54, 55) must not carry credit transfer (BG-17) or direct debit "
    "(BG-19) details.",
    ("BT-81", "BG-17", "BG-19"),
    _CARD,
    lambda m: not _has(m, CAC + "PayeeFinancialAccount") and not _has(m, CAC + "PaymentMandate"),
)
_element_rule(
    "DE-R-020",
    "warning",
    "With SEPA direct debit (59) the debited account (BT-91) should be a valid IBAN.",
    ("BT-81", "BT-91"),
    _DEBIT,
    lambda m: _iban_at(m, "59", CAC + "PaymentMandate", CAC + "PayerFinancialAccount", CBC + "ID"),
)
_element_rule(
    "DE-R-025-1",
    "fatal",
    "A direct debit (59) requires the direct debit group (BG-19).",
    ("BT-81", "BG-19"),
    _DEBIT,
    lambda m: _has(m, CAC + "PaymentMandate"),
)
_element_rule(
    "DE-R-025-2",
    "fatal",
    "A direct debit (59) must not carry credit transfer (BG-17) or card (BG-18) details.",
    ("BT-81", "BG-17", "BG-18"),
    _DEBIT,
    lambda m: not _has(m, CAC + "PayeeFinancialAccount") and not _has(m, CAC + "CardAccount"),
)
