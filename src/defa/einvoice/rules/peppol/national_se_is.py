"""Peppol BIS 3 national rules of Sweden (SE-R) and Iceland (IS-R), as the release
states them.

Both apply when the seller's postal address (as written) is in that country; some need the
buyer's too.
"""

from __future__ import annotations

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
    xs_date,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule
from defa.einvoice.rules.peppol.context import (
    CUSTOMER,
    SUPPLIER,
    party,
    raw_postal_country,
    raw_vat_ids,
)
from defa.einvoice.rules.peppol.identifiers import se_orgnr_check_digit

__all__: list[str] = []

_SE_STANDARD_RATES = frozenset({25.0, 12.0, 6.0})


# -- Sweden --------------------------------------------------------------------------------


def _swedish_suppliers(u: TreeView) -> list[Element]:
    """Seller parties (anywhere) with a Swedish postal address, as written (kept per doc)."""
    if u.known("se_suppliers"):
        return u.memo("se_suppliers")  # type: ignore[no-any-return]
    if raw_postal_country(u, SUPPLIER) != "SE" and len(u.all(CAC + SUPPLIER)) < 2:
        return u.remember("se_suppliers", [])  # type: ignore[no-any-return]
    found = [
        p
        for p in u.with_parent(CAC + "Party", CAC + SUPPLIER)
        if any(
            text(c) == "SE"
            for c in find(p, CAC + "PostalAddress", CAC + "Country", CBC + "IdentificationCode")
        )
    ]
    return u.remember("se_suppliers", found)  # type: ignore[no-any-return]


def _in_se(doc: Invoice) -> bool:
    """The scope of the SE rules: each reads only the Swedish sellers (``_swedish_suppliers``)."""
    u = view(doc)
    return u is not None and bool(_swedish_suppliers(u))


def _se_vat_parties(u: TreeView) -> list[Element]:
    return [p for p in _swedish_suppliers(u) if any(v[:2] == "SE" for v in raw_vat_ids(p))]


@rule(
    "SE-R-001",
    "fatal",
    "A Swedish seller's VAT identifier (BT-31) must be 14 characters long.",
    terms=("BT-31",),
    syntax="ubl",
    scope=_in_se,
)
def se_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for seller in _se_vat_parties(u):
            if len(norm(raw_vat_ids(seller)[0])) != 14:
                yield loc(seller)


@rule(
    "SE-R-002",
    "fatal",
    "A Swedish seller's VAT identifier (BT-31) must have 12 digits after the country code.",
    terms=("BT-31",),
    syntax="ubl",
    scope=_in_se,
)
def se_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for seller in _se_vat_parties(u):
            if not is_number(raw_vat_ids(seller)[0][2:14]):
                yield loc(seller)


def _se_legal_ids(u: TreeView) -> Iterator[Element]:
    for seller in _swedish_suppliers(u):
        for entity in find(seller, CAC + "PartyLegalEntity"):
            ids = find(entity, CBC + "CompanyID")
            if ids:
                yield ids[0]


@rule(
    "SE-R-003",
    "fatal",
    "A Swedish organisation number (BT-30) must be numeric.",
    terms=("BT-30",),
    syntax="ubl",
    scope=_in_se,
)
def se_r_003(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for company in _se_legal_ids(u):
            if not is_number(text(company)):
                yield loc(company)


@rule(
    "SE-R-004",
    "fatal",
    "A Swedish organisation number (BT-30) must be 10 characters long.",
    terms=("BT-30",),
    syntax="ubl",
    scope=_in_se,
)
def se_r_004(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for company in _se_legal_ids(u):
            if len(norm(text(company))) != 10:
                yield loc(company)


@rule(
    "SE-R-013",
    "fatal",
    "A Swedish organisation number (BT-30) must end in a valid Luhn check digit.",
    terms=("BT-30",),
    syntax="ubl",
    scope=_in_se,
)
def se_r_013(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for company in _se_legal_ids(u):
            if not se_orgnr_check_digit(norm(text(company))):
                yield loc(company)


@rule(
    "SE-R-005",
    "fatal",
    "A Swedish seller's tax registration (BT-32) must read 'Godkänd för F-skatt'.",
    terms=("BT-32",),
    syntax="ubl",
    scope=_in_se,
)
def se_r_005(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for seller in _swedish_suppliers(u):
        if not find(seller, CAC + "PartyLegalEntity", CBC + "CompanyID"):
            continue
        for pts in find(seller, CAC + "PartyTaxScheme"):
            scheme = find(pts, CAC + "TaxScheme", CBC + "ID")
            if norm(text(scheme[0]) if scheme else "").upper() == "VAT":
                continue
            for company in find(pts, CBC + "CompanyID"):
                if norm(text(company).upper()) != "GODKÄND FÖR F-SKATT":
                    yield loc(company)


@rule(
    "SE-R-006",
    "fatal",
    "A Swedish seller's standard VAT rate (category S) must be 25, 12 or 6 percent.",
    terms=("BT-119", "BT-152"),
    syntax="ubl",
    scope=_in_se,
)
def se_r_006(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _se_vat_parties(u):
        return
    for tag in (CAC + "TaxCategory", CAC + "ClassifiedTaxCategory"):
        for category in u.all(tag):
            if not any(text(i) == "S" for i in find(category, CBC + "ID")):
                continue
            percents = find(category, CBC + "Percent")
            value = text(percents[0]).strip() if percents else ""
            if not (is_number(value) and float(value) in _SE_STANDARD_RATES):
                yield loc(category)


def _se_giro_accounts(u: TreeView, branch: str) -> Iterator[Element]:
    """Payee account ids of credit transfers (30) via the given Swedish giro."""
    if not _swedish_suppliers(u):
        return
    for means in u.all(CAC + "PaymentMeans"):
        codes = find(means, CBC + "PaymentMeansCode")
        branches = find(
            means, CAC + "PayeeFinancialAccount", CAC + "FinancialInstitutionBranch", CBC + "ID"
        )
        if (
            codes
            and norm(text(codes[0])) == "30"
            and branches
            and norm(text(branches[0])) == branch
        ):
            yield from find(means, CAC + "PayeeFinancialAccount", CBC + "ID")


def _giro_rule(rule_id: str, branch: str, message: str, valid: Callable[[str], bool]) -> None:

    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is not None:
            for account in _se_giro_accounts(u, branch):
                if not valid(norm(text(account))):
                    yield loc(account)

    check.__name__ = rule_id.lower().replace("-", "_")
    rule(rule_id, "warning", message, terms=("BT-84",), syntax="ubl", scope=_in_se)(check)


_giro_rule("SE-R-007", "SE:PLUSGIRO", "A Plusgiro account id should be numeric.", is_number)
_giro_rule(
    "SE-R-010",
    "SE:PLUSGIRO",
    "A Plusgiro account id should have 2 to 8 characters.",
    lambda v: 2 <= len(v) <= 8,
)
_giro_rule("SE-R-008", "SE:BANKGIRO", "A Bankgiro account id should be numeric.", is_number)
_giro_rule(
    "SE-R-009",
    "SE:BANKGIRO",
    "A Bankgiro account id should have 7 or 8 characters.",
    lambda v: len(v) in (7, 8),
)


@rule(
    "SE-R-011",
    "warning",
    "A Swedish seller should state Bankgiro or Plusgiro as credit transfer (30) with branch "
    "SE:BANKGIRO or SE:PLUSGIRO, not as payment means 50 or 56.",
    terms=("BT-81",),
    syntax="ubl",
    scope=_in_se,
)
def se_r_011(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _swedish_suppliers(u):
        return
    for means in u.all(CAC + "PaymentMeans"):
        if any(text(c) in ("50", "56") for c in find(means, CBC + "PaymentMeansCode")):
            yield loc(means)


@rule(
    "SE-R-012",
    "warning",
    "Between Swedish parties a credit transfer should use payment means code 30.",
    terms=("BT-81",),
    syntax="ubl",
    scope=_in_se,
)
def se_r_012(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _swedish_suppliers(u):
        return
    buyers = [
        p
        for p in u.with_parent(CAC + "Party", CAC + CUSTOMER)
        if any(
            text(c) == "SE"
            for c in find(p, CAC + "PostalAddress", CAC + "Country", CBC + "IdentificationCode")
        )
    ]
    if not buyers:
        return
    for means in u.all(CAC + "PaymentMeans"):
        if any(text(c) == "31" for c in find(means, CBC + "PaymentMeansCode")):
            yield loc(means)


# -- Iceland -------------------------------------------------------------------------------


def _icelandic(u: TreeView) -> bool:
    return raw_postal_country(u, SUPPLIER) == "IS"


def _in_is(doc: Invoice) -> bool:
    """The scope of the IS rules: each needs an Icelandic seller (``_icelandic``)."""
    u = view(doc)
    return u is not None and _icelandic(u)


def _type_code_ok(u: TreeView) -> bool:
    for tag in ("InvoiceTypeCode", "CreditNoteTypeCode"):
        found = u.top(CBC + tag)
        if found and norm(text(found[0])) in ("380", "381"):
            return True
    return False


@rule(
    "IS-R-001",
    "warning",
    "An Icelandic seller's document type (BT-3) should be 380 or 381.",
    terms=("BT-3",),
    syntax="ubl",
    scope=_in_is,
)
def is_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _icelandic(u) and not _type_code_ok(u):
        yield loc(u.root)


def _kennitala(holder: Element | None) -> bool:
    ids = find(holder, CAC + "PartyLegalEntity", CBC + "CompanyID")
    return any(i.get("schemeID") == "0196" for i in ids)


def _street_and_zip(holder: Element | None) -> bool:
    return bool(find(holder, CAC + "PostalAddress", CBC + "StreetName")) and bool(
        find(holder, CAC + "PostalAddress", CBC + "PostalZone")
    )


@rule(
    "IS-R-002",
    "fatal",
    "An Icelandic seller must give its kennitala (BT-30, scheme 0196).",
    terms=("BT-30", "BT-30-1"),
    syntax="ubl",
    scope=_in_is,
)
def is_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _icelandic(u) and not _kennitala(party(u, SUPPLIER)):
        yield loc(u.root)


@rule(
    "IS-R-003",
    "fatal",
    "An Icelandic seller must give its street name (BT-35) and post code (BT-38).",
    terms=("BT-35", "BT-38"),
    syntax="ubl",
    scope=_in_is,
)
def is_r_003(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _icelandic(u) and not _street_and_zip(party(u, SUPPLIER)):
        yield loc(u.root)


def _is_account_rule(rule_id: str, code: str, label: str) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is None or not _icelandic(u):
            return
        means = [
            m
            for m in u.top(CAC + "PaymentMeans")
            if any(text(c) == code for c in find(m, CBC + "PaymentMeansCode"))
        ]
        if not means:
            return
        accounts = [a for m in means for a in find(m, CAC + "PayeeFinancialAccount", CBC + "ID")]
        if not accounts or len(norm(text(accounts[0]))) != 12:
            yield loc(means[0])

    check.__name__ = rule_id.lower().replace("-", "_")
    rule(
        rule_id,
        "fatal",
        f"An Icelandic seller's {label} (payment means {code}) needs a 12-digit account (BT-84).",
        terms=("BT-81", "BT-84"),
        syntax="ubl",
        scope=_in_is,
    )(check)


_is_account_rule("IS-R-006", "9", "claim")
_is_account_rule("IS-R-007", "42", "bank transfer")


def _eindagi(u: TreeView) -> list[Element]:
    """The document references described EINDAGI (the Icelandic final due date)."""
    return [
        ref
        for ref in u.top(CAC + "AdditionalDocumentReference")
        if any(text(d) == "EINDAGI" for d in find(ref, CBC + "DocumentDescription"))
    ]


@rule(
    "IS-R-008",
    "fatal",
    "An Icelandic final due date (EINDAGI reference id) must be written YYYY-MM-DD.",
    terms=("BT-122",),
    syntax="ubl",
    scope=_in_is,
)
def is_r_008(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _icelandic(u):
        return
    refs = _eindagi(u)
    if refs:
        ids = find(refs[0], CBC + "ID")
        value = text(ids[0]) if ids else ""
        if len(value) != 10 or xs_date(value) is None:
            yield loc(refs[0])


@rule(
    "IS-R-009",
    "fatal",
    "An Icelandic invoice with a final due date (EINDAGI) must have a due date (BT-9).",
    terms=("BT-9", "BT-122"),
    syntax="ubl",
    scope=_in_is,
)
def is_r_009(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _icelandic(u) and _eindagi(u) and not u.top(CBC + "DueDate"):
        yield loc(u.root)


@rule(
    "IS-R-010",
    "fatal",
    "An Icelandic final due date (EINDAGI) must not be before the due date (BT-9).",
    terms=("BT-9", "BT-122"),
    syntax="ubl",
    scope=_in_is,
)
def is_r_010(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _icelandic(u):
        return
    refs = _eindagi(u)
    if not refs:
        return
    due = [text(d) for d in u.top(CBC + "DueDate")]
    final = [text(i) for r in refs for i in find(r, CBC + "ID")]
    # Upstream compares the two as untyped text, so ISO dates compare as strings.
    if not any(d <= f for d in due for f in final):
        yield loc(refs[0])


def _icelandic_buyer(u: TreeView) -> list[Element]:
    if not _icelandic(u) or raw_postal_country(u, CUSTOMER) != "IS":
        return []
    return u.top(CAC + CUSTOMER)


@rule(
    "IS-R-004",
    "fatal",
    "Between Icelandic parties the buyer's kennitala (BT-47, scheme 0196) is required.",
    terms=("BT-47", "BT-47-1"),
    syntax="ubl",
    scope=_in_is,
)
def is_r_004(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for buyer in _icelandic_buyer(u):
            if not _kennitala(child(buyer, CAC + "Party")):
                yield loc(buyer)


@rule(
    "IS-R-005",
    "fatal",
    "Between Icelandic parties the buyer's street name (BT-50) and post code (BT-53) are required.",
    terms=("BT-50", "BT-53"),
    syntax="ubl",
    scope=_in_is,
)
def is_r_005(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for buyer in _icelandic_buyer(u):
            if not _street_and_zip(child(buyer, CAC + "Party")):
                yield loc(buyer)
