"""UBL syntax-bound rules of the EN 16931 artefacts: UBL-CR-*, UBL-SR-*, UBL-DT-*.

These rules read the parsed UBL tree (``doc.tree``) and run only on documents read from UBL.

* UBL-CR-* ("this element should not be present", about 680 rules) and the attribute rules
  UBL-DT-08..28 are rows of a data table (``en16931-ubl-restrictions``: rule id, flag, element
  path). The table is compiled once into lookups by path, and one walk over the tree finds
  every row that fires; each rule then only asks the walk's result (see ``_syntax``, shared
  with the CII rules).
* UBL-SR-* (cardinalities the UBL schema allows but EN 16931 does not) and UBL-DT-01/06/07
  (amount decimals, binary object attributes) are written in ``syntax_ubl_sr``; the plain
  "at most one" counts are a small table of their own.

Findings point at the first offending element, by its path in the document.
"""

from __future__ import annotations

from typing import Any

from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.en16931._syntax import Binding, Element, Index, Restriction
from defa.einvoice.rules.en16931._syntax import restriction_message as _message

__all__ = ["RESTRICTIONS", "UBL", "Index", "index", "kids", "loc", "restriction_hits"]

_NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
_DOCUMENT_TYPE_CODE = f"{{{_NS['cbc']}}}DocumentTypeCode"


class UBLIndex(Index):
    """The element index, with the elements the UBL data type rules read."""

    __slots__ = ("amounts", "binary_objects")

    def __init__(self, root: Element, binding: Binding[Any]) -> None:
        super().__init__(root, binding)
        by_tag = self.by_tag
        tags = [t for t in by_tag if isinstance(t, str)]
        # UBL-DT-01: names ending in Amount, but not PriceAmount; UBL-DT-06/07: BinaryObject.
        self.amounts = [
            el
            for t in tags
            if t.endswith("Amount") and not t.endswith("PriceAmount")
            for el in by_tag[t]
        ]
        self.binary_objects = [el for t in tags if t.endswith("BinaryObject") for el in by_tag[t]]


def _condition_holds(row: Restriction, el: Any, root: Any) -> bool:
    cond = row.condition
    if cond == "text-not-2.1":
        return bool(el.text != "2.1")
    if cond == "invoice-only":
        return UBL.name(root.tag) != "CreditNote"
    if cond.startswith("doctype-"):
        # The row's element (or attribute owner) sits directly in an AdditionalDocumentReference.
        ref = el.getparent()
        is_130 = ref is not None and any(
            c.text == "130" for c in ref.iterchildren(_DOCUMENT_TYPE_CODE)
        )
        return is_130 if cond == "doctype-130" else not is_130
    if cond.startswith("not-on-"):
        return UBL.name(el.tag) != cond[len("not-on-") :]
    raise ValueError(f"unknown condition {cond!r} in en16931-ubl-restrictions")


UBL: Binding[UBLIndex] = Binding(
    _NS, "en16931-ubl-restrictions", EN16931.valid_from, _condition_holds, UBLIndex
)
RESTRICTIONS = UBL.rows
_name = UBL.name
_clark = UBL.clark
loc = UBL.loc
kids = UBL.kids
restriction_hits = UBL.hits
index = UBL.index  # the element index of a UBL document, built once (the last one is kept)


_EXTRAS = {
    "text-not-2.1": " unless it is 2.1",
    "invoice-only": " of an invoice",
    "doctype-130": " when it references the invoiced object (document type 130)",
    "doctype-not-130": " unless it references the invoiced object (document type 130)",
    "not-on-cbc:PaymentMeansCode": " (except on cbc:PaymentMeansCode)",
}

# The engine runs the table as one family; each row stays a rule of its own.
UBL.register(
    EN16931,
    "ubl-restrictions",
    "ubl",
    lambda rows: _message(rows, "an EN 16931 UBL document", _EXTRAS),
)

# Cardinality, data type and binary object rules live in their own module.
from defa.einvoice.rules.en16931 import syntax_ubl_sr  # noqa: E402

__all__ += ["syntax_ubl_sr"]
