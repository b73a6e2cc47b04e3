"""The catalogue of EN 16931 business terms and groups, from packaged data.

``data/einvoice/en16931-terms.toml`` lists every business term (BT-1 ... BT-165 and the
binding's attribute sub-terms such as BT-29-1) and group (BG-1 ... BG-32) with its name,
cardinality, semantic data type and parent group, as EN 16931-1:2017 defines them::

    >>> from defa.einvoice.terms import term
    >>> term("BT-31").name, term("BT-31").type, term("BT-31").parent
    ('Seller VAT identifier', 'Identifier', 'BG-4')

The model read from a syntax keeps the standard's nesting with two deliberate exceptions,
listed in :data:`MODEL_PARENT`: both UBL and CII carry the invoicing period (BG-14) at
document level, and the bank assigned creditor identifier (BT-90) as a party identifier
(UBL) or a settlement reference (CII), so the model holds both at document level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import MappingProxyType

from defa import data
from defa.errors import DataError, Issue, LookupFailed

__all__ = [
    "DATA_ID",
    "MODEL_PARENT",
    "TYPES",
    "BusinessGroup",
    "BusinessTerm",
    "group",
    "groups",
    "term",
    "terms",
]

DATA_ID = "en16931-terms"

#: EN 16931-1's semantic data types.
TYPES = frozenset(
    {
        "Amount",
        "Unit Price Amount",
        "Quantity",
        "Percentage",
        "Date",
        "Code",
        "Identifier",
        "Text",
        "Document Reference",
        "Binary object",
    }
)

#: Where the model read from UBL or CII holds an item whose EN 16931-1 parent differs.
MODEL_PARENT: Mapping[str, str] = MappingProxyType(
    {
        "BG-14": "INVOICE",  # EN 16931-1: under BG-13; both syntaxes: document level
        "BT-90": "INVOICE",  # EN 16931-1: BG-19; UBL: a party's identifier, CII: settlement
    }
)


@dataclass(frozen=True, slots=True)
class BusinessTerm:
    """One business term of EN 16931-1."""

    id: str
    name: str
    cardinality: str  # "0..1", "1..1", "0..n", "1..n"
    type: str  # one of TYPES
    parent: str  # a BG id, or "INVOICE"
    attribute_of: str | None = None  # for sub-terms such as BT-29-1: the term they qualify

    @property
    def required(self) -> bool:
        """True when the term must occur whenever its group does."""
        return self.cardinality.startswith("1")

    @property
    def repeats(self) -> bool:
        return self.cardinality.endswith("n")


@dataclass(frozen=True, slots=True)
class BusinessGroup:
    """One business group of EN 16931-1."""

    id: str
    name: str
    cardinality: str
    parent: str

    @property
    def required(self) -> bool:
        return self.cardinality.startswith("1")

    @property
    def repeats(self) -> bool:
        return self.cardinality.endswith("n")


@cache
def _load(as_of: date | None) -> tuple[Mapping[str, BusinessTerm], Mapping[str, BusinessGroup]]:
    found = data.load(DATA_ID, as_of)
    try:
        term_rows = found.content["term"]
        group_rows = found.content["group"]
        terms_ = {
            r["id"]: BusinessTerm(
                r["id"],
                r["name"],
                r["cardinality"],
                r["type"],
                r["parent"],
                r.get("attribute_of"),
            )
            for r in term_rows
        }
        groups_ = {
            r["id"]: BusinessGroup(r["id"], r["name"], r["cardinality"], r["parent"])
            for r in group_rows
        }
    except (KeyError, TypeError) as exc:
        raise DataError(
            Issue("data.malformed", f"{found.path}: bad term row ({exc})", loc=found.path)
        ) from exc
    bad = sorted(t.id for t in terms_.values() if t.type not in TYPES)
    if bad:
        raise DataError(
            Issue("data.malformed", f"{found.path}: unknown data type of {bad}", loc=found.path)
        )
    return MappingProxyType(terms_), MappingProxyType(groups_)


def terms(as_of: date | None = None) -> Mapping[str, BusinessTerm]:
    """Every business term by id (BT-1 ... BT-165 and sub-terms such as BT-29-1)."""
    return _load(as_of)[0]


def groups(as_of: date | None = None) -> Mapping[str, BusinessGroup]:
    """Every business group by id (BG-1 ... BG-32)."""
    return _load(as_of)[1]


def term(term_id: str, as_of: date | None = None) -> BusinessTerm:
    """One business term; ``LookupFailed`` (``data.unknown_id``) if there is none."""
    found = terms(as_of).get(term_id)
    if found is None:
        raise LookupFailed(
            Issue("data.unknown_id", f"EN 16931 has no business term {term_id!r:.40}", loc="id")
        )
    return found


def group(group_id: str, as_of: date | None = None) -> BusinessGroup:
    """One business group; ``LookupFailed`` (``data.unknown_id``) if there is none."""
    found = groups(as_of).get(group_id)
    if found is None:
        raise LookupFailed(
            Issue("data.unknown_id", f"EN 16931 has no business group {group_id!r:.40}", loc="id")
        )
    return found
