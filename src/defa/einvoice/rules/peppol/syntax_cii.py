"""Peppol BIS 3 rules on CII documents: the CII binding of the document, code list and
identifier rules (``PEPPOL-EN16931-CII.sch`` of the release).

The ids are those of the UBL binding; where Peppol states a rule differently for CII, this
follows the CII statement (R002 has no German exception but refuses a note subject code,
R055 compares strictly below zero, P0100 covers credit note codes, F001 asks for format
102). R006 and COMMON-R048 exist only here; R008, R044, R046, R051, CL006 and P0101 ...
P0112 have no CII statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import Element, TreeView, decimal, find, loc, norm, text, view
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import PEPPOL_BIS3, rule
from defa.einvoice.rules.peppol.codelists import CODES
from defa.einvoice.rules.peppol.identifiers import (
    be_enterprise_number,
    dk_cvr,
    gln,
    it_codice_fiscale,
    it_ipa_code,
    it_partita_iva,
    no_orgnr,
    se_orgnr,
)

__all__ = ["RAM", "RSM", "UDT", "cii_abn"]

RSM = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
UDT = "{urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100}"
_SYNTAX = "cii"
_SPEC_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
_PROFILE = re.compile(r"urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0")
_DATE_102 = re.compile(r"20[0-9]{6}")
_DIRECT_DEBIT = frozenset({"49", "59"})
_TYPES_01 = CODES["invoice_type_profile_01"] | CODES["credit_note_type_profile_01"]
_ZERO = Decimal(0)


def _header(u: TreeView, part: str) -> list[Element]:
    """The transaction's header part (``ApplicableHeaderTradeSettlement``, ...)."""
    return find(u.root, RSM + "SupplyChainTradeTransaction", RAM + part)


def _profile(u: TreeView) -> str | None:
    """The billing process (``"01"``), ``"Unknown"``, or None when the id is oddly split."""
    found = find(
        u.root,
        RSM + "ExchangedDocumentContext",
        RAM + "BusinessProcessSpecifiedDocumentContextParameter",
    )
    if not found:
        return "Unknown"
    ids = find(found[0], RAM + "ID")
    value = norm(text(ids[0])) if ids else ""
    if not _PROFILE.search(value):
        return "Unknown"
    tokens = value.split(":")
    return tokens[6] if len(tokens) > 6 else None


def _each(u: TreeView, tag: str) -> Iterator[Element]:
    yield from u.all(tag)


# -- document ------------------------------------------------------------------------------


@rule("PEPPOL-EN16931-R001", "fatal", "", syntax=_SYNTAX)
def r001(doc: Invoice) -> Findings:
    u = view(doc)
    for context in u.all(RSM + "ExchangedDocumentContext") if u is not None else ():
        if not find(context, RAM + "BusinessProcessSpecifiedDocumentContextParameter", RAM + "ID"):
            yield loc(context)


@rule("PEPPOL-EN16931-R007", "fatal", "", syntax=_SYNTAX)
def r007(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    contexts = u.all(RSM + "ExchangedDocumentContext")
    if contexts and _profile(u) in ("Unknown", None):
        yield from (loc(c) for c in contexts)


@rule("PEPPOL-EN16931-R004", "fatal", "", syntax=_SYNTAX)
def r004(doc: Invoice) -> Findings:
    u = view(doc)
    for context in u.all(RSM + "ExchangedDocumentContext") if u is not None else ():
        ids = find(context, RAM + "GuidelineSpecifiedDocumentContextParameter", RAM + "ID")
        if not norm(ids[0].text if ids else None).startswith(_SPEC_ID):
            yield loc(context)


@rule("PEPPOL-EN16931-R003", "fatal", "", syntax=_SYNTAX)
def r003(doc: Invoice) -> Findings:
    u = view(doc)
    for agreement in u.all(RAM + "ApplicableHeaderTradeAgreement") if u is not None else ():
        if not find(agreement, RAM + "BuyerReference") and not find(
            agreement, RAM + "BuyerOrderReferencedDocument", RAM + "IssuerAssignedID"
        ):
            yield loc(agreement)


def _typed_references(agreement: Element, type_code: str) -> list[Element]:
    return [
        ref
        for ref in find(agreement, RAM + "AdditionalReferencedDocument")
        if any(text(t) == type_code for t in find(ref, RAM + "TypeCode"))
    ]


def _at_most_one_reference(doc: Invoice, type_code: str) -> Findings:
    u = view(doc)
    for agreement in u.all(RAM + "ApplicableHeaderTradeAgreement") if u is not None else ():
        refs = _typed_references(agreement, type_code)
        if len(refs) > 1:
            yield loc(refs[1])


@rule(
    "PEPPOL-EN16931-R006",
    "fatal",
    "At most one invoiced object (BT-18) is allowed at document level.",
    terms=("BT-18",),
    syntax=_SYNTAX,
)
def r006(doc: Invoice) -> Findings:
    return _at_most_one_reference(doc, "130")


@rule("PEPPOL-EN16931-R080", "fatal", "", syntax=_SYNTAX)
def r080(doc: Invoice) -> Findings:
    return _at_most_one_reference(doc, "50")


@rule("PEPPOL-EN16931-R005", "fatal", "", syntax=_SYNTAX)
def r005(doc: Invoice) -> Findings:
    u = view(doc)
    for settlement in u.all(RAM + "ApplicableHeaderTradeSettlement") if u is not None else ():
        tax = find(settlement, RAM + "TaxCurrencyCode")
        if not tax:
            continue
        invoice = find(settlement, RAM + "InvoiceCurrencyCode")
        if norm(tax[0].text) == norm(invoice[0].text if invoice else None):
            yield loc(tax[0])


def _currency_codes(u: TreeView, tag: str) -> set[str]:
    return {text(c) for s in _header(u, "ApplicableHeaderTradeSettlement") for c in find(s, tag)}


def _tax_totals(settlement: Element) -> list[Element]:
    return find(
        settlement, RAM + "SpecifiedTradeSettlementHeaderMonetarySummation", RAM + "TaxTotalAmount"
    )


@rule("PEPPOL-EN16931-R053", "fatal", "", syntax=_SYNTAX)
def r053(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    currencies = _currency_codes(u, RAM + "InvoiceCurrencyCode")
    for settlement in u.all(RAM + "ApplicableHeaderTradeSettlement"):
        totals = [t for t in _tax_totals(settlement) if t.get("currencyID") in currencies]
        if len(totals) != 1:
            yield loc(settlement)


@rule("PEPPOL-EN16931-R054", "fatal", "", syntax=_SYNTAX)
def r054(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    currencies = _currency_codes(u, RAM + "InvoiceCurrencyCode")
    for settlement in u.all(RAM + "ApplicableHeaderTradeSettlement"):
        # Upstream's '!=' holds when the currency differs from some invoice currency code.
        other = [
            t
            for t in _tax_totals(settlement)
            if t.get("currencyID") is not None and any(t.get("currencyID") != c for c in currencies)
        ]
        expected = 1 if find(settlement, RAM + "TaxCurrencyCode") else 0
        if len(other) != expected:
            yield (loc(settlement), {"expected": expected, "found": len(other)})


@rule("PEPPOL-EN16931-R055", "fatal", "", syntax=_SYNTAX)
def r055(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or not _currency_codes(u, RAM + "TaxCurrencyCode"):
        return
    tax_codes = _currency_codes(u, RAM + "TaxCurrencyCode")
    doc_codes = _currency_codes(u, RAM + "InvoiceCurrencyCode")
    for settlement in u.all(RAM + "ApplicableHeaderTradeSettlement"):
        totals = _tax_totals(settlement)
        in_tax = [decimal(t) for t in totals if t.get("currencyID") in tax_codes]
        in_doc = [decimal(t) for t in totals if t.get("currencyID") in doc_codes]
        tax = [a for a in in_tax if a is not None]
        dok = [a for a in in_doc if a is not None]
        if any(a < 0 for a in tax) and any(a < 0 for a in dok):
            continue
        if any(a >= 0 for a in tax) and any(a >= 0 for a in dok):
            continue
        yield loc(settlement)


@rule("PEPPOL-EN16931-R002", "fatal", "", syntax=_SYNTAX)
def r002(doc: Invoice) -> Findings:
    u = view(doc)
    for document in u.all(RSM + "ExchangedDocument") if u is not None else ():
        notes = find(document, RAM + "IncludedNote")
        if len(notes) > 1 or find(document, RAM + "IncludedNote", RAM + "SubjectCode"):
            yield loc(document)


# The CII statement of R002 has no German exemption and also refuses a note subject code.
PEPPOL_BIS3.message_for(
    "PEPPOL-EN16931-R002",
    _SYNTAX,
    "At most one invoice note (BT-22) is allowed, and it must not carry a subject code.",
)


def _without_address(doc: Invoice, tag: str) -> Findings:
    u = view(doc)
    for party in u.all(tag) if u is not None else ():
        if not find(party, RAM + "URIUniversalCommunication", RAM + "URIID"):
            yield loc(party)


@rule("PEPPOL-EN16931-R010", "fatal", "", syntax=_SYNTAX)
def r010(doc: Invoice) -> Findings:
    return _without_address(doc, RAM + "BuyerTradeParty")


@rule("PEPPOL-EN16931-R020", "fatal", "", syntax=_SYNTAX)
def r020(doc: Invoice) -> Findings:
    return _without_address(doc, RAM + "SellerTradeParty")


@rule("PEPPOL-EN16931-R061", "fatal", "", syntax=_SYNTAX)
def r061(doc: Invoice) -> Findings:
    u = view(doc)
    for means in u.all(RAM + "SpecifiedTradeSettlementPaymentMeans") if u is not None else ():
        codes = find(means, RAM + "TypeCode")
        if not codes or norm(text(codes[0])) not in _DIRECT_DEBIT:
            continue
        parent = means.getparent()
        if not find(parent, RAM + "SpecifiedTradePaymentTerms", RAM + "DirectDebitMandateID"):
            yield loc(means)


# -- code lists ----------------------------------------------------------------------------


def _not_in(
    doc: Invoice, tag: str, attribute: str, allowed: frozenset[str], *, missing_fails: bool
) -> Findings:
    u = view(doc)
    for el in u.all(tag) if u is not None else ():
        value = el.get(attribute)
        if value is None and not missing_fails:
            continue
        if value not in allowed:
            yield (loc(el, attribute), {"code": value})


@rule("PEPPOL-EN16931-CL001", "fatal", "", syntax=_SYNTAX)
def cl001(doc: Invoice) -> Findings:
    return _not_in(
        doc, RAM + "AttachmentBinaryObject", "mimeCode", CODES["mime"], missing_fails=False
    )


def _reason_codes(doc: Invoice, indicator: str, allowed: frozenset[str]) -> Findings:
    u = view(doc)
    for ac in u.all(RAM + "SpecifiedTradeAllowanceCharge") if u is not None else ():
        flags = find(ac, RAM + "ChargeIndicator", UDT + "Indicator")
        if not flags or norm(text(flags[0])) != indicator:
            continue
        for code in find(ac, RAM + "ReasonCode"):
            if norm(code.text) not in allowed:
                yield (loc(code), {"code": norm(code.text)})


@rule("PEPPOL-EN16931-CL002", "fatal", "", syntax=_SYNTAX)
def cl002(doc: Invoice) -> Findings:
    return _reason_codes(doc, "false", CODES["uncl5189"])


@rule("PEPPOL-EN16931-CL003", "fatal", "", syntax=_SYNTAX)
def cl003(doc: Invoice) -> Findings:
    return _reason_codes(doc, "true", CODES["uncl7161"])


@rule("PEPPOL-EN16931-CL007", "fatal", "", syntax=_SYNTAX)
def cl007(doc: Invoice) -> Findings:
    return _not_in(doc, RAM + "TaxTotalAmount", "currencyID", CODES["iso4217"], missing_fails=False)


@rule("PEPPOL-EN16931-CL008", "fatal", "", syntax=_SYNTAX)
def cl008(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for party_tag in (RAM + "BuyerTradeParty", RAM + "SellerTradeParty"):
        for party in u.all(party_tag):
            for uri in find(party, RAM + "URIUniversalCommunication", RAM + "URIID"):
                scheme = uri.get("schemeID")
                if scheme not in CODES["eas"]:
                    yield (loc(uri, "schemeID"), {"code": scheme})


@rule("PEPPOL-EN16931-P0100", "fatal", "", syntax=_SYNTAX)
def p0100(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None or _profile(u) not in ("01", None):
        return
    for code in u.with_parent(RAM + "TypeCode", RSM + "ExchangedDocument"):
        if norm(text(code)) not in _TYPES_01:
            yield (loc(code), {"code": norm(text(code))})


@rule("PEPPOL-EN16931-F001", "fatal", "", syntax=_SYNTAX)
def f001(doc: Invoice) -> Findings:
    u = view(doc)
    for el in u.all(UDT + "DateTimeString") if u is not None else ():
        value = el.text or ""
        if not (
            norm(el.get("format")) == "102" and len(value) == 8 and _DATE_102.search(norm(value))
        ):
            yield loc(el)


# -- identifiers ---------------------------------------------------------------------------


def cii_abn(value: str) -> bool:
    """Peppol's CII ABN test: the weighted sum of the first 11 characters' code points
    (the first less one) is a multiple of 89; no digit check before it.
    """
    if len(value) < 11:
        return False
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [ord(value[0]) - 49, *(ord(c) - 48 for c in value[1:11])]
    return sum(w * d for w, d in zip(weights, digits, strict=True)) % 89 == 0


def _by_scheme(u: TreeView) -> dict[str, list[Element]]:
    """URIID, ID and GlobalID elements by schemeID, once per document."""
    if u.known("cii_identifiers"):
        return u.memo("cii_identifiers")  # type: ignore[no-any-return]
    found: dict[str, list[Element]] = {}
    for tag in (RAM + "URIID", RAM + "ID", RAM + "GlobalID"):
        for el in u.all(tag):
            scheme = el.get("schemeID")
            if scheme is not None:
                found.setdefault(scheme, []).append(el)
    return u.remember("cii_identifiers", found)  # type: ignore[no-any-return]


def _scheme_rule(
    rule_id: str,
    severity: str,
    scheme: str,
    valid: Callable[[str], bool],
    *,
    uri_only: bool = False,
    raw: bool = False,
    message: str = "",
) -> None:
    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is None:
            return
        for el in _by_scheme(u).get(scheme, ()):
            if uri_only and el.tag != RAM + "URIID":
                continue
            value = text(el) if raw else norm(text(el))
            if not valid(value):
                yield (loc(el), {"scheme": scheme, "value": value[:64]})

    check.__name__ = "cii_common_" + rule_id.rsplit("-", 1)[-1].lower()
    rule(rule_id, severity, message, syntax=_SYNTAX)(check)


_scheme_rule("PEPPOL-COMMON-R040", "fatal", "0088", gln)
_scheme_rule("PEPPOL-COMMON-R041", "fatal", "0192", no_orgnr)
_scheme_rule("PEPPOL-COMMON-R042", "fatal", "0184", dk_cvr, raw=True)
_scheme_rule("PEPPOL-COMMON-R043", "fatal", "0208", be_enterprise_number)
_scheme_rule("PEPPOL-COMMON-R044", "warning", "0201", it_ipa_code)
_scheme_rule("PEPPOL-COMMON-R045", "warning", "0210", it_codice_fiscale)
_scheme_rule("PEPPOL-COMMON-R046", "warning", "9907", it_codice_fiscale, uri_only=True)
_scheme_rule("PEPPOL-COMMON-R047", "warning", "0211", it_partita_iva)
_scheme_rule(
    "PEPPOL-COMMON-R048",
    "warning",
    "9906",
    it_partita_iva,
    uri_only=True,
    message="An Italian VAT number (partita IVA) should be IT and eleven digits with a valid "
    "check.",
)
_scheme_rule("PEPPOL-COMMON-R049", "fatal", "0007", se_orgnr)
_scheme_rule("PEPPOL-COMMON-R050", "fatal", "0151", cii_abn)
