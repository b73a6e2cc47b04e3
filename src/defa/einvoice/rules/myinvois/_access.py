"""Helpers for the MyInvois rules: party identifiers by scheme, the code tables, places."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache

from defa import data
from defa.einvoice.model import Group, Invoice, Term

__all__ = ["codes", "group_at", "identifiers", "lines", "myinvois_view", "types", "walk_terms"]

#: The party identifier terms of the supplier and buyer and their scheme sub-terms.
PARTY_IDS = {"BG-4": ("BT-29", "BT-29-1"), "BG-7": ("BT-46", "BT-46-1")}
#: Registration schemes: one of these identifies a supplier, buyer or recipient.
REGISTRATION_SCHEMES = frozenset({"BRN", "NRIC", "PASSPORT", "ARMY"})
SCHEMES = REGISTRATION_SCHEMES | {"TIN", "SST", "TTX"}


@cache
def codes(table: str) -> frozenset[str]:
    """A MyInvois code table (``my-myinvois-codes``), loaded once."""
    found = data.load("my-myinvois-codes", date(2024, 8, 1)).content["codes"][table]
    return frozenset(str(c) for c in found)


@cache
def types() -> dict[str, dict[str, object]]:
    """What each e-invoice type code is (``kind``, ``self_billed``)."""
    found = data.load("my-myinvois-codes", date(2024, 8, 1)).content["types"]
    return {str(k): dict(v) for k, v in found.items()}


def group_at(doc: Group, *path: str) -> Group | None:
    """The first group along a path of group ids, or None."""
    g: Group | None = doc
    for gid in path:
        g = g.child(gid) if g is not None else None
    return g


def identifiers(party: Group, term: str, scheme: str) -> dict[str, list[Term]]:
    """A party's identifiers by scheme (``cbc:ID/@schemeID``), paired through ``loc``."""
    schemes = {t.loc: t.text.strip() for t in party.all(scheme)}
    out: dict[str, list[Term]] = {}
    for t in party.all(term):
        out.setdefault(schemes.get(f"{t.loc}/@schemeID", ""), []).append(t)
    return out


_UBL_INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
# the last document seen and its MyInvois reading: every rule of a run asks for the same one
_LAST: list[tuple[Invoice, Invoice]] = []


def myinvois_view(doc: Invoice) -> Invoice:
    """``doc`` as the MyInvois reader reads it.

    A document read by the MyInvois readers (it has ``MY-...`` terms) or built in code (no
    tree) is used as it is; a UBL Invoice read by the engine's UBL reader, which does not
    know the MyInvois elements, is read again from its tree with the MyInvois binding.
    """
    if doc.tree is None or doc.syntax != "ubl" or getattr(doc.tree, "tag", None) != _UBL_INVOICE:
        return doc
    if any(key.startswith("MY-") for key in doc.terms):
        return doc
    if _LAST and _LAST[0][0] is doc:
        return _LAST[0][1]
    from defa.countries.my.myinvois.xml_syntax import read_ubl  # country layer, loaded late

    view = read_ubl(doc.tree)
    _LAST[:] = [(doc, view)]
    return view


def lines(doc: Invoice) -> list[Group]:
    return doc.children("BG-25")


def walk_terms(group: Group, term_id: str) -> Iterator[Term]:
    """Every occurrence of a term in a group and the groups below it."""
    for g in group.walk():
        yield from g.all(term_id)
