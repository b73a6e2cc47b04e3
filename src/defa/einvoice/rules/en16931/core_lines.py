"""EN 16931 core rules on lines, periods, allowances, charges and the VAT breakdown.

BR-21 ... BR-48, BR-54, BR-64 and BR-65, written from the CEN/TC 434 artefacts' abstract
assertions and the contexts of their UBL and CII bindings. As in ``core``, "has" means
the term carries text and "present" means it occurs at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from defa.einvoice.model import Group, Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._access import has
from defa.einvoice.rules.engine import Findings

__all__ = ["EN16931"]

rule = EN16931.rule


# -- invoice lines -----------------------------------------------------------------------


@rule("BR-21", "error", "An invoice line (BG-25) has no identifier (BT-126).", terms=("BT-126",))
def br_21(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        if not has(line, "BT-126"):
            yield line


@rule(
    "BR-22",
    "error",
    "An invoice line (BG-25) has no invoiced quantity (BT-129).",
    terms=("BT-129",),
)
def br_22(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        if "BT-129" not in line.terms:
            yield line


@rule(
    "BR-23",
    "error",
    "An invoice line (BG-25) has no unit of measure code (BT-130) for its quantity.",
    terms=("BT-130",),
)
def br_23(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        if "BT-130" not in line.terms:
            yield line


@rule(
    "BR-24", "error", "An invoice line (BG-25) has no line net amount (BT-131).", terms=("BT-131",)
)
def br_24(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        if "BT-131" not in line.terms:
            yield line


@rule("BR-25", "error", "An invoice line (BG-25) has no item name (BT-153).", terms=("BT-153",))
def br_25(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        if not any(has(item, "BT-153") for item in line.groups.get("BG-31", ())):
            yield line


@rule(
    "BR-26", "error", "An invoice line (BG-25) has no item net price (BT-146).", terms=("BT-146",)
)
def br_26(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        if not any("BT-146" in price.terms for price in line.groups.get("BG-29", ())):
            yield line


@rule("BR-27", "error", "The item net price (BT-146) is negative.", terms=("BT-146",))
def br_27(doc: Invoice) -> Findings:
    # The bindings compare the price with zero, a comparison that also fails when the
    # line has no net price at all. A line has one price (BG-29 and BT-146 are 1..1); a
    # value that is not a number is left to the datatype rules.
    for line in doc.groups.get("BG-25", ()):
        details = line.groups.get("BG-29")
        found = details[0].terms.get("BT-146") if details else None
        if not found:
            yield line
            continue
        value = found[0].decimal()
        if value is not None and value < 0:
            yield found[0]


@rule("BR-28", "error", "The item gross price (BT-148) is negative.", terms=("BT-148",))
def br_28(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for price in line.groups.get("BG-29", ()):
            for gross in price.all("BT-148"):
                value = gross.decimal()
                if value is not None and value < 0:
                    yield gross


@rule(
    "BR-29",
    "error",
    "The invoicing period (BG-14) ends (BT-74) before it starts (BT-73).",
    terms=("BT-73", "BT-74"),
)
def br_29(doc: Invoice) -> Findings:
    for period in _invoicing_periods(doc):
        start, end = period.term("BT-73"), period.term("BT-74")
        if start is not None and end is not None:
            first, last = start.date(), end.date()
            if first is not None and last is not None and last < first:
                yield period


def _invoicing_periods(doc: Invoice) -> Iterator[Group]:
    """The invoicing period (BG-14): in the semantic model it sits in the delivery
    information (BG-13); a reader may also keep it at the document level."""
    yield from doc.groups.get("BG-14", ())
    for delivery in doc.groups.get("BG-13", ()):
        yield from delivery.groups.get("BG-14", ())


@rule(
    "BR-30",
    "error",
    "An invoice line period (BG-26) ends (BT-135) before it starts (BT-134).",
    terms=("BT-134", "BT-135"),
)
def br_30(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for period in line.groups.get("BG-26", ()):
            start, end = period.term("BT-134"), period.term("BT-135")
            if start is not None and end is not None:
                first, last = start.date(), end.date()
                if first is not None and last is not None and last < first:
                    yield period


# -- document level allowances and charges --------------------------------------------------


@rule(
    "BR-31",
    "error",
    "A document level allowance (BG-20) has no amount (BT-92).",
    terms=("BG-20", "BT-92"),
)
def br_31(doc: Invoice) -> Findings:
    for allowance in doc.groups.get("BG-20", ()):
        if "BT-92" not in allowance.terms:
            yield allowance


@rule(
    "BR-32",
    "error",
    "A document level allowance (BG-20) has no VAT category code (BT-95).",
    terms=("BG-20", "BT-95"),
)
def br_32(doc: Invoice) -> Findings:
    for allowance in doc.groups.get("BG-20", ()):
        if "BT-95" not in allowance.terms:
            yield allowance


@rule(
    "BR-33",
    "error",
    "A document level allowance (BG-20) has neither a reason (BT-97) nor a reason code (BT-98).",
    terms=("BG-20", "BT-97", "BT-98"),
)
def br_33(doc: Invoice) -> Findings:
    for allowance in doc.groups.get("BG-20", ()):
        if not ("BT-97" in allowance.terms or "BT-98" in allowance.terms):
            yield allowance


@rule(
    "BR-36",
    "error",
    "A document level charge (BG-21) has no amount (BT-99).",
    terms=("BG-21", "BT-99"),
)
def br_36(doc: Invoice) -> Findings:
    for charge in doc.groups.get("BG-21", ()):
        if "BT-99" not in charge.terms:
            yield charge


@rule(
    "BR-37",
    "error",
    "A document level charge (BG-21) has no VAT category code (BT-102).",
    terms=("BG-21", "BT-102"),
)
def br_37(doc: Invoice) -> Findings:
    for charge in doc.groups.get("BG-21", ()):
        if "BT-102" not in charge.terms:
            yield charge


@rule(
    "BR-38",
    "error",
    "A document level charge (BG-21) has neither a reason (BT-104) nor a reason code (BT-105).",
    terms=("BG-21", "BT-104", "BT-105"),
)
def br_38(doc: Invoice) -> Findings:
    for charge in doc.groups.get("BG-21", ()):
        if not ("BT-104" in charge.terms or "BT-105" in charge.terms):
            yield charge


# -- line level allowances and charges ----------------------------------------------------


@rule(
    "BR-41",
    "error",
    "An invoice line allowance (BG-27) has no amount (BT-136).",
    terms=("BG-27", "BT-136"),
)
def br_41(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for allowance in line.groups.get("BG-27", ()):
            if "BT-136" not in allowance.terms:
                yield allowance


@rule(
    "BR-42",
    "error",
    "An invoice line allowance (BG-27) has neither a reason (BT-139) nor a reason code (BT-140).",
    terms=("BG-27", "BT-139", "BT-140"),
)
def br_42(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for allowance in line.groups.get("BG-27", ()):
            if not ("BT-139" in allowance.terms or "BT-140" in allowance.terms):
                yield allowance


@rule(
    "BR-43",
    "error",
    "An invoice line charge (BG-28) has no amount (BT-141).",
    terms=("BG-28", "BT-141"),
)
def br_43(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for charge in line.groups.get("BG-28", ()):
            if "BT-141" not in charge.terms:
                yield charge


@rule(
    "BR-44",
    "error",
    "An invoice line charge (BG-28) has neither a reason (BT-144) nor a reason code (BT-145).",
    terms=("BG-28", "BT-144", "BT-145"),
)
def br_44(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for charge in line.groups.get("BG-28", ()):
            if not ("BT-144" in charge.terms or "BT-145" in charge.terms):
                yield charge


# -- VAT breakdown -------------------------------------------------------------------------


@rule(
    "BR-45",
    "error",
    "A VAT breakdown (BG-23) has no VAT category taxable amount (BT-116).",
    terms=("BG-23", "BT-116"),
)
def br_45(doc: Invoice) -> Findings:
    for breakdown in doc.groups.get("BG-23", ()):
        if "BT-116" not in breakdown.terms:
            yield breakdown


@rule(
    "BR-46",
    "error",
    "A VAT breakdown (BG-23) has no VAT category tax amount (BT-117).",
    terms=("BG-23", "BT-117"),
)
def br_46(doc: Invoice) -> Findings:
    for breakdown in doc.groups.get("BG-23", ()):
        if "BT-117" not in breakdown.terms:
            yield breakdown


@rule(
    "BR-47",
    "error",
    "A VAT breakdown (BG-23) has no VAT category code (BT-118).",
    terms=("BG-23", "BT-118"),
)
def br_47(doc: Invoice) -> Findings:
    for breakdown in doc.groups.get("BG-23", ()):
        if "BT-118" not in breakdown.terms:
            yield breakdown


@rule(
    "BR-48",
    "error",
    "A VAT breakdown (BG-23) has no VAT category rate (BT-119) and is not for the "
    "category 'not subject to VAT' (O).",
    terms=("BG-23", "BT-119"),
)
def br_48(doc: Invoice) -> Findings:
    for breakdown in doc.groups.get("BG-23", ()):
        if "BT-119" in breakdown.terms:
            continue
        if not any(t.text.strip() == "O" for t in breakdown.all("BT-118")):
            yield breakdown


# -- item information ------------------------------------------------------------------


@rule(
    "BR-54",
    "error",
    "An item attribute (BG-32) lacks its name (BT-160) or its value (BT-161).",
    terms=("BG-32", "BT-160", "BT-161"),
)
def br_54(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for item in line.groups.get("BG-31", ()):
            for attribute in item.groups.get("BG-32", ()):
                if not ("BT-160" in attribute.terms and "BT-161" in attribute.terms):
                    yield attribute


@rule(
    "BR-64",
    "error",
    "The item standard identifier (BT-157) has no scheme identifier (BT-157-1).",
    terms=("BT-157", "BT-157-1"),
)
def br_64(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for item in line.groups.get("BG-31", ()):
            yield from _missing_scheme(item, "BT-157", "BT-157-1")


@rule(
    "BR-65",
    "error",
    "The item classification identifier (BT-158) has no scheme identifier (BT-158-1).",
    terms=("BT-158", "BT-158-1"),
)
def br_65(doc: Invoice) -> Findings:
    for line in doc.groups.get("BG-25", ()):
        for item in line.groups.get("BG-31", ()):
            yield from _missing_scheme(item, "BT-158", "BT-158-1")


def _missing_scheme(group: Group, term_id: str, scheme_id: str) -> Findings:
    """Each identifier whose scheme sub-term is missing.

    A sub-term read from an attribute has its element's ``loc`` plus ``/@name``, which pairs
    it with its identifier; terms without locations (built in code) pair by position.
    """
    identifiers = group.terms.get(term_id)
    if not identifiers:
        return
    schemes = group.terms.get(scheme_id, ())
    owners = {s.loc.rpartition("/@")[0] for s in schemes}
    for position, term in enumerate(identifiers):
        if not (term.loc in owners if term.loc else position < len(schemes)):
            yield term
