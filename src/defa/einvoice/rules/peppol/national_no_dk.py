"""Peppol BIS 3 national rules of Norway (NO-R) and Denmark (DK-R), as the release
states them.

Norway is recognised from the seller's VAT prefix (else its address), Denmark from the
postal addresses as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
from defa.einvoice.rules.peppol.context import (
    CUSTOMER,
    SUPPLIER,
    company_ids,
    party,
    raw_postal_country,
    seller_in,
    supplier_country,
)
from defa.einvoice.rules.peppol.identifiers import no_orgnr

__all__: list[str] = []

_NO_VAT = re.compile(r"[0-9]{9}MVA")
# Upstream tests membership by substring of this spaced list; kept as it is for that reason.
_DK_PAYMENT_MEANS = " 1 10 31 42 48 49 50 58 59 93 97 "
_DK_UNSPSC_VERSIONS = frozenset({"19.05.01", "19.0501", "26.08.01", "26.0801"})
_DK_GIRO_ACCOUNT = re.compile(r"[0-9]{7,8}")


# -- Norway --------------------------------------------------------------------------------


def _in_no(doc: Invoice) -> bool:
    """The scope of the NO rules: each needs ``seller_in(u, "NO")``."""
    u = view(doc)
    return u is not None and supplier_country(u) == "NO"


@rule(
    "NO-R-002",
    "warning",
    "A Norwegian seller should state 'Foretaksregisteret' as its tax registration (BT-32).",
    terms=("BT-32",),
    syntax="ubl",
    scope=_in_no,
)
def no_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    seller = seller_in(u, "NO")
    if seller is not None:
        registered = company_ids(seller, "TAX")
        if not registered or norm(text(registered[0])) != "Foretaksregisteret":
            yield loc(seller)


@rule(
    "NO-R-001",
    "fatal",
    "A Norwegian seller's VAT identifier (BT-31) must be NO, a valid organisation number and MVA.",
    terms=("BT-31",),
    syntax="ubl",
    scope=_in_no,
)
def no_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    seller = seller_in(u, "NO")
    if seller is None:
        return
    vat = [text(c) for c in company_ids(seller, "VAT")]
    if not any(v[:2] == "NO" for v in vat):
        return
    first = vat[0]
    if not (_NO_VAT.fullmatch(first[2:]) and no_orgnr(first[2:11])):
        yield loc(seller)


# -- Denmark -------------------------------------------------------------------------------


def _dk(u: TreeView) -> tuple[bool, bool]:
    """(seller is Danish, buyer is Danish), by postal country code as written."""
    return raw_postal_country(u, SUPPLIER) == "DK", raw_postal_country(u, CUSTOMER) == "DK"


def _in_dk(doc: Invoice) -> bool:
    """The scope of the DK rules: each needs a Danish seller (``_dk(u)[0]``; the payment
    means rules through ``_dk_payment_means``).
    """
    u = view(doc)
    return u is not None and raw_postal_country(u, SUPPLIER) == "DK"


def _danish_legal_ids(u: TreeView) -> list[Element]:
    return find(party(u, SUPPLIER), CAC + "PartyLegalEntity", CBC + "CompanyID")


@rule(
    "DK-R-002",
    "fatal",
    "A Danish seller must give its legal registration identifier (CVR, BT-30).",
    terms=("BT-30",),
    syntax="ubl",
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
)
def dk_r_013(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or _dk(u) != (True, True):
        return
    for role in (SUPPLIER, CUSTOMER):
        for pid in find(party(u, role), CAC + "PartyIdentification"):
            ids = find(pid, CBC + "ID")
            if ids and norm(ids[0].get("schemeID")) == "":
                yield loc(pid)


def _dk_payment_means(u: TreeView) -> Iterator[tuple[Element, set[str], str]]:
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
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
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
    scope=_in_dk,
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
