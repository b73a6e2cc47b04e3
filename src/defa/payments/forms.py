"""Flat inputs (CLI options, JSON bodies) made into payment QR codes, agents and messages.

The command line and the HTTP API take the same flat values; this module turns them into the
engine's objects once, so that both front ends answer alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from defa.errors import Issue, ValidationError
from defa.payments import Answer, RateTable, pay
from defa.qr import AdditionalData, Payload, PaymentQR, encode, national_scheme, scheme
from defa.registry import normalize_country

if TYPE_CHECKING:  # the ISO 20022 bindings are loaded only when a message is built
    from defa.iso20022.pacs008 import Agent, Pacs008

__all__ = ["encode_fields", "fields_from", "pacs008_for", "parse_agent", "parse_amount"]


def parse_amount(value: object, loc: str = "amount") -> Decimal | None:
    """A decimal amount from text or a number; None for None. Never a binary float."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError(Issue("payments.bad_amount", "the amount must be a number", loc))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(
            Issue("payments.bad_amount", f"{str(value)!r:.30} is not a number", loc)
        ) from None
    if not number.is_finite() or number <= 0:
        raise ValidationError(Issue("payments.bad_amount", "the amount must be positive", loc))
    return number


def parse_agent(text: str, loc: str) -> Agent:
    """An agent from ``BICFI`` (8 or 11 characters) or ``SYSTEM:MEMBER`` (``NITMX:014``)."""
    from defa.iso20022.pacs008 import Agent

    value = text.strip()
    if ":" in value:
        system, _, member = value.partition(":")
        agent = Agent(member_id=member.strip() or None, clearing_system=system.strip() or None)
    elif len(value) in (8, 11) and value.isalnum() and value[4:6].isalpha():
        agent = Agent(bic=value.upper())
    else:
        agent = Agent(member_id=value or None)
    problems = agent.check(loc)
    if problems:
        raise ValidationError(problems)
    return agent


def encode_fields(
    country: str,
    fields: Mapping[str, str],
    *,
    scheme_id: str | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
    merchant_name: str | None = None,
    merchant_city: str | None = None,
    mcc: str | None = None,
    bill_number: str | None = None,
    reference: str | None = None,
) -> str:
    """A payment QR payload for ``country``'s national scheme (or ``scheme_id``).

    ``fields`` names the scheme template's fields (``mobile``, ``bank_bin``, ``merchant_id``,
    ...). Raises :class:`~defa.errors.LookupFailed` for an unknown country or scheme and
    :class:`~defa.errors.ValidationError` for fields the scheme does not have or values that
    cannot make a valid code.
    """
    cc = normalize_country(country).upper()
    found = scheme(scheme_id) if scheme_id else national_scheme(cc)
    if found is None or not found.templates:
        raise ValidationError(
            Issue("qr.unknown_scheme", f"{cc} has no national payment QR scheme", loc="country")
        )
    template = found.templates[0]
    known = set(template.SUBTAGS)
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ValidationError(
            Issue(
                "qr.bad_value",
                f"{found.id} has no field {', '.join(unknown)}; it has {', '.join(sorted(known))}",
                loc="fields",
            )
        )
    values: dict[str, Any] = dict(fields)
    extra = None
    if bill_number or reference:
        extra = AdditionalData(bill_number=bill_number, reference_label=reference)
    qr = PaymentQR(
        accounts=template(**values),
        amount=amount,
        currency=currency,
        country=cc if found.country is None else None,
        merchant_name=merchant_name,
        merchant_city=merchant_city,
        mcc=mcc,
        additional=extra,
    )
    return encode(qr)


def pacs008_for(
    payload: Payload,
    payer_country: str,
    rates: RateTable,
    *,
    debtor_name: str,
    debtor_agent: Agent,
    creditor_agent: Agent,
    debtor_account: str | None = None,
    intermediaries: tuple[Agent, ...] = (),
    amount: Decimal | None = None,
    as_of: date | None = None,
) -> tuple[Answer, Pacs008]:
    """Route and price ``payload`` for a payer in ``payer_country``, then build its pacs.008.

    Raises :class:`~defa.errors.ValidationError` carrying the route's reason when the code is
    not payable from there, or the quote's issues when it cannot be priced.
    """
    from defa.iso20022.pacs008 import build_pacs008

    answer = pay(payload, payer_country, amount=amount, rates=rates, as_of=as_of)
    if not answer.payable:
        raise ValidationError(
            Issue(answer.route.code or "payments.no_linkage", answer.route.reason, loc="payload")
        )
    if answer.quote is None:
        raise ValidationError(answer.issues or (Issue("payments.no_rate", "no quote", "rates"),))
    message = build_pacs008(
        payload,
        answer.quote,
        debtor_name=debtor_name,
        debtor_agent=debtor_agent,
        creditor_agent=creditor_agent,
        debtor_account=debtor_account,
        intermediaries=intermediaries,
    )
    return answer, message


def fields_from(pairs: list[str] | Mapping[str, Any] | None, loc: str = "fields") -> dict[str, str]:
    """Template fields from ``["name=value", ...]`` (CLI) or a mapping (JSON)."""
    if pairs is None:
        return {}
    if isinstance(pairs, Mapping):
        bad = [k for k, v in pairs.items() if not isinstance(k, str) or not isinstance(v, str)]
        if bad:
            raise ValidationError(Issue("qr.bad_value", "field values must be strings", loc))
        return dict(pairs)
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationError(Issue("qr.bad_value", f"{pair!r:.40} is not name=value", loc=loc))
        out[name.strip()] = value
    return out
