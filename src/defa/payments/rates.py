"""Exchange rates supplied by the user: a small TOML or JSON file, never fetched.

A rates file lists currency pairs, each with its rate, its source and when it was quoted::

    # rates.toml
    [[rates]]
    base = "THB"          # ISO 4217 alpha code of the unit currency
    quote = "MYR"         # ISO 4217 alpha code of the quoted currency
    rate = "0.1298"       # 1 THB = 0.1298 MYR; a string (exact) or a number
    source = "Bank X board rate"
    timestamp = 2026-11-28T03:00:00Z   # optional, ISO 8601

The JSON form is ``{"rates": [{"base": "THB", "quote": "MYR", "rate": "0.1298", ...}]}``
(numbers are read as decimals, never as binary floats). A pair serves both directions: the
reverse rate is ``1 / rate``. A pair given twice, a rate that is not a positive number or a
currency ISO 4217 does not know is an error (``payments.bad_rates``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from defa.errors import InputRejected, Issue, ValidationError
from defa.qr._currency import numeric_of

__all__ = ["MAX_RATES_BYTES", "Rate", "RateTable", "parse_rates"]

#: A rates file larger than this is refused unread.
MAX_RATES_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Rate:
    """``1 base = rate quote``, with where it came from and when."""

    base: str
    quote: str
    rate: Decimal
    source: str
    timestamp: datetime | None = None
    inverted: bool = False  # True when derived as 1 / rate of the pair given the other way

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "quote": self.quote,
            "rate": str(self.rate),
            "source": self.source,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "inverted": self.inverted,
        }


def _bad(msg: str, loc: str) -> ValidationError:
    return ValidationError(Issue("payments.bad_rates", msg, loc=loc))


def _currency(value: object, loc: str) -> str:
    if not isinstance(value, str) or len(value) != 3 or not value.isalpha():
        raise _bad(f"{value!r:.20} is not an ISO 4217 alphabetic code", loc)
    code = value.upper()
    if numeric_of(code) is None:
        raise _bad(f"{code} is not an ISO 4217 currency", loc)
    return code


def _decimal(value: object, loc: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _bad(f"the rate must be a number, not {type(value).__name__}", loc)
    try:
        # A float from TOML is turned into its shortest repr first, never its binary expansion.
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise _bad(f"{value!r:.30} is not a number", loc) from None
    if not number.is_finite() or number <= 0:
        raise _bad(f"the rate must be a positive number, got {value!r:.30}", loc)
    return number


def _timestamp(value: object, loc: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            raise _bad(f"{value!r:.40} is not an ISO 8601 date-time", loc) from None
    else:
        raise _bad("the timestamp must be an ISO 8601 date-time", loc)
    # A stamp without a zone is taken as UTC, so that stamps compare.
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


class RateTable:
    """The rates of one file, looked up by pair in either direction."""

    __slots__ = ("_pairs",)

    def __init__(self, rates: Iterable[Rate]) -> None:
        self._pairs: dict[tuple[str, str], Rate] = {}
        for r in rates:
            if (r.base, r.quote) in self._pairs or (r.quote, r.base) in self._pairs:
                raise _bad(f"the pair {r.base}/{r.quote} is given twice", f"{r.base}/{r.quote}")
            self._pairs[(r.base, r.quote)] = r

    def __len__(self) -> int:
        return len(self._pairs)

    def find(self, base: str, quote: str) -> Rate | None:
        """The rate of ``1 base`` in ``quote``; the reverse pair inverted if only it is given."""
        if base == quote:
            return Rate(base, quote, Decimal(1), "same currency")
        direct = self._pairs.get((base, quote))
        if direct is not None:
            return direct
        other = self._pairs.get((quote, base))
        if other is None:
            return None
        return Rate(base, quote, 1 / other.rate, other.source, other.timestamp, inverted=True)

    def get(self, base: str, quote: str) -> Rate:
        """Like :meth:`find`, but a missing pair is a ``payments.no_rate`` error."""
        found = self.find(base, quote)
        if found is None:
            raise ValidationError(
                Issue(
                    "payments.no_rate",
                    f"the rates supplied have no {base}/{quote} pair (nor {quote}/{base})",
                    loc="rates",
                    ctx={"base": base, "quote": quote},
                )
            )
        return found

    @classmethod
    def from_rows(cls, rows: object) -> RateTable:
        """Build from a list of mappings (the ``rates`` array of a file or a request body)."""
        if not isinstance(rows, list):
            raise _bad("rates must be a list of {base, quote, rate, source} objects", "rates")
        found: list[Rate] = []
        for n, row in enumerate(rows):
            loc = f"rates[{n}]"
            if not isinstance(row, Mapping):
                raise _bad("each rate must be an object", loc)
            source = row.get("source")
            if not isinstance(source, str) or not source.strip():
                raise _bad("each rate must name its source", f"{loc}.source")
            found.append(
                Rate(
                    base=_currency(row.get("base"), f"{loc}.base"),
                    quote=_currency(row.get("quote"), f"{loc}.quote"),
                    rate=_decimal(row.get("rate"), f"{loc}.rate"),
                    source=source.strip()[:200],
                    timestamp=_timestamp(row.get("timestamp"), f"{loc}.timestamp"),
                )
            )
        return cls(found)


def parse_rates(raw: bytes | str, name: str = "rates.toml") -> RateTable:
    """Read a rates file (TOML, or JSON when ``name`` ends in ``.json`` or the text is JSON)."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_RATES_BYTES:
        raise InputRejected(
            Issue("input.too_large", f"the rates file exceeds {MAX_RATES_BYTES} bytes", loc=name)
        )
    try:
        text = raw if isinstance(raw, str) else raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputRejected(
            Issue("input.invalid_encoding", "the rates file is not UTF-8", loc=name)
        ) from None
    as_json = name.lower().endswith(".json") or text.lstrip().startswith("{")
    try:
        doc: Any = json.loads(text, parse_float=Decimal) if as_json else tomllib.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _bad(
            f"the rates file cannot be read as {'JSON' if as_json else 'TOML'}: {str(exc)[:200]}",
            name,
        ) from None
    rows = doc.get("rates") if isinstance(doc, dict) else doc
    return RateTable.from_rows(rows)
