"""Peppol BIS 3 national rules on CII documents (NO, DK, IT, SE, NL), as the release's
CII Schematron states them.

The CII statements differ from the UBL ones in places, and are followed as written: SE-R-006
judges every VAT rate of a Swedish seller (not only category S), DK-R-008 asks for a giro
account of exactly 7 characters, and DK-R-007 looks for the mandate reference under the
payment means, where CII has none, so a Danish direct debit (49) always fails it.
Greece, Iceland and Germany have no CII statement in this release.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    Element,
    TreeView,
    decimal,
    find,
    is_number,
    loc,
    norm,
    text,
    view,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import rule
from defa.einvoice.rules.peppol.identifiers import no_orgnr, se_orgnr_check_digit
from defa.einvoice.rules.peppol.syntax_cii import RAM, RSM

__all__: list[str] = []

_SYNTAX = "cii"
_NO_VAT = re.compile(r"[0-9]{9}MVA")
_IT_TAX_ID = re.compile(r"[A-Z0-9]{11,16}")
_DK_PAYMENT_MEANS = " 1 10 31 42 48 49 50 58 59 93 97 "  # upstream tests a spaced substring
_DK_UNSPSC_VERSIONS = frozenset({"19.05.01", "19.0501", "26.08.01", "26.0801"})
_SE_RATES = frozenset({25.0, 12.0, 6.0})
_NL_CREDIT_NOTES = frozenset({"81", "83", "381", "396", "532"})
_NL_PAYMENT_MEANS = frozenset({"30", "48", "49", "57", "58", "59"})
_NL_SCHEMES = (" 0106 ", " 0190 ")
_AGREEMENT = (RSM + "SupplyChainTradeTransaction", RAM + "ApplicableHeaderTradeAgreement")
_SETTLEMENT = (RSM + "SupplyChainTradeTransaction", RAM + "ApplicableHeaderTradeSettlement")


def _party(u: TreeView, role: str) -> list[Element]:
    """The root transaction's ``SellerTradeParty`` or ``BuyerTradeParty`` elements."""
    return find(u.root, *_AGREEMENT, RAM + role)


def _country(parties: list[Element]) -> list[str]:
    return [
        text(c) for p in parties for c in find(p, RAM + "PostalTradeAddress", RAM + "CountryID")
    ]


def _vat_ids(party: Element | None) -> list[str]:
    """The party's tax registration ids with scheme VAT, as written."""
    return [
        text(i)
        for reg in find(party, RAM + "SpecifiedTaxRegistration")
        for i in find(reg, RAM + "ID")
        if i.get("schemeID") == "VAT"
    ]


def _supplier_country(u: TreeView) -> str:
    """Seller's country as the CII Schematron reads it: the VAT id's prefix, else the tax
    representative's, else the postal country, else XX.
    """
    if u.known("cii_supplier_country"):
        return u.memo("cii_supplier_country")  # type: ignore[no-any-return]
    value = "XX"
    sellers = _party(u, "SellerTradeParty")
    vat = _vat_ids(sellers[0] if sellers else None)
    reps = _party(u, "SellerTaxRepresentativeTradeParty")
    rep_vat = [v for r in reps for v in _vat_ids(r)]
    postal = _country(sellers)
    if vat and vat[0][:2]:
        value = norm(vat[0][:2]).upper()
    elif rep_vat and rep_vat[0][:2]:
        value = norm(rep_vat[0][:2]).upper()
    elif postal:
        value = norm(postal[0]).upper()
    return u.remember("cii_supplier_country", value)  # type: ignore[no-any-return]


def _postal_is(u: TreeView, role: str, country: str, *, trimmed: bool) -> bool:
    codes = _country(_party(u, role))
    if trimmed:
        return bool(codes) and norm(codes[0]).upper() == country
    return country in codes


# -- Norway --------------------------------------------------------------------------------


def _norwegian_sellers(u: TreeView) -> list[Element]:
    return list(u.all(RAM + "SellerTradeParty")) if _supplier_country(u) == "NO" else []


@rule("NO-R-002", "warning", "", syntax=_SYNTAX)
def no_r_002(doc: Invoice) -> Findings:
    u = view(doc)
    for seller in _norwegian_sellers(u) if u is not None else ():
        ids = find(seller, RAM + "SpecifiedTaxRegistration", RAM + "ID")
        if not any(i.get("schemeID") == "FC" and norm(i.text) == "Foretaksregisteret" for i in ids):
            yield loc(seller)


@rule("NO-R-001", "fatal", "", syntax=_SYNTAX)
def no_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    for seller in _norwegian_sellers(u) if u is not None else ():
        vat = [
            text(i)
            for reg in find(seller, RAM + "SpecifiedTaxRegistration")
            if any(i.get("schemeID") == "VAT" for i in find(reg, RAM + "ID"))
            for i in find(reg, RAM + "ID")[:1]
        ]
        if any(v[:2] == "NO" for v in vat) and not (
            _NO_VAT.fullmatch(vat[0][2:]) and no_orgnr(vat[0][2:11])
        ):
            yield loc(seller)


# -- Denmark -------------------------------------------------------------------------------


def _dk(u: TreeView) -> tuple[bool, bool]:
    return (
        _postal_is(u, "SellerTradeParty", "DK", trimmed=False),
        _postal_is(u, "BuyerTradeParty", "DK", trimmed=False),
    )


def _first_text(el: Element | None, *path: str) -> str:
    found = find(el, *path)
    return (found[0].text or "") if found else ""


def _seller_legal_ids(u: TreeView) -> list[Element]:
    return find(
        u.root,
        *_AGREEMENT,
        RAM + "SellerTradeParty",
        RAM + "SpecifiedLegalOrganization",
        RAM + "ID",
    )


def _document_rule(rule_id: str, severity: str, holds: Callable[[TreeView], bool]) -> None:
    """Register a rule judged once per document; ``holds`` says whether it passes."""

    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is not None and not holds(u):
            yield loc(u.root)

    check.__name__ = "cii_" + rule_id.lower().replace("-", "_")
    rule(rule_id, severity, "", syntax=_SYNTAX)(check)


def _dk_r_002(u: TreeView) -> bool:
    if not _dk(u)[0]:
        return True
    ids = _seller_legal_ids(u)
    return bool(ids) and norm(ids[0].text) != ""


def _dk_reason_ok(u: TreeView) -> bool:
    charges = find(u.root, *_SETTLEMENT, RAM + "SpecifiedTradeAllowanceCharge")
    if not any(text(c) == "ZZZ" for ac in charges for c in find(ac, RAM + "ReasonCode")):
        return True
    reasons = [r for ac in charges for r in find(ac, RAM + "Reason")]
    if not reasons:
        return False
    value = text(reasons[0])
    if len(norm(reasons[0].text)) == 4 and is_number(value) and 0 <= float(value) <= 9999:
        return True
    return "#" in value and not value.startswith("#") and not value.endswith("#")


def _dk_r_004(u: TreeView) -> bool:
    return _dk(u) != (True, True) or _dk_reason_ok(u)


def _unnamed_global_id(party: list[Element]) -> bool:
    ids = find(party[0] if party else None, RAM + "GlobalID")
    return bool(ids) and norm(ids[0].get("schemeID")) == ""


def _dk_r_013(u: TreeView) -> bool:
    if _dk(u) != (True, True):
        return True
    return not (
        _unnamed_global_id(_party(u, "SellerTradeParty"))
        or _unnamed_global_id(_party(u, "BuyerTradeParty"))
    )


def _dk_r_014(u: TreeView) -> bool:
    ids = _seller_legal_ids(u)
    return not _dk(u)[0] or not ids or norm(ids[0].get("schemeID")) == "0184"


def _dk_r_016(u: TreeView) -> bool:
    if _dk(u) != (True, True):
        return True
    if norm(_first_text(u.root, RSM + "ExchangedDocument", RAM + "TypeCode")) != "381":
        return True
    due = _first_text(
        u.root,
        *_SETTLEMENT,
        RAM + "SpecifiedTradeSettlementHeaderMonetarySummation",
        RAM + "DuePayableAmount",
    ).strip()
    return not (is_number(due) and float(due) < 0)


_document_rule("DK-R-002", "fatal", _dk_r_002)
_document_rule("DK-R-004", "fatal", _dk_r_004)
_document_rule("DK-R-013", "fatal", _dk_r_013)
_document_rule("DK-R-014", "fatal", _dk_r_014)
_document_rule("DK-R-016", "fatal", _dk_r_016)


def _dk_means(u: TreeView) -> Iterator[tuple[Element, set[str], str]]:
    """Danish-to-Danish payment means: (element, its type codes, the payment reference)."""
    if _dk(u) != (True, True):
        return
    for settlement in find(u.root, *_SETTLEMENT):
        reference = _first_text(settlement, RAM + "PaymentReference")
        for means in find(settlement, RAM + "SpecifiedTradeSettlementPaymentMeans"):
            yield means, {text(c) for c in find(means, RAM + "TypeCode")}, reference


def _means_rule(rule_id: str, fails: Callable[[Element, set[str], str], bool]) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        for means, codes, reference in _dk_means(u) if u is not None else ():
            if fails(means, codes, reference):
                yield loc(means)

    check.__name__ = "cii_" + rule_id.lower().replace("-", "_")
    rule(rule_id, "fatal", "", syntax=_SYNTAX)(check)


def _filled(el: Element, *path: str) -> bool:
    return norm(_first_text(el, *path)) != ""


def _iban(means: Element) -> str:
    return _first_text(means, RAM + "PayeePartyCreditorFinancialAccount", RAM + "IBANID")


_means_rule(
    "DK-R-005",
    lambda m, _c, _r: f" {_first_text(m, RAM + 'TypeCode')} " not in _DK_PAYMENT_MEANS,
)
_means_rule(
    "DK-R-006",
    lambda m, c, _r: (
        bool(c & {"31", "42"})
        and not (
            _filled(m, RAM + "PayeePartyCreditorFinancialAccount", RAM + "IBANID")
            and _filled(m, RAM + "PayeeSpecifiedCreditorFinancialInstitution", RAM + "BICID")
        )
    ),
)
_means_rule(
    "DK-R-007",
    lambda m, c, _r: (
        "49" in c
        and not (
            _filled(m.getparent(), RAM + "CreditorReferenceID")
            and _filled(m, RAM + "SpecifiedTradePaymentTerms", RAM + "DirectDebitMandateID")
        )
    ),
)
_means_rule(
    "DK-R-008",
    lambda m, c, r: "50" in c and not (r[:3] in ("01#", "04#", "15#") and len(_iban(m)) == 7),
)
_means_rule("DK-R-009", lambda _m, c, r: "50" in c and r[:3] in ("04#", "15#") and len(r) != 19)
_means_rule(
    "DK-R-010",
    lambda m, c, r: "93" in c and not (r[:3] in ("71#", "73#", "75#") and len(_iban(m)) == 8),
)
_means_rule(
    "DK-R-011",
    lambda _m, c, r: "93" in c and r[:3] in ("71#", "75#") and len(r) not in (18, 19),
)


@rule("DK-R-003", "warning", "", syntax=_SYNTAX)
def dk_r_003(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or _dk(u) != (True, True):
        return
    for line in find(
        u.root, RSM + "SupplyChainTradeTransaction", RAM + "IncludedSupplyChainTradeLineItem"
    ):
        codes = find(
            line,
            RAM + "SpecifiedTradeProduct",
            RAM + "DesignatedProductClassification",
            RAM + "ClassCode",
        )
        if any(c.get("listID") == "TST" for c in codes) and not any(
            c.get("listVersionID") in _DK_UNSPSC_VERSIONS for c in codes
        ):
            yield loc(line)


# -- Italy ---------------------------------------------------------------------------------


def _italian_sellers(u: TreeView) -> list[Element]:
    return list(u.all(RAM + "SellerTradeParty")) if _supplier_country(u) == "IT" else []


@rule("IT-R-001", "fatal", "", syntax=_SYNTAX)
def it_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    for seller in _italian_sellers(u) if u is not None else ():
        for reg in find(seller, RAM + "SpecifiedTaxRegistration"):
            ids = find(reg, RAM + "ID")
            if any(norm(i.get("schemeID")) != "FC" for i in ids):
                continue
            fiscal = [i for i in ids if norm(i.get("schemeID")) == "FC"]
            if not _IT_TAX_ID.fullmatch(norm(text(fiscal[0])) if fiscal else ""):
                yield loc(reg)


def _it_address_rule(rule_id: str, tag: str) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        for seller in _italian_sellers(u) if u is not None else ():
            if not find(seller, RAM + "PostalTradeAddress", RAM + tag):
                yield loc(seller)

    check.__name__ = "cii_" + rule_id.lower().replace("-", "_")
    rule(rule_id, "fatal", "", syntax=_SYNTAX)(check)


_it_address_rule("IT-R-002", "LineOne")
_it_address_rule("IT-R-003", "CityName")
_it_address_rule("IT-R-004", "PostcodeCode")


# -- Sweden --------------------------------------------------------------------------------


def _se_sellers(u: TreeView) -> list[Element]:
    """Root sellers with a Swedish postal address as written."""
    return [
        s
        for s in _party(u, "SellerTradeParty")
        if any(text(c) == "SE" for c in find(s, RAM + "PostalTradeAddress", RAM + "CountryID"))
    ]


def _se_vat(seller: Element) -> list[str]:
    return _vat_ids(seller)


def _se_vat_sellers(u: TreeView) -> list[Element]:
    return [s for s in _se_sellers(u) if any(v[:2] == "SE" for v in _se_vat(s))]


def _seller_rule(rule_id: str, holds: Callable[[str], bool]) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        for seller in _se_vat_sellers(u) if u is not None else ():
            if not holds(_se_vat(seller)[0]):
                yield loc(seller)

    check.__name__ = "cii_" + rule_id.lower().replace("-", "_")
    rule(rule_id, "fatal", "", syntax=_SYNTAX)(check)


_seller_rule("SE-R-001", lambda v: len(norm(v)) == 14)
_seller_rule("SE-R-002", lambda v: is_number(v[2:14]))


def _se_legal_rule(rule_id: str, holds: Callable[[str], bool]) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        for seller in _se_sellers(u) if u is not None else ():
            for org in find(seller, RAM + "SpecifiedLegalOrganization"):
                ids = find(org, RAM + "ID")
                if ids and not holds(text(ids[0])):
                    yield loc(ids[0])

    check.__name__ = "cii_" + rule_id.lower().replace("-", "_")
    rule(rule_id, "fatal", "", syntax=_SYNTAX)(check)


_se_legal_rule("SE-R-003", is_number)
_se_legal_rule("SE-R-004", lambda v: len(norm(v)) == 10)
_se_legal_rule("SE-R-013", lambda v: se_orgnr_check_digit(norm(v)))


@rule("SE-R-005", "fatal", "", syntax=_SYNTAX)
def se_r_005(doc: Invoice) -> Findings:
    u = view(doc)
    for seller in _se_sellers(u) if u is not None else ():
        if not find(seller, RAM + "SpecifiedLegalOrganization", RAM + "ID"):
            continue
        for i in find(seller, RAM + "SpecifiedTaxRegistration", RAM + "ID"):
            if i.get("schemeID") == "FC" and norm(text(i).upper()) != "GODKÄND FÖR F-SKATT":
                yield loc(i)


@rule("SE-R-006", "fatal", "", syntax=_SYNTAX)
def se_r_006(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _se_vat_sellers(u):
        return
    for tag in (RAM + "ApplicableTradeTax", RAM + "CategoryTradeTax"):
        for tax in u.all(tag):
            rates = find(tax, RAM + "RateApplicablePercent")
            value = text(rates[0]).strip() if rates else ""
            if not (is_number(value) and float(value) in _SE_RATES):
                yield loc(tax)


def _se_means(u: TreeView) -> list[Element]:
    return (
        find(u.root, *_SETTLEMENT, RAM + "SpecifiedTradeSettlementPaymentMeans")
        if _se_sellers(u)
        else []
    )


def _giro_rule(rule_id: str, branch: str, holds: Callable[[str], bool]) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        for means in _se_means(u) if u is not None else ():
            if norm(_first_text(means, RAM + "TypeCode")) != "30":
                continue
            bic = _first_text(
                means, RAM + "PayeeSpecifiedCreditorFinancialInstitution", RAM + "BICID"
            )
            if norm(bic) != branch:
                continue
            for account in find(
                means, RAM + "PayeePartyCreditorFinancialAccount", RAM + "ProprietaryID"
            ):
                if not holds(norm(text(account))):
                    yield loc(account)

    check.__name__ = "cii_" + rule_id.lower().replace("-", "_")
    rule(rule_id, "warning", "", syntax=_SYNTAX)(check)


_giro_rule("SE-R-007", "SE:PLUSGIRO", is_number)
_giro_rule("SE-R-010", "SE:PLUSGIRO", lambda v: 2 <= len(v) <= 8)
_giro_rule("SE-R-008", "SE:BANKGIRO", is_number)
_giro_rule("SE-R-009", "SE:BANKGIRO", lambda v: len(v) in (7, 8))


@rule("SE-R-011", "warning", "", syntax=_SYNTAX)
def se_r_011(doc: Invoice) -> Findings:
    u = view(doc)
    for means in _se_means(u) if u is not None else ():
        if norm(_first_text(means, RAM + "TypeCode")) in ("50", "56"):
            yield loc(means)


@rule("SE-R-012", "warning", "", syntax=_SYNTAX)
def se_r_012(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _postal_is(u, "BuyerTradeParty", "SE", trimmed=False):
        return
    for means in _se_means(u):
        if norm(_first_text(means, RAM + "TypeCode")) == "31":
            yield loc(means)


# -- the Netherlands -----------------------------------------------------------------------


def _nl(u: TreeView) -> bool:
    return _postal_is(u, "SellerTradeParty", "NL", trimmed=True)


def _nl_nl(u: TreeView) -> bool:
    return _nl(u) and _postal_is(u, "BuyerTradeParty", "NL", trimmed=True)


@rule("NL-R-001", "fatal", "", syntax=_SYNTAX)
def nl_r_001(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _nl(u):
        return
    for settlement in u.all(RAM + "ApplicableHeaderTradeSettlement"):
        if find(settlement, RAM + "InvoiceReferencedDocument", RAM + "IssuerAssignedID"):
            return
    for document in find(u.root, RSM + "ExchangedDocument"):
        if norm(_first_text(document, RAM + "TypeCode")) in _NL_CREDIT_NOTES:
            yield loc(document)


def _full_address(address: Element) -> bool:
    return all(find(address, RAM + t) for t in ("LineOne", "CityName", "PostcodeCode"))


def _address_rule(rule_id: str, role: str, applies: Callable[[TreeView], bool]) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is None or not applies(u):
            return
        for address in find(u.root, *_AGREEMENT, RAM + role, RAM + "PostalTradeAddress"):
            if not _full_address(address):
                yield loc(address)

    check.__name__ = "cii_" + rule_id.lower().replace("-", "_")
    rule(rule_id, "fatal", "", syntax=_SYNTAX)(check)


def _nl_tax_rep(u: TreeView) -> bool:
    return _nl(u) and _postal_is(u, "SellerTaxRepresentativeTradeParty", "NL", trimmed=True)


_address_rule("NL-R-002", "SellerTradeParty", _nl)
_address_rule("NL-R-004", "BuyerTradeParty", _nl_nl)
_address_rule("NL-R-006", "SellerTaxRepresentativeTradeParty", _nl_tax_rep)


def _legal_id_rule(rule_id: str, role: str, applies: Callable[[TreeView], bool]) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is None or not applies(u):
            return
        path = (RAM + role, RAM + "SpecifiedLegalOrganization", RAM + "ID")
        for company in find(u.root, *_AGREEMENT, *path):
            spaced = f" {company.get('schemeID') or ''} "
            if not (any(s in spaced for s in _NL_SCHEMES) and norm(text(company))):
                yield loc(company)

    check.__name__ = "cii_" + rule_id.lower().replace("-", "_")
    rule(rule_id, "fatal", "", syntax=_SYNTAX)(check)


_legal_id_rule("NL-R-003", "SellerTradeParty", _nl)
_legal_id_rule("NL-R-005", "BuyerTradeParty", _nl_nl)


@rule("NL-R-007", "fatal", "", syntax=_SYNTAX)
def nl_r_007(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _nl(u):
        return
    if find(u.root, *_SETTLEMENT, RAM + "SpecifiedTradeSettlementPaymentMeans"):
        return
    credit = norm(_first_text(u.root, RSM + "ExchangedDocument", RAM + "TypeCode")) == "381"
    path = (RAM + "SpecifiedTradeSettlementHeaderMonetarySummation",)
    for summation in find(u.root, *_SETTLEMENT, *path):
        due = decimal(_first_text(summation, RAM + "DuePayableAmount"))
        if due is not None and ((not credit and due <= 0) or (credit and due >= 0)):
            continue
        yield loc(summation)


@rule("NL-R-008", "fatal", "", syntax=_SYNTAX)
def nl_r_008(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _nl_nl(u):
        return
    for means in find(u.root, *_SETTLEMENT, RAM + "SpecifiedTradeSettlementPaymentMeans"):
        if norm(_first_text(means, RAM + "TypeCode")) not in _NL_PAYMENT_MEANS:
            yield loc(means)


@rule("NL-R-009", "fatal", "", syntax=_SYNTAX)
def nl_r_009(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _nl(u):
        return
    if find(u.root, *_AGREEMENT, RAM + "BuyerOrderReferencedDocument", RAM + "IssuerAssignedID"):
        return
    path = (
        RSM + "SupplyChainTradeTransaction",
        RAM + "IncludedSupplyChainTradeLineItem",
        RAM + "SpecifiedLineTradeAgreement",
        RAM + "BuyerOrderReferencedDocument",
        RAM + "LineID",
    )
    yield from (loc(el) for el in find(u.root, *path))
