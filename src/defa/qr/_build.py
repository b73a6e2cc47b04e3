"""Encoding: a decoded payload back to its text, or typed fields to a new payload.

A :class:`Payload` is written from its root data objects as read, so a payload that decoded
without errors comes back byte for byte (a correct CRC keeps its spelling, lower case
included). A :class:`PaymentQR` is written in EMVCo's order with the scheme's conventions:
amounts with the currency's decimals (none for VND, whole riel in KHQR), "12" for a dynamic
code, and the fields the scheme leaves out left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from defa.errors import Issue, Severity, ValidationError
from defa.qr._currency import alpha_of, exponent, numeric_of
from defa.qr._payload import Payload
from defa.qr._scheme import Scheme, scheme_of_template
from defa.qr._template import AccountTemplate, AdditionalData, LanguageTemplate, Template
from defa.qr._tlv import MAX_PAYLOAD, SPEC, crc_hex, join

__all__ = ["PaymentQR", "encode", "format_amount"]

# Structural faults that make a payload's text unrecoverable (a wrong CRC is simply rewritten).
_FATAL = frozenset(
    {
        "qr.bad_id",
        "qr.bad_length",
        "qr.truncated",
        "qr.too_large",
        "qr.empty",
        "input.invalid_encoding",
        "qr.crc_not_last",
    }
)


@dataclass(slots=True, kw_only=True)
class PaymentQR:
    """Typed fields of a merchant-presented payment QR code, to be encoded.

    ``accounts`` holds one or more scheme templates (e.g. ``PayNow(proxy_type="2", ...)``);
    the first one's scheme sets the defaults: country, currency, amount decimals, and which
    EMVCo fields may be left out. ``amount=None`` makes a static code (the payer types the
    amount); an amount makes it dynamic unless ``dynamic`` says otherwise.
    """

    accounts: AccountTemplate | Sequence[AccountTemplate]
    amount: Decimal | int | str | None = None
    currency: str | None = None  # ISO 4217 alpha or numeric; default: the country's currency
    country: str | None = None  # ID 58; default: the scheme's country
    merchant_name: str | None = None
    merchant_city: str | None = None
    mcc: str | None = None  # ID 52; "0000" when the scheme needs one and none is given
    postal_code: str | None = None
    dynamic: bool | None = None
    tip_indicator: str | None = None  # ID 55: "01" prompt, "02" fixed fee, "03" percentage
    convenience_fee_fixed: Decimal | str | None = None  # ID 56
    convenience_fee_percentage: Decimal | str | None = None  # ID 57
    additional: AdditionalData | None = None
    language: LanguageTemplate | None = None
    #: Root IDs 65-99 (a national template, e.g. KHQR's timestamps in 99).
    unreserved: Mapping[str, str | Template] = field(default_factory=dict)

    def account_list(self) -> list[AccountTemplate]:
        """The accounts as a list."""
        if isinstance(self.accounts, AccountTemplate):
            return [self.accounts]
        return list(self.accounts)

    @property
    def scheme(self) -> Scheme:
        """The scheme of the first account template."""
        accounts = self.account_list()
        if not accounts:
            raise _invalid(
                "qr.missing_field", "a payment QR needs a merchant account", "02-51", "account"
            )
        return scheme_of_template(type(accounts[0]))


def _invalid(code: str, msg: str, loc: str, spec: str) -> ValidationError:
    return ValidationError(Issue(code, msg, loc=loc, spec=SPEC.get(spec, spec)))


def format_amount(amount: Decimal | int | str, currency: str, scheme: Scheme | None = None) -> str:
    """Write an amount as EMVCo wants it: digits, "." and the currency's decimals.

    Decimals come from the scheme where it departs from ISO 4217, else from ISO 4217. Raises
    :class:`~defa.errors.ValidationError` (``qr.bad_amount``, ``qr.amount_precision``) for an
    amount that is not positive or has more decimals than the currency allows.
    """
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        raise _invalid("qr.bad_amount", f"{amount!r:.30} is not a number", "54", "amount") from None
    if not value.is_finite() or value <= 0:
        raise _invalid(
            "qr.bad_amount", f"the amount must be positive, got {amount!r:.30}", "54", "amount"
        )
    alpha = alpha_of(currency) if currency.isdigit() else currency.upper()
    decimals = None
    if scheme is not None and alpha is not None:
        decimals = scheme.amount_decimals.get(alpha)
    if decimals is None:
        decimals = exponent(alpha or "") if alpha else None
    if decimals is None:
        decimals = 2
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum)
    if rounded != value:
        raise _invalid(
            "qr.amount_precision",
            f"{value} has more decimals than {alpha} takes ({decimals})",
            "54",
            "amount",
        )
    text = f"{rounded:.{decimals}f}"
    if len(text) > 13:
        raise _invalid(
            "qr.value_too_long", f"the amount {text} exceeds 13 characters", "54", "amount"
        )
    return text


def _fee(value: Decimal | str | None) -> str | None:
    if value is None:
        return None
    return str(value)


def _build(qr: PaymentQR) -> str:
    scheme = qr.scheme
    accounts = qr.account_list()
    country = (qr.country or scheme.country or "").upper()
    if not country:
        raise _invalid("qr.missing_field", "the country (ID 58) is needed", "58", "country")
    currency = qr.currency or (scheme.currencies[0] if scheme.currencies else None)
    if currency is None:
        from defa.members import member

        currency = member(country).currency
    numeric = numeric_of(currency)
    if numeric is None:
        raise _invalid(
            "qr.unknown_currency", f"{currency!r:.20} is not an ISO 4217 currency", "53", "currency"
        )
    dynamic = qr.dynamic if qr.dynamic is not None else qr.amount is not None
    pairs: list[tuple[str, str]] = [("00", "01"), ("01", "12" if dynamic else "11")]
    pairs += [(a.root_tag(), a.value()) for a in accounts]
    mcc = qr.mcc or (None if "52" in scheme.omits else "0000")
    if mcc is not None:
        pairs.append(("52", mcc))
    pairs.append(("53", numeric))
    if qr.amount is not None:
        pairs.append(("54", format_amount(qr.amount, numeric, scheme)))
    for tag, value in (
        ("55", qr.tip_indicator),
        ("56", _fee(qr.convenience_fee_fixed)),
        ("57", _fee(qr.convenience_fee_percentage)),
    ):
        if value is not None:
            pairs.append((tag, value))
    pairs.append(("58", country))
    for tag, value, name in (
        ("59", qr.merchant_name, "merchant name"),
        ("60", qr.merchant_city, "merchant city"),
    ):
        if value is not None:
            pairs.append((tag, value))
        elif tag not in scheme.omits:
            raise _invalid(
                "qr.missing_field",
                f"the {name} (ID {tag}) is needed for {scheme.name}",
                tag,
                "presence",
            )
    if qr.postal_code is not None:
        pairs.append(("61", qr.postal_code))
    if qr.additional is not None:
        pairs.append(("62", qr.additional.value()))
    if qr.language is not None:
        pairs.append(("64", qr.language.value()))
    for tag in sorted(qr.unreserved):
        extra = qr.unreserved[tag]
        pairs.append((tag, extra if isinstance(extra, str) else extra.value()))
    return _finish(pairs, None)


def _finish(pairs: Sequence[tuple[str, str]], crc_spelling: str | None) -> str:
    try:
        body = join(pairs) + "6304"
    except ValueError as exc:
        raise _invalid("qr.value_too_long", str(exc), "payload", "length") from None
    crc = crc_hex(body)
    if crc_spelling is not None and crc_spelling.upper() == crc:
        crc = crc_spelling  # keep the spelling read (lower case included): byte-for-byte
    text = body + crc
    if len(text.encode("utf-8")) > MAX_PAYLOAD:
        raise _invalid(
            "qr.too_large", f"the payload exceeds {MAX_PAYLOAD} bytes", "payload", "payload"
        )
    return text


def encode(obj: Payload | PaymentQR) -> str:
    """The payload text of a decoded :class:`Payload` or of a :class:`PaymentQR`.

    A payload is written from its data objects as read; the CRC is recomputed (a correct one
    keeps its spelling). Raises :class:`~defa.errors.ValidationError` when a payload's text could
    not be read whole, or when typed fields cannot make a valid code.
    """
    if isinstance(obj, Payload):
        fatal = [i for i in obj._structural if i.code in _FATAL]
        if fatal:
            raise ValidationError(fatal)
        return _finish([(t, v) for t, v in obj.elements if t != "63"], obj.get("63"))
    if isinstance(obj, PaymentQR):
        return _build(obj)
    raise ValidationError(
        Issue(
            "qr.bad_value",
            f"cannot encode a {type(obj).__name__}",
            loc="obj",
            severity=Severity.ERROR,
        )
    )
