"""ASEAN membership as dated data.

Who is a member comes from the packaged ``asean-members`` data file (with its sources);
names and ISO 3166 codes come from pycountry, and each member's currency on the date asked
from Babel's CLDR territory data (ISO 4217), so nothing here is typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import pycountry
from babel.numbers import get_territory_currencies

from defa import data
from defa.errors import Issue, LookupFailed

__all__ = ["Member", "member", "members"]

_DATA_ID = "asean-members"


@dataclass(frozen=True, slots=True)
class Member:
    """One ASEAN member state, as of a date."""

    alpha2: str
    alpha3: str
    numeric: str
    name: str
    official_name: str
    currency: str  # ISO 4217 alphabetic code in use on the date asked
    currency_numeric: str  # ISO 4217 numeric code (EMV QR tag 53 carries it)
    joined: date
    instrument: str  # the legal act of admission

    def to_dict(self) -> dict[str, Any]:
        return {
            "alpha2": self.alpha2,
            "alpha3": self.alpha3,
            "numeric": self.numeric,
            "name": self.name,
            "official_name": self.official_name,
            "currency": self.currency,
            "currency_numeric": self.currency_numeric,
            "joined": self.joined.isoformat(),
            "instrument": self.instrument,
        }


# Bounded: a service answers for arbitrary dates, and each date is a key.
@lru_cache(maxsize=1024)
def _build(alpha2: str, joined: date, instrument: str, on: date) -> Member:
    country = pycountry.countries.get(alpha_2=alpha2)
    if country is None:  # pragma: no cover - guarded by the data contract test
        raise LookupFailed(Issue("registry.unknown_country", f"pycountry lacks {alpha2}"))
    tender = get_territory_currencies(alpha2, on, tender=True, non_tender=False)
    code = tender[0] if tender else ""
    currency = pycountry.currencies.get(alpha_3=code) if code else None
    return Member(
        alpha2=alpha2,
        alpha3=country.alpha_3,
        numeric=country.numeric,
        name=country.name,
        official_name=getattr(country, "official_name", country.name),
        currency=code,
        currency_numeric=currency.numeric if currency is not None else "",
        joined=joined,
        instrument=instrument,
    )


def members(as_of: date | None = None) -> tuple[Member, ...]:
    """The members of ASEAN on ``as_of`` (default: today), in order of accession.

    Raises ``NotInForce`` for a date before ASEAN existed.
    """
    on = as_of or date.today()
    rows = data.load(_DATA_ID, on).content["member"]
    joined = [r for r in rows if r["joined"] <= on]
    return tuple(
        _build(r["alpha2"], r["joined"], r["instrument"], on)
        for r in sorted(joined, key=lambda r: (r["joined"], r["alpha2"]))
    )


def member(cc: str, as_of: date | None = None) -> Member:
    """One member by alpha-2 or alpha-3 code; ``LookupFailed`` if not a member on that date."""
    code = cc.strip().upper() if isinstance(cc, str) else ""
    on = as_of or date.today()
    for m in members(on):
        if code in (m.alpha2, m.alpha3):
            return m
    raise LookupFailed(
        Issue(
            "registry.unknown_country",
            f"{cc!r:.40} is not an ASEAN member on {on.isoformat()}",
            loc="country",
        )
    )
