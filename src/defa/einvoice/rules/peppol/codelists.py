"""Peppol BIS 3 code list rules (PEPPOL-EN16931-CL001 ... CL008) and the profile rules on
type codes and VAT exemption reasons (PEPPOL-EN16931-P0100 ... P0112).

The code lists are packaged data (``data/einvoice/peppol-codelists.toml``), read once.
"""

from __future__ import annotations

from collections.abc import Mapping

from defa import data
from defa.einvoice.model import Invoice
from defa.einvoice.rules._tree import (
    CAC,
    CBC,
    Element,
    TreeView,
    child,
    children,
    loc,
    norm,
    text,
    view,
)
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.peppol import PEPPOL_BIS3, rule
from defa.einvoice.rules.peppol.context import german_parties, profile
from defa.einvoice.rules.peppol.document import AMOUNT_TAGS

__all__ = ["CODES"]


def _codes() -> Mapping[str, frozenset[str]]:
    found = data.load("peppol-bis3-codelists", PEPPOL_BIS3.valid_from).content["codes"]
    return {name: frozenset(values) for name, values in found.items()}


CODES: Mapping[str, frozenset[str]] = _codes()
_MIME = CODES["mime"]
_ALLOWANCE_REASONS = CODES["uncl5189"]
_CHARGE_REASONS = CODES["uncl7161"]
_PERIOD_CODES = CODES["uncl2005"]
_CURRENCIES = CODES["iso4217"]
_EAS = CODES["eas"]
_INVOICE_TYPES_01 = CODES["invoice_type_profile_01"]
_CREDIT_NOTE_TYPES_01 = CODES["credit_note_type_profile_01"]
_GERMAN_ONLY_TYPES = frozenset({"326", "384"})
# Process 01's type codes apply when the profile says 01, and also when the profile id
# matched Peppol's pattern but had no process token (upstream's comparison is then false).
_PROCESS_01 = frozenset({"01", None})


@rule(
    "PEPPOL-EN16931-CL001",
    "fatal",
    "The attachment's media type (BT-125-1) is not one Peppol allows.",
    terms=("BT-125-1",),
    syntax="ubl",
)
def cl001(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for el in u.all(CBC + "EmbeddedDocumentBinaryObject"):
        mime = el.get("mimeCode")
        if mime is not None and mime not in _MIME:
            yield (loc(el, "mimeCode"), {"code": mime})


def _reason_codes(doc: Invoice, indicator: str, allowed: frozenset[str]) -> Findings:
    u = view(doc)
    if u is None:
        return
    for ac in u.all(CAC + "AllowanceCharge"):
        # Upstream compares the indicator's text as it stands, without trimming it.
        if not any(text(i) == indicator for i in children(ac, CBC + "ChargeIndicator")):
            continue
        for code in children(ac, CBC + "AllowanceChargeReasonCode"):
            value = norm(code.text)
            if value not in allowed:
                yield (loc(code), {"code": value})


@rule(
    "PEPPOL-EN16931-CL002",
    "fatal",
    "The allowance reason code (BT-98, BT-140) is not in Peppol's subset of UNCL 5189.",
    terms=("BT-98", "BT-140"),
    syntax="ubl",
)
def cl002(doc: Invoice) -> Findings:
    return _reason_codes(doc, "false", _ALLOWANCE_REASONS)


@rule(
    "PEPPOL-EN16931-CL003",
    "fatal",
    "The charge reason code (BT-105, BT-145) is not in UNCL 7161.",
    terms=("BT-105", "BT-145"),
    syntax="ubl",
)
def cl003(doc: Invoice) -> Findings:
    return _reason_codes(doc, "true", _CHARGE_REASONS)


@rule(
    "PEPPOL-EN16931-CL006",
    "fatal",
    "The invoicing period description code (BT-8) is not in Peppol's subset of UNCL 2005.",
    terms=("BT-8",),
    syntax="ubl",
)
def cl006(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for code in u.with_parent(CBC + "DescriptionCode", CAC + "InvoicePeriod"):
        value = norm(code.text)
        if value not in _PERIOD_CODES:
            yield (loc(code), {"code": value})


@rule(
    "PEPPOL-EN16931-CL007",
    "fatal",
    "The amount's currency is not an ISO 4217 currency code.",
    syntax="ubl",
)
def cl007(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for tag in (*AMOUNT_TAGS, CBC + "TaxAmount"):
        for amount in u.all(tag):
            currency = amount.get("currencyID")
            if currency not in _CURRENCIES:
                yield (loc(amount, "currencyID"), {"code": currency})


@rule(
    "PEPPOL-EN16931-CL008",
    "fatal",
    "The electronic address scheme (BT-34-1, BT-49-1) is not in the EAS code list.",
    terms=("BT-34-1", "BT-49-1"),
    syntax="ubl",
)
def cl008(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for endpoint in u.all(CBC + "EndpointID"):
        scheme = endpoint.get("schemeID")
        if scheme is not None and scheme not in _EAS:
            yield (loc(endpoint, "schemeID"), {"code": scheme})


@rule(
    "PEPPOL-EN16931-P0100",
    "fatal",
    "The invoice type code (BT-3) is not allowed in billing process 01.",
    terms=("BT-3", "BT-23"),
    syntax="ubl",
)
def p0100(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    codes = u.all(CBC + "InvoiceTypeCode")
    if codes and profile(u) in _PROCESS_01:
        for code in codes:
            if norm(text(code)) not in _INVOICE_TYPES_01:
                yield (loc(code), {"code": norm(text(code))})


@rule(
    "PEPPOL-EN16931-P0112",
    "fatal",
    "Invoice type codes 326 and 384 are only allowed between a German seller and buyer.",
    terms=("BT-3", "BT-40", "BT-55"),
    syntax="ubl",
)
def p0112(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    for code in u.all(CBC + "InvoiceTypeCode"):
        if norm(text(code)) in _GERMAN_ONLY_TYPES and not german_parties(u):
            yield loc(code)


@rule(
    "PEPPOL-EN16931-P0101",
    "fatal",
    "The credit note type code (BT-3) is not allowed in billing process 01.",
    terms=("BT-3", "BT-23"),
    syntax="ubl",
)
def p0101(doc: Invoice) -> Findings:
    u = view(doc)
    if u is None:
        return
    codes = u.all(CBC + "CreditNoteTypeCode")
    if codes and profile(u) in _PROCESS_01:
        for code in codes:
            if norm(text(code)) not in _CREDIT_NOTE_TYPES_01:
                yield (loc(code), {"code": norm(text(code))})


def _by_exemption_reason(u: TreeView) -> dict[str, list[Element]]:
    """Tax categories by their exemption reason code, upper-cased, once per document."""
    if u.known("by_exemption"):
        return u.memo("by_exemption")  # type: ignore[no-any-return]
    found: dict[str, list[Element]] = {}
    for tax in u.all(CAC + "TaxCategory"):
        code = child(tax, CBC + "TaxExemptionReasonCode")
        if code is not None:
            found.setdefault(text(code).upper(), []).append(tax)
    return u.remember("by_exemption", found)  # type: ignore[no-any-return]


def _exemption_rule(rule_id: str, reason: str, category: str) -> None:
    """Register the rule: exemption reason code ``reason`` needs VAT category ``category``."""

    def check(doc: Invoice) -> Findings:
        u = view(doc)
        if u is None:
            return
        for tax in _by_exemption_reason(u).get(reason, ()):
            if norm(text(child(tax, CBC + "ID"))) != category:
                yield loc(tax)

    check.__name__ = rule_id.rsplit("-", 1)[-1].lower()
    check.__doc__ = f"{rule_id}: exemption reason {reason} requires VAT category {category}."
    rule(
        rule_id,
        "fatal",
        f"VAT exemption reason code {reason} requires VAT category code {category}.",
        terms=("BT-118", "BT-121"),
        syntax="ubl",
    )(check)


for _rule_id, _reason, _category in (
    ("PEPPOL-EN16931-P0104", "VATEX-EU-G", "G"),
    ("PEPPOL-EN16931-P0105", "VATEX-EU-O", "O"),
    ("PEPPOL-EN16931-P0106", "VATEX-EU-IC", "K"),
    ("PEPPOL-EN16931-P0107", "VATEX-EU-AE", "AE"),
    ("PEPPOL-EN16931-P0108", "VATEX-EU-D", "E"),
    ("PEPPOL-EN16931-P0109", "VATEX-EU-F", "E"),
    ("PEPPOL-EN16931-P0110", "VATEX-EU-I", "E"),
    ("PEPPOL-EN16931-P0111", "VATEX-EU-J", "E"),
):
    _exemption_rule(_rule_id, _reason, _category)
