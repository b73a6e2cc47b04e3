"""PINT MY aligned rules: identifiers of the specification and the parties, the tax
breakdown per Malaysian category (SA, SE, HVG, LVG, E, O, TTX) and the code lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from defa import data
from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.pint._xp import (
    Element,
    TreeView,
    a,
    at,
    b,
    child,
    decimal,
    exists,
    find,
    loc,
    norm,
    slack,
    text,
    tree,
    xpath_round2,
)
from defa.einvoice.rules.pint.amounts import document_charges
from defa.einvoice.rules.pint_my import (
    MY_CUSTOMIZATION,
    MY_PINT,
    MY_PINT_SELFBILLING,
    MY_PROCESS,
    MY_SELFBILLING_CUSTOMIZATION,
    MY_SELFBILLING_PROCESS,
    rule,
)

__all__ = ["MY_CATEGORIES", "PROFILES", "category_rate", "scheme_is"]

# Specification id prefix and business process per set (aligned-ibrp-001-my, -002).
# (aligned-ibrp-002 uses matches(), an unanchored regular expression search.)
PROFILES = {
    MY_PINT.id: (MY_CUSTOMIZATION, re.compile(MY_PROCESS)),
    MY_PINT_SELFBILLING.id: (MY_SELFBILLING_CUSTOMIZATION, re.compile(MY_SELFBILLING_PROCESS)),
}
MY_CATEGORIES = frozenset(
    data.load("pint-my-tax-categories", MY_PINT.valid_from).content["categories"]
)
# ibr-cl-05-my: a tax accounting currency, if any, is the ringgit.
_TAX_CURRENCIES = frozenset({"MYR"})
_RATED = ("SA", "SE", "HVG", "LVG")
_TOLERANCE = Decimal("0.02")
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def scheme_is(category: Element, scheme: str) -> bool:
    """``cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = scheme``."""
    return any(norm(text(i).upper()) == scheme for i in find(category, a("TaxScheme"), b("ID")))


def _code(category: Element) -> str:
    return norm(text(child(category, b("ID"))))


def category_rate(category: Element) -> Decimal | None:
    """``xs:decimal((cbc:Percent, 0)[1])``: the rate, 0 when absent, None if not a number."""
    percent = child(category, b("Percent"))
    return decimal(percent) if percent is not None else _ZERO


# -- the document ------------------------------------------------------------------------------


def _profile_rule(rule_id: str, message: str, which: int) -> None:
    """aligned-ibrp-001-my and -002: the value depends on the set running the rule."""
    for target in (MY_PINT, MY_PINT_SELFBILLING):
        prefix, process = PROFILES[target.id]

        def check(
            doc: Invoice, prefix: str = prefix, process: re.Pattern[str] = process
        ) -> Findings:
            u = tree(doc)
            if u is None:
                return
            if which == 1:
                node = child(u.root, b("CustomizationID"))
                if not norm(node.text if node is not None else "").startswith(prefix):
                    yield loc(node if node is not None else u.root), {"expected": prefix}
            else:
                node = child(u.root, b("ProfileID"))
                if node is None or not process.search(norm(text(node))):
                    yield loc(node if node is not None else u.root), {"expected": process.pattern}

        check.__name__ = f"{rule_id}:{target.id}"
        target.rule(
            rule_id, "fatal", message.format(prefix=prefix, process=process.pattern), syntax="ubl"
        )(check)


_profile_rule(
    "aligned-ibrp-001-my", "The specification identifier (ibt-024) must start with '{prefix}'.", 1
)
_profile_rule("aligned-ibrp-002", "The business process (ibt-023) must be '{process}'.", 2)

_SELLER = (a("AccountingSupplierParty"), a("Party"))
_BUYER = (a("AccountingCustomerParty"), a("Party"))


@rule("ibr-02-my", "fatal", "The supplier's BRN (ibt-030) is missing.")
def ibr_02_my(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None and not exists(u.root, *_SELLER, a("PartyLegalEntity"), b("CompanyID")):
        yield loc(u.root)


@rule("ibr-03-my", "fatal", "The buyer's BRN (ibt-047) is missing.")
def ibr_03_my(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None and not exists(u.root, *_BUYER, a("PartyLegalEntity"), b("CompanyID")):
        yield loc(u.root)


@rule("ibr-04-my", "fatal", "The supplier's TIN (ibt-032) is missing.")
def ibr_04_my(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    schemes = find(u.root, *_SELLER, a("PartyTaxScheme"))
    tin = any(
        exists(s, b("CompanyID"))
        and any(text(i) != "VAT" for i in find(s, a("TaxScheme"), b("ID")))
        for s in schemes
    )
    unschemed = any(
        el.get("schemeID") is None
        for el in find(u.root, *_SELLER, a("PartyIdentification"), b("ID"))
    )
    if not (tin or unschemed):
        yield loc(u.root)


# -- tax breakdown -----------------------------------------------------------------------------


@rule("aligned-ibrp-046", "fatal", "A tax breakdown (ibg-23) has no tax amount (ibt-117).")
def aligned_046(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(s) for s in u.all(a("TaxSubtotal")) if not exists(s, b("TaxAmount")))


@rule(
    "aligned-ibrp-047",
    "fatal",
    "A tax breakdown (ibg-23) has no tax category code (ibt-118): VAT needs a code, AAL 'TTX'.",
)
def aligned_047(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for s in u.all(a("TaxSubtotal")):
        cats = find(s, a("TaxCategory"))
        if not any(
            (scheme_is(c, "VAT") and exists(c, b("ID")))
            or (scheme_is(c, "AAL") and _code(c) == "TTX")
            for c in cats
        ):
            yield loc(s)


@rule(
    "aligned-ibrp-048",
    "fatal",
    "A VAT tax breakdown needs a rate (ibt-119) unless its category is O; a TTX breakdown has "
    "none.",
)
def aligned_048(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for s in u.all(a("TaxSubtotal")):
        cats = find(s, a("TaxCategory"))
        if not any(
            (scheme_is(c, "VAT") and (exists(c, b("Percent")) or _code(c) == "O"))
            or (scheme_is(c, "AAL") and _code(c) == "TTX" and not exists(c, b("Percent")))
            for c in cats
        ):
            yield loc(s)


def _breakdowns(u: TreeView, code: str, scheme: str) -> Iterator[Element]:
    """``/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[ID = code][scheme]``."""
    for total in u.top(a("TaxTotal")):
        for c in find(total, a("TaxSubtotal"), a("TaxCategory")):
            if _code(c) == code and scheme_is(c, scheme):
                yield c


def _has(el: Element, path: tuple[str, ...], code: str, rate: Decimal | None) -> bool:
    """``el[path/normalize-space(cbc:ID) = code][path/xs:decimal((cbc:Percent, 0)[1]) = rate]``
    (rate None: any rate)."""
    cats = find(el, *path)
    return any(_code(c) == code for c in cats) and (
        rate is None or any(category_rate(c) == rate for c in cats)
    )


_LINE_CATEGORY = (a("Item"), a("ClassifiedTaxCategory"))
_CHARGE_CATEGORY = (a("TaxCategory"),)


def _basis(owner: Element, line_tag: str, code: str, rate: Decimal | None) -> Decimal:
    """Line net amounts + document charges - document allowances of ``code`` (and rate)."""
    total = _ZERO
    for line in find(owner, line_tag):
        if _has(line, _LINE_CATEGORY, code, rate):
            total += sum((decimal(x) or _ZERO for x in find(line, b("LineExtensionAmount"))), _ZERO)
    for charge, sign in ((True, 1), (False, -1)):
        for ac in document_charges(owner, charge):
            if _has(ac, _CHARGE_CATEGORY, code, rate):
                total += sign * sum((decimal(x) or _ZERO for x in find(ac, b("Amount"))), _ZERO)
    return total


def _rated_rules(code: str) -> None:
    lower = code.lower()

    @rule(
        f"aligned-ibrp-{lower}-08",
        "fatal",
        f"The {code} taxable amount (ibt-116) per rate is not the {code} line net amounts + "
        "charges - allowances at that rate.",
    )
    def taxable(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for c in _breakdowns(u, code, "VAT"):
            rate = category_rate(c)
            subtotal = c.getparent()
            owner = subtotal.getparent().getparent()
            stated = decimal(child(subtotal, b("TaxableAmount")))
            used_charges = any(
                _has(ac, _CHARGE_CATEGORY, code, rate) for ac in u.all(a("AllowanceCharge"))
            )
            ok = False
            for tag in (a("InvoiceLine"), a("CreditNoteLine")):
                used = used_charges or any(
                    _has(line, _LINE_CATEGORY, code, rate) for line in u.all(tag)
                )
                if used and stated is not None and rate is not None:
                    ok = ok or slack(stated, _basis(owner, tag, code, rate), _TOLERANCE)
            if not ok:
                yield loc(subtotal)

    @rule(
        f"aligned-ibrp-{lower}-09",
        "fatal",
        f"The {code} tax amount (ibt-117) is not taxable amount (ibt-116) x rate (ibt-119).",
    )
    def amount(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for c in _breakdowns(u, code, "VAT"):
            subtotal = c.getparent()
            tax = decimal(child(subtotal, b("TaxAmount")))
            taxable_amount = decimal(child(subtotal, b("TaxableAmount")))
            rate = category_rate(c)
            if tax is None or taxable_amount is None or rate is None:
                yield loc(subtotal)
                continue
            expected = xpath_round2(abs(taxable_amount) * (rate / _HUNDRED))
            if not slack(abs(tax), expected, _TOLERANCE):
                yield loc(subtotal), {"expected": str(expected)}

    @rule(
        f"aligned-ibrp-{lower}-10",
        "fatal",
        f"A {code} tax breakdown must not have an exemption reason (ibt-120) or code (ibt-121).",
    )
    def no_exemption(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for c in _breakdowns(u, code, "VAT"):
            if exists(c, b("TaxExemptionReason")) or exists(c, b("TaxExemptionReasonCode")):
                yield loc(c)


for _code_value in _RATED:
    _rated_rules(_code_value)


@rule("aligned-ibrp-ttx-08", "fatal", "A tourism tax (TTX/AAL) breakdown must not have a rate.")
def aligned_ttx_08(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        yield from (loc(c) for c in _breakdowns(u, "TTX", "AAL") if exists(c, b("Percent")))


@rule(
    "aligned-ibrp-ttx-09",
    "fatal",
    "The tourism tax (TTX/AAL) amount is not the sum of the lines' TTX tax amounts and the TTX "
    "charges less allowances.",
)
def aligned_ttx_09(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for c in _breakdowns(u, "TTX", "AAL"):
        subtotal = c.getparent()
        owner = subtotal.getparent().getparent()
        tax = decimal(child(subtotal, b("TaxAmount")))
        ok = False
        for tag in (a("InvoiceLine"), a("CreditNoteLine")):
            if not u.all(tag) or tax is None:
                continue
            total = _ZERO
            for line in find(owner, tag):
                if any(_code(cat) == "TTX" for cat in find(line, *_LINE_CATEGORY)):
                    for x in find(line, a("TaxTotal"), b("TaxAmount")):
                        total += decimal(x) or _ZERO
            for charge, sign in ((True, 1), (False, -1)):
                for ac in document_charges(owner, charge):
                    if any(_code(cat) == "TTX" for cat in find(ac, a("TaxCategory"))):
                        total += sign * sum(
                            (decimal(x) or _ZERO for x in find(ac, b("Amount"))), _ZERO
                        )
            ok = ok or slack(abs(tax), total, _TOLERANCE)
        if not ok:
            yield loc(subtotal)


@rule(
    "aligned-ibrp-e-08",
    "fatal",
    "The exempt (E) taxable amount (ibt-116) is not the E line net amounts + charges - allowances.",
)
def aligned_e_08(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for c in _breakdowns(u, "E", "VAT"):
        subtotal = c.getparent()
        owner = subtotal.getparent().getparent()
        stated = decimal(child(subtotal, b("TaxableAmount")))
        ok = any(
            u.all(tag) and stated is not None and stated == _basis(owner, tag, "E", None)
            for tag in (a("InvoiceLine"), a("CreditNoteLine"))
        )
        if not ok:
            yield loc(subtotal)


def _zero_tax_rule(rule_id: str, message: str, code: str) -> None:
    def check(doc: Invoice) -> Findings:
        u = tree(doc)
        if u is None:
            return
        for c in _breakdowns(u, code, "VAT"):
            subtotal = c.getparent()
            if decimal(child(subtotal, b("TaxAmount"))) != _ZERO:
                yield loc(subtotal)

    check.__name__ = rule_id
    rule(rule_id, "fatal", message)(check)


_zero_tax_rule("aligned-ibrp-e-09", "The exempt (E) tax amount (ibt-117) is not 0.", "E")
_zero_tax_rule("aligned-ibrp-o-09", "The out-of-scope (O) tax amount (ibt-117) is not 0.", "O")


@rule("aligned-ibrp-e-05", "fatal", "An exempt (E) line's tax rate (ibt-152) is not 0.")
def aligned_e_05(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for tag in (a("InvoiceLine"), a("CreditNoteLine")):
        for c in at(u, tag, a("Item"), a("ClassifiedTaxCategory")):
            if _code(c) == "E" and scheme_is(c, "VAT") and category_rate(c) != _ZERO:
                yield loc(c)


# -- code lists ------------------------------------------------------------------------------


@rule(
    "aligned-ibrp-cl-01-my",
    "fatal",
    "The tax category code is not a Malaysian code (SA, SE, HVG, LVG, E, O, TTX).",
)
def aligned_cl_01(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is None:
        return
    for parent in (a("TaxCategory"), a("ClassifiedTaxCategory")):
        for el in at(u, parent, b("ID")):
            if norm(text(el)) not in MY_CATEGORIES:
                yield loc(el), {"value": text(el)[:40]}


@rule("ibr-cl-05-my", "fatal", "The tax accounting currency (ibt-006) is not MYR.")
def ibr_cl_05_my(doc: Invoice) -> Findings:
    u = tree(doc)
    if u is not None:
        for el in u.all(b("TaxCurrencyCode")):
            if norm(text(el)) not in _TAX_CURRENCIES:
                yield loc(el), {"value": text(el)[:40]}
