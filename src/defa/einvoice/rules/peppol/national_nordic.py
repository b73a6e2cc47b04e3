"""Peppol BIS 3 national rules of Norway (NO-R), Denmark (DK-R), Sweden (SE-R) and
Iceland (IS-R), as the release states them.

Each applies when the seller (and for some, the buyer) is of that country, which Peppol
reads from the VAT identifier's prefix (Norway) or from the postal address as written
(Denmark, Sweden, Iceland).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from stdnum import luhn

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import PEPPOL_BIS3
from defa.einvoice.rules.peppol._ubl import (
    CAC,
    CBC,
    Element,
    Ubl,
    child,
    find,
    is_number,
    loc,
    norm,
    text,
    view,
    xs_date,
)
from defa.einvoice.rules.peppol.context import party, raw_postal_country, supplier_country
from defa.einvoice.rules.peppol.identifiers import no_orgnr

__all__: list[str] = []

rule = PEPPOL_BIS3.rule
_NO_VAT = re.compile(r"[0-9]{9}MVA")
# Upstream tests membership by substring of this spaced list; kept as it is for that reason.
_DK_PAYMENT_MEANS = " 1 10 31 42 48 49 50 58 59 93 97 "
_DK_UNSPSC_VERSIONS = frozenset({"19.05.01", "19.0501", "26.08.01", "26.0801"})
_DK_GIRO_ACCOUNT = re.compile(r"[0-9]{7,8}")
_SE_STANDARD_RATES = frozenset({25.0, 12.0, 6.0})
_SUPPLIER = "AccountingSupplierParty"
_CUSTOMER = "AccountingCustomerParty"


def _tax_schemes(holder: Element | None, scheme: str) -> list[Element]:
    """The holder's PartyTaxScheme elements whose TaxScheme id is ``scheme`` (trimmed)."""
    found: list[Element] = []
    for pts in find(holder, CAC + "PartyTaxScheme"):
        ids = find(pts, CAC + "TaxScheme", CBC + "ID")
        if ids and norm(text(ids[0])) == scheme:
            found.append(pts)
    return found


def _vat_ids(holder: Element | None) -> list[str]:
    """The holder's VAT identifiers (BT-31, BT-48, BT-63) as written."""
    return [text(c) for pts in _tax_schemes(holder, "VAT") for c in find(pts, CBC + "CompanyID")]


# -- Norway --------------------------------------------------------------------------------


def _norwegian_supplier(u: Ubl) -> Element | None:
    return party(u, _SUPPLIER) if supplier_country(u) == "NO" else None


@rule(
    "NO-R-002",
    "warning",
    "A Norwegian seller should state 'Foretaksregisteret' as its tax registration (BT-32).",
    terms=("BT-32",),
    syntax="ubl",
)
def no_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    seller = _norwegian_supplier(u) if u is not None else None
    if seller is not None:
        registered = [
            c for pts in _tax_schemes(seller, "TAX") for c in find(pts, CBC + "CompanyID")
        ]
        if not registered or norm(text(registered[0])) != "Foretaksregisteret":
            yield loc(seller)


@rule(
    "NO-R-001",
    "fatal",
    "A Norwegian seller's VAT identifier (BT-31) must be NO, a valid organisation number and MVA.",
    terms=("BT-31",),
    syntax="ubl",
)
def no_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    seller = _norwegian_supplier(u) if u is not None else None
    if seller is None:
        return
    vat = _vat_ids(seller)
    if not any(v[:2] == "NO" for v in vat):
        return
    first = vat[0]
    if not (_NO_VAT.fullmatch(first[2:]) and no_orgnr(first[2:11])):
        yield loc(seller)


# -- Denmark -------------------------------------------------------------------------------


def _dk(u: Ubl) -> tuple[bool, bool]:
    """(seller is Danish, buyer is Danish), by postal country code as written."""
    return raw_postal_country(u, _SUPPLIER) == "DK", raw_postal_country(u, _CUSTOMER) == "DK"


def _danish_legal_ids(u: Ubl) -> list[Element]:
    return find(party(u, _SUPPLIER), CAC + "PartyLegalEntity", CBC + "CompanyID")


@rule(
    "DK-R-002",
    "fatal",
    "A Danish seller must give its legal registration identifier (CVR, BT-30).",
    terms=("BT-30",),
    syntax="ubl",
)
def dk_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _dk(u)[0]:
        ids = _danish_legal_ids(u)
        if not ids or norm(ids[0].text) == "":
            yield loc(u.root)


@rule(
    "DK-R-014",
    "fatal",
    "A Danish seller's legal registration identifier (BT-30) must use scheme 0184 (CVR).",
    terms=("BT-30", "BT-30-1"),
    syntax="ubl",
)
def dk_r_014(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _dk(u)[0]:
        ids = _danish_legal_ids(u)
        if ids and norm(ids[0].get("schemeID")) != "0184":
            yield loc(ids[0])


@rule(
    "DK-R-016",
    "fatal",
    "A Danish seller's credit note to a Danish buyer cannot have a negative amount due (BT-115).",
    terms=("BT-115",),
    syntax="ubl",
)
def dk_r_016(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not u.is_credit_note or _dk(u) != (True, True):
        return
    for payable in find(u.root, CAC + "LegalMonetaryTotal", CBC + "PayableAmount")[:1]:
        value = text(payable).strip()
        if is_number(value) and float(value) < 0:
            yield loc(payable)


@rule(
    "DK-R-013",
    "fatal",
    "Between Danish parties a party identifier (BT-29, BT-46) must state its scheme.",
    terms=("BT-29-1", "BT-46-1"),
    syntax="ubl",
)
def dk_r_013(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or _dk(u) != (True, True):
        return
    for role in (_SUPPLIER, _CUSTOMER):
        for pid in find(party(u, role), CAC + "PartyIdentification"):
            ids = find(pid, CBC + "ID")
            if ids and norm(ids[0].get("schemeID")) == "":
                yield loc(pid)


def _dk_payment_means(u: Ubl) -> Iterator[tuple[Element, set[str], str]]:
    """Danish-to-Danish invoice payment means: (element, its codes, its first PaymentID)."""
    if not u.is_invoice or _dk(u) != (True, True):
        return
    for means in u.top(CAC + "PaymentMeans"):
        codes = {text(c) for c in find(means, CBC + "PaymentMeansCode")}
        payment_ids = find(means, CBC + "PaymentID")
        yield means, codes, text(payment_ids[0]) if payment_ids else ""


def _filled(el: Element, *path: str) -> bool:
    found = find(el, *path)
    return bool(found) and norm(found[0].text) != ""


@rule(
    "DK-R-005",
    "fatal",
    "Between Danish parties the payment means code (BT-81) must be 1, 10, 31, 42, 48, 49, "
    "50, 58, 59, 93 or 97.",
    terms=("BT-81",),
    syntax="ubl",
)
def dk_r_005(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for means, _codes, _pid in _dk_payment_means(u):
            first = find(means, CBC + "PaymentMeansCode")
            code = text(first[0]) if first else ""
            if f" {code} " not in _DK_PAYMENT_MEANS:
                yield loc(means)


@rule(
    "DK-R-006",
    "fatal",
    "Between Danish parties payment means 31 and 42 need the account (BT-84) and the "
    "registration number (BT-86).",
    terms=("BT-84", "BT-86"),
    syntax="ubl",
)
def dk_r_006(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for means, codes, _pid in _dk_payment_means(u):
        if codes & {"31", "42"} and not (
            _filled(means, CAC + "PayeeFinancialAccount", CBC + "ID")
            and _filled(
                means, CAC + "PayeeFinancialAccount", CAC + "FinancialInstitutionBranch", CBC + "ID"
            )
        ):
            yield loc(means)


@rule(
    "DK-R-007",
    "fatal",
    "Between Danish parties payment means 49 needs the mandate reference (BT-89) and the "
    "debited account (BT-91).",
    terms=("BT-89", "BT-91"),
    syntax="ubl",
)
def dk_r_007(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for means, codes, _pid in _dk_payment_means(u):
        if "49" in codes and not (
            _filled(means, CAC + "PaymentMandate", CBC + "ID")
            and _filled(means, CAC + "PaymentMandate", CAC + "PayerFinancialAccount", CBC + "ID")
        ):
            yield loc(means)


@rule(
    "DK-R-008",
    "fatal",
    "Between Danish parties giro payments (50) need a payment id starting 01#, 04# or 15# "
    "and a giro account of 7 or 8 digits.",
    terms=("BT-83", "BT-84"),
    syntax="ubl",
)
def dk_r_008(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for means, codes, pid in _dk_payment_means(u):
        if "50" not in codes:
            continue
        accounts = find(means, CAC + "PayeeFinancialAccount", CBC + "ID")
        account = text(accounts[0]) if accounts else ""
        if not (pid[:3] in ("01#", "04#", "15#") and _DK_GIRO_ACCOUNT.fullmatch(account)):
            yield loc(means)


@rule(
    "DK-R-009",
    "fatal",
    "Between Danish parties a giro payment id starting 04# or 15# must carry the 16-digit "
    "instruction id (19 characters in all).",
    terms=("BT-83",),
    syntax="ubl",
)
def dk_r_009(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for means, codes, pid in _dk_payment_means(u):
        if "50" in codes and pid[:3] in ("04#", "15#") and len(pid) != 19:
            yield loc(means)


@rule(
    "DK-R-010",
    "fatal",
    "Between Danish parties FIK payments (93) need a payment id starting 71#, 73# or 75# and "
    "a creditor number of exactly 8 characters.",
    terms=("BT-83", "BT-84"),
    syntax="ubl",
)
def dk_r_010(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for means, codes, pid in _dk_payment_means(u):
        if "93" not in codes:
            continue
        accounts = find(means, CAC + "PayeeFinancialAccount", CBC + "ID")
        account = (accounts[0].text or "") if accounts else ""
        if not (pid[:3] in ("71#", "73#", "75#") and len(account) == 8):
            yield loc(means)


@rule(
    "DK-R-011",
    "fatal",
    "Between Danish parties a FIK payment id starting 71# or 75# must carry the 15- or "
    "16-digit instruction id.",
    terms=("BT-83",),
    syntax="ubl",
)
def dk_r_011(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for means, codes, pid in _dk_payment_means(u):
        if "93" in codes and pid[:3] in ("71#", "75#") and len(pid) not in (18, 19):
            yield loc(means)


@rule(
    "DK-R-003",
    "warning",
    "Between Danish parties an item classification should use UNSPSC 19.05.01 or 26.08.01.",
    terms=("BT-158", "BT-158-1", "BT-158-2"),
    syntax="ubl",
)
def dk_r_003(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or _dk(u) != (True, True):
        return
    for line in u.top(u.line_tag):
        codes = find(
            line, CAC + "Item", CAC + "CommodityClassification", CBC + "ItemClassificationCode"
        )
        if any(c.get("listID") == "TST" for c in codes) and not any(
            c.get("listVersionID") in _DK_UNSPSC_VERSIONS for c in codes
        ):
            yield loc(line)


def _dk_tax_reason(reason: Element | None) -> bool:
    """A Danish non-VAT tax: a 4-digit tax category, or a text with an inner '#'."""
    if reason is None:
        return False
    value = text(reason)
    trimmed = norm(reason.text)
    if len(trimmed) == 4 and is_number(value) and 0 <= float(value) <= 9999:
        return True
    return "#" in value and not value.startswith("#") and not value.endswith("#")


@rule(
    "DK-R-004",
    "fatal",
    "Between Danish parties a non-VAT tax (reason code ZZZ) must state a 4-digit tax "
    "category or a reason containing an inner '#'.",
    terms=("BT-97", "BT-98", "BT-104", "BT-105"),
    syntax="ubl",
)
def dk_r_004(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or _dk(u) != (True, True):
        return
    for ac in u.all(CAC + "AllowanceCharge"):
        codes = find(ac, CBC + "AllowanceChargeReasonCode")
        zzz = any(text(c) == "ZZZ" for c in codes)
        if zzz and not _dk_tax_reason(child(ac, CBC + "AllowanceChargeReason")):
            yield loc(ac)


# -- Sweden --------------------------------------------------------------------------------


def _se_orgnr_check(value: str) -> bool:
    """Peppol's Swedish check: digits only; the 10th digit is the Luhn digit of the first 9."""
    if not (value.isascii() and value.isdigit()) or len(value) < 10:
        return False
    return bool(luhn.is_valid(value[:10]))


def _swedish_suppliers(u: Ubl) -> list[Element]:
    """Seller parties (anywhere) with a Swedish postal address, as written (kept per doc)."""
    if u.known("se_suppliers"):
        return u.memo("se_suppliers")  # type: ignore[no-any-return]
    if raw_postal_country(u, _SUPPLIER) != "SE" and len(u.all(CAC + _SUPPLIER)) < 2:
        return u.remember("se_suppliers", [])  # type: ignore[no-any-return]
    found = [
        p
        for p in u.with_parent(CAC + "Party", CAC + _SUPPLIER)
        if any(
            text(c) == "SE"
            for c in find(p, CAC + "PostalAddress", CAC + "Country", CBC + "IdentificationCode")
        )
    ]
    return u.remember("se_suppliers", found)  # type: ignore[no-any-return]


def _se_vat_parties(u: Ubl) -> list[Element]:
    return [p for p in _swedish_suppliers(u) if any(v[:2] == "SE" for v in _raw_vat(p))]


def _raw_vat(holder: Element) -> list[str]:
    """VAT ids where the TaxScheme id is exactly 'VAT' (untrimmed, as SE rules compare)."""
    return [
        text(c)
        for pts in find(holder, CAC + "PartyTaxScheme")
        if any(text(i) == "VAT" for i in find(pts, CAC + "TaxScheme", CBC + "ID"))
        for c in find(pts, CBC + "CompanyID")
    ]


@rule(
    "SE-R-001",
    "fatal",
    "A Swedish seller's VAT identifier (BT-31) must be 14 characters long.",
    terms=("BT-31",),
    syntax="ubl",
)
def se_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for seller in _se_vat_parties(u):
            if len(norm(_raw_vat(seller)[0])) != 14:
                yield loc(seller)


@rule(
    "SE-R-002",
    "fatal",
    "A Swedish seller's VAT identifier (BT-31) must have 12 digits after the country code.",
    terms=("BT-31",),
    syntax="ubl",
)
def se_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for seller in _se_vat_parties(u):
            if not is_number(_raw_vat(seller)[0][2:14]):
                yield loc(seller)


def _se_legal_ids(u: Ubl) -> Iterator[Element]:
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
)
def se_r_013(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for company in _se_legal_ids(u):
            if not _se_orgnr_check(norm(text(company))):
                yield loc(company)


@rule(
    "SE-R-005",
    "fatal",
    "A Swedish seller's tax registration (BT-32) must read 'Godkänd för F-skatt'.",
    terms=("BT-32",),
    syntax="ubl",
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


def _se_giro_accounts(u: Ubl, branch: str) -> Iterator[Element]:
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
    PEPPOL_BIS3.rule(rule_id, "warning", message, terms=("BT-84",), syntax="ubl")(check)


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
)
def se_r_012(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _swedish_suppliers(u):
        return
    buyers = [
        p
        for p in u.with_parent(CAC + "Party", CAC + _CUSTOMER)
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


def _icelandic(u: Ubl) -> bool:
    return raw_postal_country(u, _SUPPLIER) == "IS"


def _type_code_ok(u: Ubl) -> bool:
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
)
def is_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _icelandic(u) and not _kennitala(party(u, _SUPPLIER)):
        yield loc(u.root)


@rule(
    "IS-R-003",
    "fatal",
    "An Icelandic seller must give its street name (BT-35) and post code (BT-38).",
    terms=("BT-35", "BT-38"),
    syntax="ubl",
)
def is_r_003(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None and _icelandic(u) and not _street_and_zip(party(u, _SUPPLIER)):
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
    PEPPOL_BIS3.rule(
        rule_id,
        "fatal",
        f"An Icelandic seller's {label} (payment means {code}) needs a 12-digit account (BT-84).",
        terms=("BT-81", "BT-84"),
        syntax="ubl",
    )(check)


_is_account_rule("IS-R-006", "9", "claim")
_is_account_rule("IS-R-007", "42", "bank transfer")


def _eindagi(u: Ubl) -> list[Element]:
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


def _icelandic_buyer(u: Ubl) -> list[Element]:
    if not _icelandic(u) or raw_postal_country(u, _CUSTOMER) != "IS":
        return []
    return u.top(CAC + _CUSTOMER)


@rule(
    "IS-R-004",
    "fatal",
    "Between Icelandic parties the buyer's kennitala (BT-47, scheme 0196) is required.",
    terms=("BT-47", "BT-47-1"),
    syntax="ubl",
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
)
def is_r_005(doc: Invoice) -> Findings:
    u = view(doc)
    if u is not None:
        for buyer in _icelandic_buyer(u):
            if not _street_and_zip(child(buyer, CAC + "Party")):
                yield loc(buyer)
