"""Document-wide facts the Peppol rules branch on, computed once per document.

The billing process number (from the profile id, BT-23) and the countries of the seller
and the buyer are read the way Peppol BIS 3 defines them: a party's country comes first
from the prefix of its VAT identifier, then from its postal address.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

from defa.einvoice.rules._tree import CAC, CBC, Element, TreeView, child, find, norm, text

__all__ = [
    "CUSTOMER",
    "SUPPLIER",
    "accounting_supplier_country",
    "company_ids",
    "customer_country",
    "customer_postal_country",
    "german_parties",
    "party",
    "profile",
    "raw_postal_country",
    "raw_vat_ids",
    "seller_in",
    "supplier_country",
    "supplier_postal_country",
    "tax_representative_postal_country",
]

# The profile id names the billing process: urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0.
# Peppol's test is a search, not an anchored match, and its dots match any character.
_PROFILE = re.compile(r"urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0")
UNKNOWN = "Unknown"
# The roles of the seller (BG-4) and the buyer (BG-7) below the document root.
SUPPLIER = "AccountingSupplierParty"
CUSTOMER = "AccountingCustomerParty"
T = TypeVar("T")


def profile(u: TreeView) -> str | None:
    """The billing process (``"01"``), ``"Unknown"``, or None when the id is oddly split."""
    key = "profile"
    if u.known(key):
        return u.memo(key)  # type: ignore[no-any-return]
    found = u.top(CBC + "ProfileID")
    value: str | None = UNKNOWN
    if found:
        pid = norm(text(found[0]))
        if _PROFILE.search(pid):
            # The process is the seventh colon-separated token, as upstream reads it.
            tokens = pid.split(":")
            value = tokens[6] if len(tokens) > 6 else None
    return u.remember(key, value)  # type: ignore[no-any-return]


def party(u: TreeView, role: str) -> Element | None:
    """The ``cac:Party`` of the root's ``role`` (``AccountingSupplierParty``, ...)."""
    key = "party:" + role
    if u.known(key):
        return u.memo(key)
    found = None
    for el in u.top(CAC + role):
        found = child(el, CAC + "Party")
        if found is not None:
            break
    return u.remember(key, found)


def company_ids(holder: Element | None, scheme: str) -> list[Element]:
    """The ``cbc:CompanyID`` of the holder's tax schemes whose first ``cac:TaxScheme/cbc:ID``,
    trimmed, is ``scheme`` (``VAT``: BT-31, BT-48, BT-63; ``TAX``: BT-32), in document order.
    """
    found: list[Element] = []
    for pts in find(holder, CAC + "PartyTaxScheme"):
        ids = find(pts, CAC + "TaxScheme", CBC + "ID")
        if ids and norm(text(ids[0])) == scheme:
            found.extend(find(pts, CBC + "CompanyID"))
    return found


def raw_vat_ids(holder: Element | None) -> list[str]:
    """The holder's VAT identifiers as written, where any tax scheme id is exactly ``VAT``.

    Untrimmed on both sides: the Swedish, Italian and Greek rules compare them so upstream.
    """
    return [
        text(c)
        for pts in find(holder, CAC + "PartyTaxScheme")
        if any(text(i) == "VAT" for i in find(pts, CAC + "TaxScheme", CBC + "ID"))
        for c in find(pts, CBC + "CompanyID")
    ]


def _vat_prefix(holder: Element | None) -> str | None:
    """The first two characters of the holder's VAT identifier, trimmed and upper-cased;
    None when it has none. Upstream tests the untrimmed characters for presence, then uses
    the trimmed ones, so two spaces give an empty country rather than a fallback.
    """
    if holder is None:
        return None
    for scheme in holder:
        if scheme.tag != CAC + "PartyTaxScheme":
            continue
        tax = child(scheme, CAC + "TaxScheme")
        ids = [text(i) for i in tax if i.tag == CBC + "ID"] if tax is not None else []
        if "VAT" in ids:
            company = child(scheme, CBC + "CompanyID")
            prefix = text(company)[:2] if company is not None else ""
            return norm(prefix).upper() if prefix else None
    return None


def _postal_country(holder: Element | None) -> str | None:
    """The holder's postal country code, trimmed and upper-cased; None when absent."""
    found = find(holder, CAC + "PostalAddress", CAC + "Country", CBC + "IdentificationCode")
    return norm(text(found[0])).upper() if found else None


_MISSING: Any = object()


def _kept(u: TreeView, key: str, compute: Callable[[], T]) -> T:
    """A per-document fact: computed on first use, then kept in the document's view."""
    found = u.facts.get(key, _MISSING)
    if found is _MISSING:
        found = u.facts[key] = compute()
    return cast(T, found)


def supplier_postal_country(u: TreeView) -> str | None:
    """The seller's postal country code (BT-40), upper case, or None when absent."""
    found = u.facts.get("supplier_postal", _MISSING)  # hot: asked by most national rules
    if found is _MISSING:
        found = u.facts["supplier_postal"] = _postal_country(party(u, SUPPLIER))
    return cast(str | None, found)


def customer_postal_country(u: TreeView) -> str | None:
    """The buyer's postal country code (BT-55), upper case, or None when absent."""
    found = u.facts.get("customer_postal", _MISSING)
    if found is _MISSING:
        found = u.facts["customer_postal"] = _postal_country(party(u, CUSTOMER))
    return cast(str | None, found)


def raw_postal_country(u: TreeView, role: str) -> str:
    """The party's postal country code exactly as written (some national rules compare it
    untrimmed), or an empty string.
    """
    key = "raw_postal:" + role
    found = u.facts.get(key, _MISSING)
    if found is _MISSING:
        path = (CAC + "PostalAddress", CAC + "Country", CBC + "IdentificationCode")
        codes = find(party(u, role), *path)
        found = u.facts[key] = text(codes[0]) if codes else ""
    return cast(str, found)


def tax_representative_postal_country(u: TreeView) -> str | None:
    """The tax representative's postal country code (BT-69), upper case, or None."""
    reps = u.top(CAC + "TaxRepresentativeParty")
    return _postal_country(reps[0]) if reps else None


def _or_address(prefix: str | None, address: str | None) -> str:
    if prefix is not None:
        return prefix
    return address if address is not None else "XX"


def accounting_supplier_country(u: TreeView) -> str:
    """Seller's country from its own VAT identifier, else its address, else XX (no tax
    representative fallback: the Greek endpoint rule reads it this way).
    """
    return _kept(
        u,
        "accounting_supplier_country",
        lambda: _or_address(_vat_prefix(party(u, SUPPLIER)), supplier_postal_country(u)),
    )


def supplier_country(u: TreeView) -> str:
    """Seller's country: VAT prefix, else the tax representative's, else address, else XX."""

    def compute() -> str:
        prefix = _vat_prefix(party(u, SUPPLIER))
        if prefix is None:
            reps = u.top(CAC + "TaxRepresentativeParty")
            prefix = _vat_prefix(reps[0]) if reps else None
        return _or_address(prefix, supplier_postal_country(u))

    return _kept(u, "supplier_country", compute)


def customer_country(u: TreeView) -> str:
    """Buyer's country: its VAT identifier's prefix, else its address, else XX."""
    return _kept(
        u,
        "customer_country",
        lambda: _or_address(_vat_prefix(party(u, CUSTOMER)), customer_postal_country(u)),
    )


def seller_in(u: TreeView | None, country: str) -> Element | None:
    """The seller's ``cac:Party`` when the seller's country (:func:`supplier_country`) is
    ``country``; None otherwise, or when there is no tree to read."""
    if u is None or supplier_country(u) != country:
        return None
    return party(u, SUPPLIER)


def german_parties(u: TreeView) -> bool:
    """True when both seller and buyer have German postal addresses (R002, P0112, DE-R)."""
    found = u.facts.get("german_parties", _MISSING)
    if found is _MISSING:
        found = u.facts["german_parties"] = (
            supplier_postal_country(u) == "DE" and customer_postal_country(u) == "DE"
        )
    return cast(bool, found)
