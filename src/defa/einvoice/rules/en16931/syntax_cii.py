"""CII syntax-bound rules of the EN 16931 artefacts: CII-SR-*, CII-DT-*.

These rules read the parsed CII tree (``doc.tree``) and run only on documents read from CII.

* The assertions of the form "this element (attribute) should not be present", 523 rules,
  are rows of a data table (``en16931-cii-restrictions``: rule id, flag, path, condition),
  compiled once and found in one walk over the document, as for UBL (``_syntax``).
* The counts and the few assertions that compare values (60 rules) are written in
  ``syntax_cii_sr``.

The artefact puts all these rules in one Schematron pattern, where a node is judged by the
first rule whose context matches it. Two contexts are shadowed that way, and the table says
so: the document type code's attribute rules (CII-DT-010..012) never fire, and the identifier
attribute rules CII-DT-101..104 skip the four identifiers CII-DT-001..007 judge.

Findings point at the first offending element, by its path in the document.
"""

from __future__ import annotations

from typing import Any

from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._syntax import (
    Binding,
    Element,
    Index,
    Restriction,
    restriction_message,
    string_value,
)
from defa.einvoice.rules.pattern import FirstMatch

__all__ = ["CII", "RESTRICTIONS", "index", "kids", "loc"]

_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
_RAM = f"{{{_NS['ram']}}}"
_RSM = f"{{{_NS['rsm']}}}"
_ADDITIONAL = _RAM + "AdditionalReferencedDocument"
_TYPE_CODE = _RAM + "TypeCode"
# The invoiced quantities (CII-DT-033 allows a unit code on quantities when they carry one).
_BILLED_QUANTITY = (
    _RSM + "SupplyChainTradeTransaction",
    _RAM + "IncludedSupplyChainTradeLineItem",
    _RAM + "SpecifiedLineTradeDelivery",
    _RAM + "BilledQuantity",
)


def _below(el: Element, tags: tuple[str, ...]) -> list[Element]:
    found = [el]
    for tag in tags:
        found = [c for parent in found for c in parent.iterchildren(tag)]
    return found


def _condition_holds(row: Restriction, el: Any, root: Any) -> bool:
    """Whether ``row`` fires on ``el`` (the element it names, or its attribute's owner)."""
    cond = row.condition
    parent = el.getparent()
    if cond.startswith("not-on-"):
        return CII.name(el.tag) != cond[len("not-on-") :]
    if cond.startswith("not-in-"):
        return parent is None or CII.name(parent.tag) != cond[len("not-in-") :]
    if cond.startswith("not-under-"):
        return next(el.iterancestors(CII.clark(cond[len("not-under-") :])), None) is None
    if cond.startswith("unless-additional-"):
        codes = cond[len("unless-additional-") :].split("-")
        return not (
            parent is not None
            and parent.tag == _ADDITIONAL
            and any(string_value(c) in codes for c in parent.iterchildren(_TYPE_CODE))
        )
    if cond.startswith("none-has-@"):
        attr = cond[len("none-has-@") :]
        return all(s.get(attr) is None for s in parent.iterchildren(el.tag))
    if cond == "none-is-VAT":
        return all(string_value(s) != "VAT" for s in parent.iterchildren(el.tag))
    if cond == "no-billed-quantity-unit":
        return not _billed_unit(root)
    if cond.startswith("after:"):
        return not _earlier(cond[len("after:") :]).taken(el)
    raise ValueError(f"unknown condition {cond!r} in en16931-cii-restrictions")


_billed_last: tuple[Element, bool] | None = None


def _billed_unit(root: Element) -> bool:
    """Whether some invoiced quantity carries a unit code (asked once per document: every
    quantity with a unit code asks it)."""
    global _billed_last
    cached = _billed_last
    if cached is not None and cached[0] is root:
        return cached[1]
    found = any(q.get("unitCode") is not None for q in _below(root, _BILLED_QUANTITY))
    _billed_last = (root, found)
    return found


_EARLIER: dict[str, FirstMatch] = {}


def _earlier(rule_id: str) -> FirstMatch:
    """The elements the contexts of an earlier rule of the pattern (root-anchored rows of
    ``rule_id``) take first."""
    found = _EARLIER.get(rule_id)
    if found is None:
        under: dict[str, list[tuple[str, ...]]] = {}
        for row in RESTRICTIONS:
            if row.rule_id == rule_id:
                steps = [
                    CII.clark(s) for s in ["rsm:CrossIndustryInvoice", *row.path.split("/")[:-1]]
                ]
                under.setdefault(steps[-1], []).append(tuple(reversed(steps[:-1])))
        found = _EARLIER[rule_id] = FirstMatch(under=under)
    return found


CII: Binding[Index] = Binding(
    _NS, "en16931-cii-restrictions", EN16931.valid_from, _condition_holds, Index
)
RESTRICTIONS = CII.rows
loc = CII.loc
kids = CII.kids
index = CII.index  # the element index of a CII document, built once (the last one is kept)

_EXTRAS = {
    "not-on-ram:TaxTotalAmount": " (except on ram:TaxTotalAmount)",
    "not-in-ram:ApplicableTradeTax": " (except in ram:ApplicableTradeTax)",
    "not-in-ram:InvoiceReferencedDocument": " (except in ram:InvoiceReferencedDocument)",
    "not-under-ram:ApplicableHeaderTradeSettlement": " outside the header trade settlement",
    "unless-additional-916": " unless in an additional supporting document (type 916)",
    "unless-additional-130": " unless in a reference to the invoiced object (type 130)",
    "unless-additional-50-130-916": " unless in an additional document of type 50, 130 or 916",
    "none-has-@schemeID": " without a scheme identifier (@schemeID)",
    "none-is-VAT": " with a value other than VAT",
    "no-billed-quantity-unit": " unless the invoiced quantities (BT-130) carry a unit code",
}

# The engine runs the table as one family; each rule id stays a rule of its own.
CII.register(
    EN16931,
    "cii-restrictions",
    "cii",
    lambda rows: restriction_message(rows, "an EN 16931 CII document", _EXTRAS),
)

# Counts and value rules live in their own module.
from defa.einvoice.rules.en16931 import syntax_cii_sr  # noqa: E402

__all__ += ["syntax_cii_sr"]
