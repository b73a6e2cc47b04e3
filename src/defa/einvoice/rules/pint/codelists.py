"""PINT base code list rules (``ibr-cl-*``), with the code values of ``pint-codelists``.

A code passes when it is one of the list's values after whitespace collapse and contains
no inner space (upstream's ``contains(' list ', concat(' ', normalize-space(.), ' '))``).
``ibr-cl-01`` differs between billing and self-billing, so it is registered on the
``pint-billing`` and ``pint-selfbilling`` sets rather than on ``pint``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from defa import data
from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings, RuleSet
from defa.einvoice.rules.pint import PINT, PINT_BILLING, PINT_SELFBILLING, rule
from defa.einvoice.rules.pint._xp import (
    Element,
    TreeView,
    a,
    at,
    b,
    charge_indicator,
    loc,
    norm,
    text,
    tree,
)
from defa.einvoice.rules.pint.amounts import AMOUNT_TAGS

__all__ = ["CODES", "listed"]


def _codes() -> Mapping[str, frozenset[str]]:
    found = data.load("pint-codelists", PINT.valid_from).content["codes"]
    return {name: frozenset(values) for name, values in found.items()}


CODES: Mapping[str, frozenset[str]] = _codes()


def listed(value: str | None, codes: frozenset[str]) -> bool:
    """Upstream's membership test: the collapsed value is one of ``codes``."""
    return value is not None and norm(value) in codes


def _code_rule(
    rule_id: str,
    message: str,
    contexts: Callable[[TreeView], Iterable[Element]],
    codes: frozenset[str],
    attribute: str | None = None,
) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for el in contexts(u):
            value = el.get(attribute) if attribute else text(el)
            if not listed(value, codes):
                yield loc(el, attribute), {"value": (value or "")[:40]}

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


def _with(tag: str, attribute: str) -> Callable[[TreeView], Iterable[Element]]:
    """``tag[@attribute]`` anywhere."""
    return lambda u: (el for el in u.all(tag) if el.get(attribute) is not None)


def _under(attribute: str, *path: str) -> Callable[[TreeView], Iterable[Element]]:
    """``path[@attribute]`` (a relative context)."""
    return lambda u: (el for el in at(u, *path) if el.get(attribute) is not None)


def _amounts(u: TreeView) -> Iterable[Element]:
    for tag in (*AMOUNT_TAGS, b("TaxAmount"), b("TaxableAmount")):
        yield from u.all(tag)


def _reason_codes(charge: bool) -> Callable[[TreeView], Iterable[Element]]:
    def contexts(u: TreeView) -> Iterable[Element]:
        for ac in u.all(a("AllowanceCharge")):
            if charge_indicator(ac) is charge:
                yield from (c for c in ac if c.tag == b("AllowanceChargeReasonCode"))

    return contexts


def _invoiced_object_schemes(u: TreeView) -> Iterable[Element]:
    for ref_tag in (a("AdditionalDocumentReference"), a("DocumentReference")):
        for ref in u.all(ref_tag):
            if any(text(c) == "130" for c in ref if c.tag == b("DocumentTypeCode")):
                yield from (c for c in ref if c.tag == b("ID") and c.get("schemeID") is not None)


_ICD = CODES["icd"]
_PARTY_SEPA_PARENTS = frozenset({a("AccountingSupplierParty"), a("PayeeParty")})


@rule(
    "ibr-cl-10",
    "fatal",
    "A party identifier scheme (ibt-029, ibt-046, ibt-060) is not an ISO 6523 ICD code "
    "(SEPA is allowed for the seller and the payee).",
)
def ibr_cl_10(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for el in _under("schemeID", a("PartyIdentification"), b("ID"))(u):
        scheme = el.get("schemeID")
        if listed(scheme, _ICD):
            continue
        if listed(scheme, CODES["party_sepa"]) and any(
            p.tag in _PARTY_SEPA_PARENTS for p in el.iterancestors()
        ):
            continue
        yield loc(el, "schemeID"), {"value": scheme[:40]}


for _args in (
    (
        "ibr-cl-03",
        "An amount's currency is not an ISO 4217 code.",
        _amounts,
        CODES["iso4217"],
        "currencyID",
    ),
    (
        "ibr-cl-04",
        "The invoice currency (ibt-005) is not an ISO 4217 code.",
        lambda u: u.all(b("DocumentCurrencyCode")),
        CODES["iso4217"],
    ),
    (
        "ibr-cl-05",
        "The tax accounting currency (ibt-006) is not an ISO 4217 code.",
        lambda u: u.all(b("TaxCurrencyCode")),
        CODES["iso4217"],
    ),
    (
        "ibr-cl-07",
        "The invoiced object scheme (ibt-018-1) is not a UNCL 1153 code.",
        _invoiced_object_schemes,
        CODES["uncl1153"],
        "schemeID",
    ),
    (
        "ibr-cl-11",
        "A legal registration id scheme (ibt-030-1, ibt-047-1, ibt-061-1) is not an ICD code.",
        _under("schemeID", a("PartyLegalEntity"), b("CompanyID")),
        _ICD,
        "schemeID",
    ),
    (
        "ibr-cl-13",
        "An item classification scheme (ibt-158-1) is not a UNCL 7143 code.",
        _under("listID", a("CommodityClassification"), b("ItemClassificationCode")),
        CODES["uncl7143"],
        "listID",
    ),
    (
        "ibr-cl-14",
        "A country code is not an ISO 3166-1 alpha-2 code.",
        lambda u: at(u, a("Country"), b("IdentificationCode")),
        CODES["iso3166"],
    ),
    (
        "ibr-cl-15",
        "The item country of origin (ibt-159) is not an ISO 3166-1 alpha-2 code.",
        lambda u: at(u, a("OriginCountry"), b("IdentificationCode")),
        CODES["iso3166"],
    ),
    (
        "ibr-cl-16",
        "The payment means code (ibt-081) is not a UNCL 4461 code.",
        lambda u: at(u, a("PaymentMeans"), b("PaymentMeansCode")),
        CODES["uncl4461"],
    ),
    (
        "ibr-cl-19",
        "An allowance reason code (ibt-098, ibt-140) is not a UNCL 5189 code.",
        _reason_codes(False),
        CODES["uncl5189"],
    ),
    (
        "ibr-cl-20",
        "A charge reason code (ibt-105, ibt-145) is not a UNCL 7161 code.",
        _reason_codes(True),
        CODES["uncl7161"],
    ),
    (
        "ibr-cl-21",
        "The item standard identifier scheme (ibt-157-1) is not an ICD code.",
        _under("schemeID", a("StandardItemIdentification"), b("ID")),
        _ICD,
        "schemeID",
    ),
    (
        "ibr-cl-23",
        "A unit of measure (ibt-130, ibt-150) is not a UN/ECE Rec 20/21 code.",
        lambda u: (
            el
            for t in ("InvoicedQuantity", "BaseQuantity", "CreditedQuantity")
            for el in _with(b(t), "unitCode")(u)
        ),
        CODES["unece_rec20"],
        "unitCode",
    ),
    (
        "ibr-cl-25",
        "An electronic address scheme (ibt-034-1, ibt-049-1) is not an EAS code.",
        _with(b("EndpointID"), "schemeID"),
        CODES["eas"],
        "schemeID",
    ),
    (
        "ibr-cl-26",
        "The delivery location scheme (ibt-071-1) is not an ICD code.",
        _under("schemeID", a("DeliveryLocation"), b("ID")),
        _ICD,
        "schemeID",
    ),
):
    _code_rule(*_args)


@rule("ibr-cl-24", "fatal", "An attachment's mime code (ibt-125-1) is not an allowed type.")
def ibr_cl_24(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for el in _with(b("EmbeddedDocumentBinaryObject"), "mimeCode")(u):
            # Compared as is, without whitespace collapse, as upstream does.
            if el.get("mimeCode") not in CODES["mime"]:
                yield loc(el, "mimeCode")


def _type_code_rule(target: RuleSet, invoice: frozenset[str], credit: frozenset[str]) -> None:
    @target.rule(
        "ibr-cl-01",
        "fatal",
        "The document type code (ibt-003) is not one the specification allows.",
        syntax="ubl",
    )
    def ibr_cl_01(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for tag, codes in ((b("InvoiceTypeCode"), invoice), (b("CreditNoteTypeCode"), credit)):
            for el in u.all(tag):
                if not listed(text(el), codes):
                    yield loc(el), {"value": text(el)[:40]}


_type_code_rule(PINT_BILLING, CODES["uncl1001_invoice"], CODES["uncl1001_credit_note"])
_type_code_rule(
    PINT_SELFBILLING,
    CODES["uncl1001_invoice_selfbilling"],
    CODES["uncl1001_credit_note_selfbilling"],
)
