"""ISO 4217 numeric and alphabetic codes and minor units, as payment QR codes need them.

Numeric <-> alphabetic comes from pycountry (all of ISO 4217); minor units from the packaged
``qr-currency-exponents`` data, which covers the currencies ASEAN QR codes carry.
"""

from __future__ import annotations

from functools import cache

import pycountry

from defa import data

__all__ = ["alpha_of", "exponent", "numeric_of"]


@cache
def _numeric_to_alpha() -> dict[str, str]:
    return {c.numeric: c.alpha_3 for c in pycountry.currencies}


@cache
def _exponents() -> dict[str, int]:
    rows = data.load("qr-currency-exponents").content["currency"]
    return {alpha: int(row[1]) for alpha, row in rows.items()}


def alpha_of(numeric: str) -> str | None:
    """The alphabetic code of an ISO 4217 numeric code ("704" -> "VND"), or None."""
    return _numeric_to_alpha().get(numeric)


def numeric_of(code: str) -> str | None:
    """The numeric code of an alphabetic or numeric ISO 4217 code, or None if unknown."""
    if code.isdigit():
        return code if code in _numeric_to_alpha() else None
    found = pycountry.currencies.get(alpha_3=code.upper())
    return None if found is None else str(found.numeric)


def exponent(alpha: str) -> int | None:
    """ISO 4217 minor units of a currency, or None where the packaged table lacks it."""
    return _exponents().get(alpha)
