"""Peppol BIS 3 national rules of Italy (IT-R) and Greece (GR-R, GR-S), as the release
states them.

Both are recognised from the seller's VAT prefix (else its tax representative's, else its
address); the Greek buyer rules from the buyer's VAT prefix (else its address).
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
    find,
    is_number,
    loc,
    norm,
    text,
    view,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule
from defa.einvoice.rules.peppol.context import (
    CUSTOMER,
    SUPPLIER,
    accounting_supplier_country,
    company_ids,
    customer_country,
    party,
    raw_vat_ids,
    seller_in,
    supplier_country,
)

__all__ = ["greek_tin"]

_IT_TAX_ID = re.compile(r"[A-Z0-9]{11,16}")
# Day, month and year of the issue date, with optional separators; upstream's search is
# anchored at the start only.
_GR_DATE = re.compile(r"(0?[1-9]|[12][0-9]|3[01])[-\\/ ]?(0?[1-9]|1[0-2])[-\\/ ]?(19|20)[0-9]{2}")
_GR_DOCUMENT_TYPES = frozenset({"1.1", "1.6", "2.1", "2.4", "5.1", "5.2"})
_GR_MARK = re.compile(r"[1-9]")
_XS_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")


# -- Italy ---------------------------------------------------------------------------------


def _in_it(doc: Invoice) -> bool:
    """The scope of the IT rules: each needs ``seller_in(u, "IT")``."""
    u = view(doc)
    return u is not None and supplier_country(u) == "IT"


@rule(
    "IT-R-001",
    "fatal",
    "An Italian seller's tax registration (BT-32) must be 11 to 16 capital letters or digits.",
    terms=("BT-32",),
    syntax="ubl",
    scope=_in_it,
)
def it_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    seller = seller_in(u, "IT")
    for pts in find(seller, CAC + "PartyTaxScheme"):
        scheme = find(pts, CAC + "TaxScheme", CBC + "ID")
        if norm(text(scheme[0]) if scheme else "") == "VAT":
            continue
        ids = find(pts, CBC + "CompanyID")
        if not _IT_TAX_ID.fullmatch(norm(text(ids[0]) if ids else "")):
            yield loc(pts)


def _italian_address_rule(rule_id: str, tag: str, term: str, label: str) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        seller = seller_in(u, "IT")
        if seller is not None and not find(seller, CAC + "PostalAddress", CBC + tag):
            yield loc(seller)

    check.__name__ = rule_id.lower().replace("-", "_")
    rule(
        rule_id,
        "fatal",
        f"An Italian seller must give its {label} ({term}).",
        terms=(term,),
        syntax="ubl",
        scope=_in_it,
    )(check)


_italian_address_rule("IT-R-002", "StreetName", "BT-35", "address line 1")
_italian_address_rule("IT-R-003", "CityName", "BT-37", "city")
_italian_address_rule("IT-R-004", "PostalZone", "BT-38", "post code")


# -- Greece --------------------------------------------------------------------------------


def greek_tin(value: str) -> bool:
    """Greek tax number (AFM) as Peppol checks it: the first nine characters, weights
    256 ... 2 on the first eight, sum mod 11 mod 10 equal to the ninth.
    """
    head = value[:9]
    if len(head) < 9 or not (head.isascii() and head.isdigit()):
        return False
    total = sum(int(d) << (8 - i) for i, d in enumerate(head[:8]))
    return total % 11 % 10 == int(head[8])


def _greek_sender(u: TreeView) -> bool:
    return supplier_country(u) in ("GR", "EL")


def _greek_receiver(u: TreeView) -> bool:
    return customer_country(u) in ("GR", "EL")


def _in_gr(doc: Invoice) -> bool:
    """The scope of the GR rules but GR-R-009: each needs ``_greek_sender`` (directly, or
    through ``_id_segments``, ``_greek_parties`` or ``_greek_domestic``).
    """
    u = view(doc)
    return u is not None and _greek_sender(u)


def _in_gr_endpoint(doc: Invoice) -> bool:
    """The scope of GR-R-009: the seller's country without the tax representative's."""
    u = view(doc)
    return u is not None and accounting_supplier_country(u) in ("GR", "EL")


def _id_segments(u: TreeView) -> Iterator[tuple[Element, list[str]]]:
    """The invoice number (BT-1) of a Greek seller, split on '|'."""
    if not _greek_sender(u):
        return
    for number in u.top(CBC + "ID"):
        value = text(number)
        yield number, value.split("|") if value else []


def _segment(segments: list[str], n: int) -> str:
    return segments[n - 1] if len(segments) >= n else ""


def _gr_id_rule(rule_id: str, message: str, valid: Callable[[TreeView, list[str]], bool]) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is None:
            return
        for number, segments in _id_segments(u):
            if not valid(u, segments):
                yield loc(number)

    check.__name__ = rule_id.lower().replace("-", "_")
    rule(rule_id, "fatal", message, terms=("BT-1",), syntax="ubl", scope=_in_gr)(check)


def _seller_tin_matches(u: TreeView, segments: list[str]) -> bool:
    first = _segment(segments, 1)
    if not (len(norm(first)) == 9 and greek_tin(first)):
        return False
    reps = u.top(CAC + "TaxRepresentativeParty")
    vat = raw_vat_ids(party(u, SUPPLIER)) + (raw_vat_ids(reps[0]) if reps else [])
    return any(v[2:11] == first for v in vat)


def _issue_date_matches(u: TreeView, segments: list[str]) -> bool:
    second = _segment(segments, 2)
    if not norm(second) or not _GR_DATE.match(second):
        return False
    issue = u.top(CBC + "IssueDate")
    ymd = text(issue[0]).split("-") if issue else []
    dmy = second.split("/")
    return len(ymd) >= 3 and len(dmy) >= 3 and dmy[:3] == [ymd[2], ymd[1], ymd[0]]


def _serial_number(_u: TreeView, segments: list[str]) -> bool:
    third = _segment(segments, 3)
    return bool(norm(third)) and is_number(third) and bool(_XS_INTEGER.fullmatch(third))


_gr_id_rule(
    "GR-R-001-1",
    "A Greek seller's invoice number (BT-1) must have six segments separated by '|'.",
    lambda _u, s: len(s) == 6,
)
_gr_id_rule(
    "GR-R-001-2",
    "The first segment of a Greek invoice number must be the valid tax number (TIN) of the "
    "seller or its tax representative.",
    _seller_tin_matches,
)
_gr_id_rule(
    "GR-R-001-3",
    "The second segment of a Greek invoice number must be the issue date (DD/MM/YYYY).",
    _issue_date_matches,
)
_gr_id_rule(
    "GR-R-001-4",
    "The third segment of a Greek invoice number must be a non-negative integer.",
    lambda u, s: _serial_number(u, s) and int(_segment(s, 3)) >= 0,
)
_gr_id_rule(
    "GR-R-001-5",
    "The fourth segment of a Greek invoice number must be a Greek document type.",
    lambda _u, s: bool(norm(_segment(s, 4))) and _segment(s, 4) in _GR_DOCUMENT_TYPES,
)
_gr_id_rule(
    "GR-R-001-6",
    "The fifth segment of a Greek invoice number must not be empty.",
    lambda _u, s: len(_segment(s, 5)) > 0,
)
_gr_id_rule(
    "GR-R-001-7",
    "The sixth segment of a Greek invoice number must not be empty.",
    lambda _u, s: len(_segment(s, 6)) > 0,
)


def _named(holder: Element | None) -> bool:
    names = find(holder, CAC + "PartyName", CBC + "Name")
    return bool(names) and len(text(names[0])) > 0


def _greek_vat_ok(holder: Element | None) -> bool:
    ids = company_ids(holder, "VAT")
    return len(ids) == 1 and text(ids[0])[:2] == "EL" and greek_tin(text(ids[0])[2:])


def _greek_parties(u: TreeView, role: str) -> list[Element]:
    return list(u.with_parent(CAC + "Party", CAC + role)) if _greek_sender(u) else []


@rule(
    "GR-R-002",
    "fatal",
    "A Greek seller must give its full registered name (BT-27).",
    terms=("BT-27",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    for seller in _greek_parties(u, SUPPLIER) if u is not None else []:
        if not _named(seller):
            yield loc(seller)


@rule(
    "GR-S-011",
    "warning",
    "A Greek seller should give one VAT identifier (BT-31): EL and a valid tax number.",
    terms=("BT-31",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_s_011(doc: Invoice) -> Findings:
    u = view(doc)
    for seller in _greek_parties(u, SUPPLIER) if u is not None else []:
        if not _greek_vat_ok(seller):
            yield loc(seller)


@rule(
    "GR-R-003",
    "fatal",
    "A Greek seller's VAT identifier (BT-31) must start with EL and hold a valid tax number.",
    terms=("BT-31",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_003(doc: Invoice) -> Findings:
    u = view(doc)
    for seller in _greek_parties(u, SUPPLIER) if u is not None else []:
        for company in company_ids(seller, "VAT"):
            value = text(company)
            if not (value[:2] == "EL" and greek_tin(value[2:])):
                yield loc(company)


def _greek_domestic(u: TreeView) -> bool:
    """Greek seller with a Greek postal address (the MARK and URL rules)."""
    return _greek_sender(u) and any(
        text(c) == "GR"
        for c in find(
            party(u, SUPPLIER), CAC + "PostalAddress", CAC + "Country", CBC + "IdentificationCode"
        )
    )


def _described(u: TreeView, description: str) -> list[Element]:
    return [
        ref
        for ref in u.top(CAC + "AdditionalDocumentReference")
        if any(text(d) == description for d in find(ref, CBC + "DocumentDescription"))
    ]


_MARK = "##M.AR.K##"
_URL = "##INVOICE|URL##"


@rule(
    "GR-R-004-1",
    "fatal",
    "A Greek seller's invoice must carry exactly one MARK number.",
    terms=("BT-122",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_004_1(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _greek_domestic(u) and len(_described(u, _MARK)) != 1:
        yield loc(u.root)


@rule(
    "GR-S-008-1",
    "warning",
    "A Greek seller's invoice should carry one invoice URL.",
    terms=("BT-122",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_s_008_1(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _greek_domestic(u) and len(_described(u, _URL)) != 1:
        yield loc(u.root)


@rule(
    "GR-R-008-2",
    "fatal",
    "A Greek seller's invoice may carry at most one invoice URL.",
    terms=("BT-122",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_008_2(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _greek_domestic(u) and len(_described(u, _URL)) > 1:
        yield loc(u.root)


@rule(
    "GR-R-004-2",
    "fatal",
    "A Greek MARK number must be a positive integer.",
    terms=("BT-122",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_004_2(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _greek_domestic(u):
        return
    for ref in u.all(CAC + "AdditionalDocumentReference"):
        if any(text(d) == _MARK for d in find(ref, CBC + "DocumentDescription")):
            for number in find(ref, CBC + "ID"):
                if not _GR_MARK.match(text(number)):
                    yield loc(number)


@rule(
    "GR-R-008-3",
    "fatal",
    "A Greek invoice URL reference must give the URL (BT-124).",
    terms=("BT-124",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_008_3(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _greek_sender(u):
        return
    for ref in u.all(CAC + "AdditionalDocumentReference"):
        if any(text(d) == _URL for d in find(ref, CBC + "DocumentDescription")):
            uri = find(ref, CAC + "Attachment", CAC + "ExternalReference", CBC + "URI")
            if not uri or not norm(text(uri[0])):
                yield loc(ref)


@rule(
    "GR-R-005",
    "fatal",
    "A Greek seller must give the buyer's full name (BT-44).",
    terms=("BT-44",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_005(doc: Invoice) -> Findings:
    u = view(doc)
    for buyer in _greek_parties(u, CUSTOMER) if u is not None else []:
        if not _named(buyer):
            yield loc(buyer)


@rule(
    "GR-R-009",
    "fatal",
    "A Greek seller's electronic address (BT-34) must be its tax number, scheme 9933.",
    terms=("BT-34", "BT-34-1"),
    syntax="ubl",
    scope=_in_gr_endpoint,
)
def gr_r_009(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or accounting_supplier_country(u) not in ("GR", "EL"):
        return
    for seller in u.with_parent(CAC + "Party", CAC + SUPPLIER):
        for endpoint in find(seller, CBC + "EndpointID"):
            if not (endpoint.get("schemeID") == "9933" and greek_tin(text(endpoint))):
                yield loc(endpoint)


@rule(
    "GR-R-006",
    "fatal",
    "Between Greek parties the buyer's VAT identifier (BT-48) must be EL and a valid tax number.",
    terms=("BT-48",),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_006(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _greek_receiver(u):
        return
    for buyer in _greek_parties(u, CUSTOMER):
        if not _greek_vat_ok(buyer):
            yield loc(buyer)


@rule(
    "GR-R-010",
    "fatal",
    "Between Greek parties the buyer's electronic address (BT-49) must be its tax number, "
    "scheme 9933.",
    terms=("BT-49", "BT-49-1"),
    syntax="ubl",
    scope=_in_gr,
)
def gr_r_010(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _greek_receiver(u):
        return
    for buyer in _greek_parties(u, CUSTOMER):
        for endpoint in find(buyer, CBC + "EndpointID"):
            if not (endpoint.get("schemeID") == "9933" and greek_tin(text(endpoint))):
                yield loc(endpoint)
