"""Cross-border QR payments: linkages as dated data, routes, rates and quotes.

>>> from datetime import date
>>> from defa.qr import decode
>>> from defa.payments import route
>>> duitnow = decode(
...     "00020201021126690014A000000615000101065887340220MAEPP111134456652251031316905900"
...     "545775204000053034585802MY5925MOHD SULAIMAN BIN HAJI SU6002MY6304EE0C"
... )
>>> r = route(duitnow, "TH", date(2024, 1, 1))
>>> r.payable, r.linkage.id
(True, 'th-my-duitnow')
>>> route(duitnow, "TH", date(2021, 6, 17)).payable
False

:func:`pay` answers the whole question of ``defa qr pay``: the route and, when an amount and
rates are known, a :class:`Quote` in both currencies. Rates are always supplied by the caller
(:func:`parse_rates`, :class:`RateTable`); nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from defa.errors import Issue, ValidationError
from defa.members import member
from defa.payments.linkages import (
    DATA_ID,
    Confidence,
    Linkage,
    Route,
    Transfer,
    linkages,
    route,
    transfers,
)
from defa.payments.quote import Quote, base_one_rate, make_quote, minor_units, round_amount
from defa.payments.rates import MAX_RATES_BYTES, Rate, RateTable, parse_rates
from defa.qr import Payload

__all__ = [
    "DATA_ID",
    "MAX_RATES_BYTES",
    "Answer",
    "Confidence",
    "Linkage",
    "Quote",
    "Rate",
    "RateTable",
    "Route",
    "Transfer",
    "base_one_rate",
    "linkages",
    "make_quote",
    "minor_units",
    "parse_rates",
    "pay",
    "round_amount",
    "route",
    "transfers",
]


@dataclass(frozen=True, slots=True)
class Answer:
    """Whether a QR code can be paid, and at what price when that can be said."""

    route: Route
    quote: Quote | None = None
    issues: tuple[Issue, ...] = ()  # why no quote could be made although payable

    @property
    def payable(self) -> bool:
        return self.route.payable

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.route.to_dict(),
            "quote": None if self.quote is None else self.quote.to_dict(),
            "issues": [i.to_dict() for i in self.issues],
        }


def pay(
    payload: Payload,
    payer_country: str,
    *,
    amount: Decimal | None = None,
    rates: RateTable | None = None,
    as_of: date | None = None,
) -> Answer:
    """Can a payer in ``payer_country`` pay ``payload`` on ``as_of``, and for how much?

    The route is always answered. A quote is made when the code is payable, an amount is known
    (in the code or given) and ``rates`` are given (or the payment is domestic); otherwise the
    reason is in ``issues``. Raises :class:`~defa.errors.LookupFailed` for a payer that is not
    an ASEAN member on the date.
    """
    on = as_of or date.today()
    payer = member(payer_country, on)
    found = route(payload, payer.alpha2, on)
    if not found.payable:
        return Answer(found)
    table = rates if rates is not None else RateTable(())
    if rates is None and not found.domestic and (amount is not None or payload.amount):
        note = Issue(
            "payments.no_rate",
            "no rates were supplied: give a rates file to price the payment",
            loc="rates",
        )
        return Answer(found, issues=(note,))
    try:
        quote = make_quote(payload, payer.alpha2, table, amount=amount, as_of=on, found=found)
    except ValidationError as exc:
        return Answer(found, issues=exc.issues)
    return Answer(found, quote)
