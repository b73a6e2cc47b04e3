"""PINT base rules on the document as a whole: required terms and cardinalities of the root,
references, payment instructions, currencies, dates and times, binary objects and empty
elements (context ``/ubl:Invoice | /cn:CreditNote`` and the document-wide contexts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.pint import at_most, lines, root, rule
from defa.einvoice.rules.pint._xp import (
    CBC,
    Element,
    TreeView,
    a,
    at,
    b,
    child,
    decimal,
    exists,
    find,
    first,
    has_text,
    loc,
    norm,
    text,
    tree,
)

__all__: list[str] = []

_ASP = (a("AccountingSupplierParty"), a("Party"))
_ACP = (a("AccountingCustomerParty"), a("Party"))
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# xs:time: hh:mm:ss, optional fraction and time zone (24:00:00 is allowed by XSD).
_TIME = re.compile(
    r"(?:([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.\d+)?|24:00:00(?:\.0+)?)"
    r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
)
_DATE_TAGS = tuple(
    b(n)
    for n in ("IssueDate", "DueDate", "TaxPointDate", "StartDate", "EndDate", "ActualDeliveryDate")
)


def _required(rule_id: str, message: str, *path: str) -> None:
    """A root rule: ``normalize-space(path) != ''``."""

    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is not None and not has_text(u.root, *path):
            yield loc(u.root)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


def _present(rule_id: str, message: str, *path: str) -> None:
    """A root rule: ``exists(path)``."""

    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is not None and not exists(u.root, *path):
            yield loc(u.root)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_required("ibr-001", "The specification identifier (ibt-024) is missing.", b("CustomizationID"))
_required("ibr-002", "The invoice number (ibt-001) is missing.", b("ID"))
_required("ibr-003", "The invoice issue date (ibt-002) is missing.", b("IssueDate"))
_required("ibr-005", "The invoice currency code (ibt-005) is missing.", b("DocumentCurrencyCode"))
_required(
    "ibr-006",
    "The seller name (ibt-027) is missing.",
    *_ASP,
    a("PartyLegalEntity"),
    b("RegistrationName"),
)
_required(
    "ibr-007",
    "The buyer name (ibt-044) is missing.",
    *_ACP,
    a("PartyLegalEntity"),
    b("RegistrationName"),
)
_present("ibr-008", "The seller postal address (ibg-05) is missing.", *_ASP, a("PostalAddress"))
_present("ibr-010", "The buyer postal address (ibg-08) is missing.", *_ACP, a("PostalAddress"))
_present("ibr-076", "The business process (ibt-023) is missing.", b("ProfileID"))


@rule("ibr-sr-63", "fatal", "The specification identifier (ibt-024) contains a wildcard '*'.")
def ibr_sr_63(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        node = first(u.root, b("CustomizationID"))
        if node is not None and "*" in norm(text(node)):
            yield loc(node)


@rule("ibr-004", "fatal", "The invoice or credit note type code (ibt-003) is missing.")
def ibr_004(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None and not (
        has_text(u.root, b("InvoiceTypeCode")) or has_text(u.root, b("CreditNoteTypeCode"))
    ):
        yield loc(u.root)


@rule("ibr-016", "fatal", "The document has no invoice line (ibg-25).")
def ibr_016(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None and not (u.top(a("InvoiceLine")) or u.top(a("CreditNoteLine"))):
        yield loc(u.root)


def _tax_amounts(u: TreeView, currency: str) -> list[Element]:
    """``//cac:TaxTotal/cbc:TaxAmount[@currencyID = currency]``."""
    return [
        el
        for el in u.all(b("TaxAmount"))
        if el.get("currencyID") == currency and el.getparent().tag == a("TaxTotal")
    ]


@rule(
    "ibr-053",
    "fatal",
    "A tax accounting currency (ibt-006) is given but no total tax amount in it (ibt-111).",
)
def ibr_053(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for code in u.top(b("TaxCurrencyCode")):
        if not _tax_amounts(u, text(code)):
            yield loc(u.root)
            return


def _doc_type_is(el: Element, code: str) -> bool:
    """``cbc:DocumentTypeCode = 'code'`` (a general comparison over the children)."""
    return any(text(c) == code for c in find(el, b("DocumentTypeCode")))


@rule(
    "ibr-071",
    "fatal",
    "An additional document reference is both an invoiced object (ibt-018) and an attachment.",
)
def ibr_071(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for ref in u.all(a("AdditionalDocumentReference")):
            if _doc_type_is(ref, "130") and exists(ref, a("Attachment")):
                yield loc(u.root)
                return


@rule(
    "ibr-072",
    "fatal",
    "An additional document reference is both an invoiced object (ibt-018) and has a "
    "description (ibt-123).",
)
def ibr_072(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for ref in u.all(a("AdditionalDocumentReference")):
            if _doc_type_is(ref, "130") and exists(ref, b("DocumentDescription")):
                yield loc(u.root)
                return


@rule("ibr-078", "fatal", "More than one invoiced object (ibt-018) on document level.")
def ibr_078(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        refs = u.top(a("AdditionalDocumentReference"))
        if sum(1 for r in refs if _doc_type_is(r, "130")) > 1:
            yield loc(u.root)


@rule("ibr-090", "fatal", "More than one project reference (ibt-011) on document level.")
def ibr_090(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        refs = u.top(a("AdditionalDocumentReference"))
        projects = sum(1 for r in refs if _doc_type_is(r, "50"))
        if len(u.top(a("ProjectReference"))) > 1 or projects > 1:
            yield loc(u.root)


@rule(
    "ibr-084",
    "fatal",
    "The total tax amount (ibt-110) and the total tax in accounting currency (ibt-111) differ "
    "in sign.",
)
def ibr_084(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None or not u.top(b("TaxCurrencyCode")):
        return

    def amounts(code_tag: str) -> list[Decimal]:
        code = first(u.root, code_tag)
        wanted = norm(text(code)) if code is not None else ""
        found = [
            decimal(el)
            for total in u.top(a("TaxTotal"))
            for el in find(total, b("TaxAmount"))
            if el.get("currencyID") == wanted
        ]
        return [v for v in found if v is not None]

    tax, own = amounts(b("TaxCurrencyCode")), amounts(b("DocumentCurrencyCode"))
    zero = Decimal(0)
    negative = any(v <= zero for v in tax) and any(v <= zero for v in own)
    positive = any(v >= zero for v in tax) and any(v >= zero for v in own)
    if not (negative or positive):
        yield loc(u.root)


_cardinalities: tuple[tuple[str, str, tuple[str, ...]], ...]
_cardinalities = (
    (
        "ibr-066",
        "More than one payment card account (ibg-18).",
        (a("PaymentMeans"), a("CardAccount")),
    ),
    (
        "ibr-067",
        "More than one payment mandate (ibg-19).",
        (a("PaymentMeans"), a("PaymentMandate")),
    ),
    (
        "ibr-094",
        "The contract reference (ibt-012) occurs more than once.",
        (a("ContractDocumentReference"), b("ID")),
    ),
    (
        "ibr-095",
        "The receiving advice reference (ibt-015) occurs more than once.",
        (a("ReceiptDocumentReference"), b("ID")),
    ),
    (
        "ibr-096",
        "The despatch advice reference (ibt-016) occurs more than once.",
        (a("DespatchDocumentReference"), b("ID")),
    ),
    ("ibr-097", "The invoicing period (ibg-14) occurs more than once.", (a("InvoicePeriod"),)),
    (
        "ibr-098",
        "The seller name (ibt-027) occurs more than once.",
        (*_ASP, a("PartyLegalEntity"), b("RegistrationName")),
    ),
    (
        "ibr-099",
        "The seller trading name (ibt-028) occurs more than once.",
        (*_ASP, a("PartyName"), b("Name")),
    ),
    (
        "ibr-100",
        "The seller legal registration identifier (ibt-030) occurs more than once.",
        (*_ASP, a("PartyLegalEntity"), b("CompanyID")),
    ),
    (
        "ibr-101",
        "The seller additional legal information (ibt-033) occurs more than once.",
        (*_ASP, a("PartyLegalEntity"), b("CompanyLegalForm")),
    ),
    (
        "ibr-102",
        "The buyer name (ibt-044) occurs more than once.",
        (*_ACP, a("PartyLegalEntity"), b("RegistrationName")),
    ),
    (
        "ibr-103",
        "The buyer legal registration identifier (ibt-047) occurs more than once.",
        (*_ACP, a("PartyLegalEntity"), b("CompanyID")),
    ),
    (
        "ibr-104",
        "The buyer tax identifier (ibt-048) occurs more than once.",
        (*_ACP, a("PartyTaxScheme"), b("CompanyID")),
    ),
    ("ibr-107", "The deliver-to information (ibg-13) occurs more than once.", (a("Delivery"),)),
    (
        "ibr-112",
        "The buyer trading name (ibt-045) occurs more than once.",
        (*_ACP, a("PartyName"), b("Name")),
    ),
    (
        "ibr-sr-16",
        "The buyer identifier (ibt-046) occurs more than once.",
        (*_ACP, a("PartyIdentification"), b("ID")),
    ),
    (
        "ibr-sr-39",
        "The project reference (ibt-011) occurs more than once.",
        (a("ProjectReference"), b("ID")),
    ),
    (
        "ibr-sr-49",
        "The value tax point date code (ibt-008) occurs more than once.",
        (a("InvoicePeriod"), b("DescriptionCode")),
    ),
    ("ibr-sr-51", "The invoice note (ibt-022) occurs more than once.", (b("Note"),)),
    (
        "ibr-sr-52",
        "The tender or lot reference (ibt-017) occurs more than once.",
        (a("OriginatorDocumentReference"), b("ID")),
    ),
)
for _id, _message, _path in _cardinalities:
    at_most(_id, _message, root, *_path)

_line_cardinalities: tuple[tuple[str, str, tuple[str, ...]], ...]
_line_cardinalities = (
    (
        "ibr-109",
        "The referenced purchase order line (ibt-132) occurs more than once.",
        (a("OrderLineReference"), b("LineID")),
    ),
    ("ibr-110", "The invoice line period (ibg-26) occurs more than once.", (a("InvoicePeriod"),)),
    (
        "ibr-111",
        "The item price discount (ibt-147) occurs more than once.",
        (a("Price"), a("AllowanceCharge"), b("Amount")),
    ),
    ("ibr-sr-34", "The invoice line note (ibt-127) occurs more than once.", (b("Note"),)),
    (
        "ibr-sr-38",
        "The item tax exemption reason (ibt-185) occurs more than once.",
        (a("Item"), a("ClassifiedTaxCategory"), b("TaxExemptionReason")),
    ),
    (
        "ibr-sr-50",
        "The item description (ibt-154) occurs more than once.",
        (a("Item"), b("Description")),
    ),
)
for _line_id, _line_message, _line_path in _line_cardinalities:
    at_most(_line_id, _line_message, lines, *_line_path)


def _numeric_is(el: Element, value: int) -> bool:
    """``cbc:DocumentTypeCode = 130``: a numeric comparison (non-numbers never equal)."""
    for c in find(el, b("DocumentTypeCode")):
        number = decimal(c)
        if number is not None and number == value:
            return True
    return False


@rule("ibr-089", "fatal", "More than one invoiced object (ibt-128) on an invoice line.")
def ibr_089(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for line in lines(u):
            refs = find(line, a("DocumentReference"))
            if sum(1 for r in refs if _numeric_is(r, 130)) > 1:
                yield loc(line)


# -- references ---------------------------------------------------------------------------


@rule("ibr-052", "fatal", "An additional supporting document (ibg-24) has no reference (ibt-122).")
def ibr_052(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for ref in u.all(a("AdditionalDocumentReference")):
            if not has_text(ref, b("ID")):
                yield loc(ref)


at_most(
    "ibr-sr-33",
    "The supporting document description (ibt-123) occurs more than once.",
    lambda u: u.all(a("AdditionalDocumentReference")),
    b("DocumentDescription"),
)


@rule("ibr-055", "fatal", "A preceding invoice reference (ibg-03) has no invoice number (ibt-025).")
def ibr_055(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for ref in u.all(a("BillingReference")):
            if not exists(ref, a("InvoiceDocumentReference"), b("ID")):
                yield loc(ref)


@rule(
    "ibr-sr-07", "fatal", "A preceding invoice reference (ibg-03) has no invoice number (ibt-025)."
)
def ibr_sr_07(doc: Invoice) -> Findings:
    yield from ibr_055(doc)


at_most(
    "ibr-sr-06",
    "The preceding invoice reference (ibt-025) occurs more than once.",
    lambda u: u.all(a("BillingReference")),
    a("InvoiceDocumentReference"),
)


@rule(
    "ibr-092",
    "fatal",
    "A despatch advice reference on a line (ibt-184) and on document level (ibt-016) together.",
)
def ibr_092(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None or not u.all(a("DespatchDocumentReference")):
        return
    for tag in (a("InvoiceLine"), a("CreditNoteLine")):
        yield from (
            loc(el)
            for el in at(u, tag, a("DespatchLineReference"), a("DocumentReference"), b("ID"))
        )


at_most(
    "ibr-sr-62",
    "The despatch advice line reference (ibt-184) occurs more than once.",
    lambda u: [
        *at(u, a("InvoiceLine"), a("DespatchLineReference")),
        *at(u, a("CreditNoteLine"), a("DespatchLineReference")),
    ],
    a("DocumentReference"),
)


@rule(
    "ibr-093", "fatal", "A paid amount (ibt-180) is given without the total paid amount (ibt-113)."
)
def ibr_093(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    seen: set[int] = set()
    for el in u.all(a("PrepaidPayment")):
        parent = el.getparent()
        # cac:PrepaidPayment[1]: the first one under each parent
        if parent is None or id(parent) in seen:
            continue
        seen.add(id(parent))
        if not exists(parent, a("LegalMonetaryTotal"), b("PrepaidAmount")):
            yield loc(el)


at_most(
    "ibr-108",
    "The deliver-to party name (ibt-070) occurs more than once.",
    lambda u: u.all(a("Delivery")),
    a("DeliveryParty"),
    a("PartyName"),
    b("Name"),
)


# -- payment ------------------------------------------------------------------------------


@rule("ibr-049", "fatal", "A payment instruction (ibg-16) has no payment means code (ibt-081).")
def ibr_049(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for means in u.all(a("PaymentMeans")):
            if not exists(means, b("PaymentMeansCode")):
                yield loc(means)


def _payment_means(u: TreeView) -> list[Element]:
    return list(u.all(a("PaymentMeans")))


at_most(
    "ibr-sr-27",
    "The payment means code (ibt-081) occurs more than once.",
    _payment_means,
    b("PaymentMeansCode"),
)
at_most(
    "ibr-sr-28",
    "The mandate reference (ibt-089) occurs more than once.",
    _payment_means,
    a("PaymentMandate"),
    b("ID"),
)


@rule("ibr-sr-46", "fatal", "The payment means text (ibt-082) occurs more than once.")
def ibr_sr_46(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for means in _payment_means(u):
            named = [c for c in find(means, b("PaymentMeansCode")) if c.get("name") is not None]
            if len(named) > 1:
                yield loc(means)


at_most(
    "ibr-sr-05",
    "The payment terms (ibt-020) occur more than once.",
    lambda u: u.all(a("PaymentTerms")),
    b("Note"),
)
at_most(
    "ibr-sr-60",
    "The payment instruction id (ibt-187) occurs more than once.",
    lambda u: u.all(a("PaymentTerms")),
    b("PaymentMeansID"),
)


# -- currencies, dates, times, binary objects ---------------------------------------------


@rule(
    "ibr-077",
    "fatal",
    "The tax accounting currency (ibt-006) equals the invoice currency (ibt-005).",
)
def ibr_077(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for code in u.all(b("TaxCurrencyCode")):
        own = child(code.getparent(), b("DocumentCurrencyCode"))
        if norm(text(code)) == (norm(text(own)) if own is not None else ""):
            yield loc(code)


def _is_date(value: str) -> bool:
    m = _DATE.fullmatch(value)
    if not m:
        return False
    try:
        date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False
    return True


@rule("ibr-073", "fatal", "A date is not formatted YYYY-MM-DD.")
def ibr_073(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for tag in _DATE_TAGS:
            for el in u.all(tag):
                if not _is_date(el.text or ""):
                    yield loc(el)


def _time_elements(u: TreeView) -> Iterator[Element]:
    for tag, found in u.tags.items():
        if isinstance(tag, str) and tag.startswith(CBC) and tag.endswith("Time"):
            yield from found


@rule("ibr-119", "fatal", "A time is not formatted hh:mm:ss (optional fraction and time zone).")
def ibr_119(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for el in _time_elements(u):
            if not _TIME.fullmatch(text(el).strip()):
                yield loc(el)


def _binary_objects(u: TreeView) -> Iterator[Element]:
    for tag, found in u.tags.items():
        if isinstance(tag, str) and tag.endswith("BinaryObject"):
            yield from found


@rule("ibr-074", "fatal", "A binary object (ibt-125) has no mime code (ibt-125-1).")
def ibr_074(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(el) for el in _binary_objects(u) if el.get("mimeCode") is None)


@rule("ibr-075", "fatal", "A binary object (ibt-125) has no filename (ibt-125-2).")
def ibr_075(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(el) for el in _binary_objects(u) if el.get("filename") is None)
