"""Document-wide facts the Peppol rules branch on, computed once per document.

The billing process number (from the profile id, BT-23) and the countries of the seller
and the buyer are read the way Peppol BIS 3 defines them: a party's country comes first
from the prefix of its VAT identifier, then from its postal address.
"""

from __future__ import annotations

import re

from defa.einvoice.rules.peppol._ubl import CAC, CBC, Element, Ubl, child, find, norm, text

__all__ = [
    "accounting_supplier_country",
    "customer_country",
    "customer_postal_country",
    "german_parties",
    "party",
    "profile",
    "raw_postal_country",
    "supplier_country",
    "supplier_postal_country",
    "tax_representative_postal_country",
]

# The profile id names the billing process: urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0.
# Peppol's test is a search, not an anchored match, and its dots match any character.
_PROFILE = re.compile(r"urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0")
UNKNOWN = "Unknown"


def profile(u: Ubl) -> str | None:
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


def party(u: Ubl, role: str) -> Element | None:
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


def _vat_prefix(holder: Element | None) -> str:
    """The first two characters of the holder's VAT identifier (PartyTaxScheme with VAT)."""
    if holder is None:
        return ""
    for scheme in holder:
        if scheme.tag != CAC + "PartyTaxScheme":
            continue
        tax = child(scheme, CAC + "TaxScheme")
        ids = [text(i) for i in tax if i.tag == CBC + "ID"] if tax is not None else []
        if "VAT" in ids:
            company = child(scheme, CBC + "CompanyID")
            return norm(text(company)[:2]).upper() if company is not None else ""
    return ""


def _postal_country(party: Element | None) -> str | None:
    if party is None:
        return None
    address = child(party, CAC + "PostalAddress")
    country = child(address, CAC + "Country") if address is not None else None
    code = child(country, CBC + "IdentificationCode") if country is not None else None
    return norm(text(code)).upper() if code is not None else None


def supplier_postal_country(u: Ubl) -> str | None:
    """The seller's postal country code (BT-40), upper case, or None when absent."""
    if u.known("supplier_postal"):
        return u.memo("supplier_postal")  # type: ignore[no-any-return]
    return u.remember("supplier_postal", _postal_country(party(u, "AccountingSupplierParty")))  # type: ignore[no-any-return]


def customer_postal_country(u: Ubl) -> str | None:
    """The buyer's postal country code (BT-55), upper case, or None when absent."""
    if u.known("customer_postal"):
        return u.memo("customer_postal")  # type: ignore[no-any-return]
    return u.remember("customer_postal", _postal_country(party(u, "AccountingCustomerParty")))  # type: ignore[no-any-return]


def raw_postal_country(u: Ubl, role: str) -> str:
    """The party's postal country code exactly as written (some national rules compare it
    untrimmed), or an empty string.
    """
    key = "raw_postal:" + role
    if u.known(key):
        return u.memo(key)  # type: ignore[no-any-return]
    found = find(party(u, role), CAC + "PostalAddress", CAC + "Country", CBC + "IdentificationCode")
    return u.remember(key, text(found[0]) if found else "")  # type: ignore[no-any-return]


def tax_representative_postal_country(u: Ubl) -> str | None:
    """The tax representative's postal country code (BT-69), upper case, or None."""
    reps = u.top(CAC + "TaxRepresentativeParty")
    return _postal_country(reps[0]) if reps else None


def accounting_supplier_country(u: Ubl) -> str:
    """Seller's country from its own VAT identifier, else its address, else XX (no tax
    representative fallback: the Greek endpoint rule reads it this way).
    """
    if u.known("accounting_supplier_country"):
        return u.memo("accounting_supplier_country")  # type: ignore[no-any-return]
    value = _vat_prefix(party(u, "AccountingSupplierParty"))
    return u.remember(  # type: ignore[no-any-return]
        "accounting_supplier_country", value or supplier_postal_country(u) or "XX"
    )


def supplier_country(u: Ubl) -> str:
    """Seller's country: VAT prefix, else the tax representative's, else address, else XX."""
    key = "supplier_country"
    if u.known(key):
        return u.memo(key)  # type: ignore[no-any-return]
    value = _vat_prefix(party(u, "AccountingSupplierParty"))
    if not value:
        reps = u.top(CAC + "TaxRepresentativeParty")
        value = _vat_prefix(reps[0]) if reps else ""
    if not value:
        value = supplier_postal_country(u) or "XX"
    return u.remember(key, value)  # type: ignore[no-any-return]


def customer_country(u: Ubl) -> str:
    """Buyer's country: its VAT identifier's prefix, else its address, else XX."""
    key = "customer_country"
    if u.known(key):
        return u.memo(key)  # type: ignore[no-any-return]
    value = _vat_prefix(party(u, "AccountingCustomerParty"))
    if not value:
        value = customer_postal_country(u) or "XX"
    return u.remember(key, value)  # type: ignore[no-any-return]


def german_parties(u: Ubl) -> bool:
    """True when both seller and buyer have German postal addresses (R002, P0112)."""
    return supplier_postal_country(u) == "DE" and customer_postal_country(u) == "DE"
