"""Quotes: the amount a cross-border QR payment costs the payer, in both currencies.

A :class:`Quote` fixes, under one id, the merchant's amount (the QR code's currency), the
payer's amount (the payer's member currency), the rate applied and where the rate came from.
Amounts are :class:`~decimal.Decimal`, each rounded to its currency's ISO 4217 minor units
(VND and other zero-decimal currencies to whole units) with ROUND_HALF_UP.

The rate is carried as ISO 20022 ``BaseOneRate`` can carry it (at most 11 digits, 10 after the
point) and the payer's amount is computed from that same rounded rate, so that a pacs.008
built from the quote says exactly what the quote says: ``source_amount = target_amount / rate``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from defa.errors import Issue, ValidationError
from defa.members import member
from defa.payments.linkages import Route, route
from defa.payments.rates import RateTable
from defa.qr import Payload
from defa.qr._currency import exponent

__all__ = ["Quote", "base_one_rate", "make_quote", "minor_units", "round_amount"]

_MAX_DIGITS = 11  # ISO 20022 BaseOneRate: totalDigits 11
_MAX_FRACTION = 10  # fractionDigits 10


def minor_units(currency: str) -> int:
    """ISO 4217 minor units of ``currency`` (2 where the packaged table lacks it)."""
    found = exponent(currency)
    return 2 if found is None else found


def round_amount(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half up to ``currency``'s minor units."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def base_one_rate(rate: Decimal) -> Decimal:
    """``rate`` rounded half up to what ISO 20022 BaseOneRate holds (11 digits, 10 decimals)."""
    whole = len(str(int(rate))) if rate >= 1 else 0
    places = min(_MAX_FRACTION, _MAX_DIGITS - whole)
    if places < 0:
        raise ValidationError(
            Issue("payments.bad_rates", f"the rate {rate} is too large to carry", loc="rate")
        )
    short = rate.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    # normalize() writes 450 as 4.5E+2; XML and JSON want plain digits.
    exp = short.as_tuple().exponent
    return short.quantize(Decimal(1)) if isinstance(exp, int) and exp > 0 else short


@dataclass(frozen=True, slots=True)
class Quote:
    """One priced payment: ``source_amount`` in the payer's currency buys ``target_amount``."""

    id: str
    created: datetime
    payer_country: str
    merchant_country: str
    source_currency: str
    target_currency: str
    source_amount: Decimal
    target_amount: Decimal
    rate: Decimal  # units of target_currency per 1 source_currency, as applied
    rate_source: str
    rate_timestamp: datetime | None
    rate_inverted: bool
    linkage: str | None
    scheme: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote_id": self.id,
            "created": self.created.isoformat(),
            "payer_country": self.payer_country,
            "merchant_country": self.merchant_country,
            "scheme": self.scheme,
            "linkage": self.linkage,
            "source": {"currency": self.source_currency, "amount": str(self.source_amount)},
            "target": {"currency": self.target_currency, "amount": str(self.target_amount)},
            "rate": {
                "base": self.source_currency,
                "quote": self.target_currency,
                "rate": str(self.rate),
                "source": self.rate_source,
                "timestamp": self.rate_timestamp.isoformat() if self.rate_timestamp else None,
                "inverted": self.rate_inverted,
            },
        }


def _amount(payload: Payload, amount: Decimal | None, currency: str) -> Decimal:
    in_code = payload.amount
    if amount is not None:
        if not amount.is_finite() or amount <= 0:
            raise ValidationError(
                Issue(
                    "payments.bad_amount",
                    f"the amount must be positive, got {amount}",
                    loc="amount",
                )
            )
        if in_code is not None and amount != in_code:
            raise ValidationError(
                Issue(
                    "payments.amount_conflict",
                    f"the QR code fixes the amount at {in_code} {currency}; {amount} was given",
                    loc="amount",
                )
            )
        value = amount
    elif in_code is not None and in_code > 0:
        value = in_code
    else:
        raise ValidationError(
            Issue(
                "payments.amount_required",
                "the QR code carries no amount (a static code): give the amount to pay",
                loc="amount",
            )
        )
    rounded = round_amount(value, currency)
    if rounded != value:
        raise ValidationError(
            Issue(
                "payments.bad_amount",
                f"{value} has more decimals than {currency} takes ({minor_units(currency)})",
                loc="amount",
            )
        )
    return rounded


def make_quote(
    payload: Payload,
    payer_country: str,
    rates: RateTable,
    *,
    amount: Decimal | None = None,
    as_of: date | None = None,
    found: Route | None = None,
    now: datetime | None = None,
) -> Quote:
    """Price paying ``payload`` from an app in ``payer_country``.

    Raises :class:`~defa.errors.ValidationError` when the code is not payable from there (the
    route's reason as the issue), when no amount is known, or when ``rates`` lack the pair;
    :class:`~defa.errors.LookupFailed` for a payer that is not a member.
    """
    on = as_of or date.today()
    payer = member(payer_country, on)
    answer = found or route(payload, payer.alpha2, on)
    if not answer.payable:
        raise ValidationError(
            Issue(answer.code or "payments.no_linkage", answer.reason, loc="payload")
        )
    merchant_cc = answer.merchant or payer.alpha2
    target_currency = payload.currency or member(merchant_cc, on).currency
    target = _amount(payload, amount, target_currency)
    source_currency = payer.currency
    applied = rates.get(source_currency, target_currency)
    rate = base_one_rate(applied.rate)
    source = round_amount(target / rate, source_currency)
    return Quote(
        id=str(uuid.uuid4()),
        created=(now or datetime.now(UTC)).replace(microsecond=0),
        payer_country=payer.alpha2,
        merchant_country=merchant_cc,
        source_currency=source_currency,
        target_currency=target_currency,
        source_amount=source,
        target_amount=target,
        rate=rate,
        rate_source=applied.source,
        rate_timestamp=applied.timestamp,
        rate_inverted=applied.inverted,
        linkage=None if answer.linkage is None else answer.linkage.id,
        scheme=answer.scheme,
    )
