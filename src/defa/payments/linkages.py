"""Cross-border merchant QR linkages: which payers' apps can pay which merchant schemes, when.

The facts live in the packaged data ``payments-qr-linkages`` (``data/payments/linkages.toml``):
one row per direction, each with its launch date, status, confidence and public source.
:func:`route` answers "can a payer in X pay this QR code, via what, as of when" from a decoded
:class:`~defa.qr.Payload`:

* a domestic payment (the payer's country is the merchant's) needs no linkage;
* a code that is a person-to-person proxy (a PromptPay mobile number, PayNow to a mobile, a
  QR Ph P2P code) is a transfer, never a merchant payment, whatever linkages exist;
* otherwise a ``live`` linkage from the payer's country to the merchant's, naming one of the
  code's schemes and in force on the date, makes it payable; ``announced`` rows are only
  mentioned in the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from defa import data
from defa.errors import DataError, Issue
from defa.qr import Payload

__all__ = [
    "DATA_ID",
    "Confidence",
    "Linkage",
    "Route",
    "Transfer",
    "linkages",
    "route",
    "transfers",
]

#: The id of the packaged linkage data.
DATA_ID = "payments-qr-linkages"


class Confidence(StrEnum):
    """How sure the data is of a row's date and direction (see the data file's header)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Linkage:
    """One direction of a merchant QR linkage: ``payer`` apps pay ``schemes`` in ``merchant``."""

    id: str
    payer: str
    merchant: str
    schemes: tuple[str, ...]
    valid_from: date
    status: str
    confidence: Confidence
    source: str
    operators: tuple[str, ...] = ()
    valid_to: date | None = None
    note: str = ""

    @property
    def live(self) -> bool:
        """True when the row is a launched service (not only announced)."""
        return self.status == "live"

    def in_force(self, on: date) -> bool:
        """True when the linkage is live on ``on``."""
        return (
            self.live and self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "payer": self.payer,
            "merchant": self.merchant,
            "schemes": list(self.schemes),
            "operators": list(self.operators),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "status": self.status,
            "confidence": self.confidence.value,
            "note": self.note,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Transfer:
    """A person-to-person transfer linkage between two fast payment systems."""

    id: str
    countries: tuple[str, ...]
    systems: tuple[str, ...]
    valid_from: date
    confidence: Confidence
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "countries": list(self.countries),
            "systems": list(self.systems),
            "valid_from": self.valid_from.isoformat(),
            "confidence": self.confidence.value,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class _Proxy:
    scheme: str
    field: str | None
    value: str | None
    why: str


@dataclass(frozen=True, slots=True)
class Route:
    """The answer of :func:`route`: payable or not, why, and via which linkage."""

    payable: bool
    reason: str
    code: str | None  # the issue code saying why not; None when payable
    payer: str
    merchant: str | None
    scheme: str
    as_of: date
    linkage: Linkage | None = None
    domestic: bool = False
    transfer: bool = False
    pending: tuple[Linkage, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "payable": self.payable,
            "code": self.code,
            "reason": self.reason,
            "payer_country": self.payer,
            "merchant_country": self.merchant,
            "scheme": self.scheme,
            "as_of": self.as_of.isoformat(),
            "domestic": self.domestic,
            "transfer": self.transfer,
            "linkage": None if self.linkage is None else self.linkage.to_dict(),
            "pending": [p.to_dict() for p in self.pending],
        }


def _bad_row(what: str, exc: Exception) -> DataError:
    return DataError(
        Issue("data.malformed", f"{DATA_ID}: a {what} row is malformed: {exc}", loc=DATA_ID)
    )


@cache
def _tables(as_of: date) -> tuple[tuple[Linkage, ...], tuple[Transfer, ...], tuple[_Proxy, ...]]:
    content: Mapping[str, Any] = data.load(DATA_ID, as_of).content
    try:
        links = tuple(
            Linkage(
                id=str(r["id"]),
                payer=str(r["payer"]),
                merchant=str(r["merchant"]),
                schemes=tuple(str(s) for s in r["schemes"]),
                valid_from=r["valid_from"],
                valid_to=r.get("valid_to"),
                status=str(r["status"]),
                confidence=Confidence(r["confidence"]),
                source=str(r["source"]),
                operators=tuple(str(o) for o in r.get("operators", ())),
                note=str(r.get("note", "")),
            )
            for r in content.get("linkage", ())
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise _bad_row("linkage", exc) from None
    try:
        moves = tuple(
            Transfer(
                id=str(r["id"]),
                countries=tuple(r["countries"]),
                systems=tuple(r["systems"]),
                valid_from=r["valid_from"],
                confidence=Confidence(r["confidence"]),
                source=str(r["source"]),
            )
            for r in content.get("transfer", ())
        )
        proxies = tuple(
            _Proxy(str(r["scheme"]), r.get("field"), r.get("value"), str(r["why"]))
            for r in content.get("p2p_proxy", ())
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise _bad_row("transfer or p2p_proxy", exc) from None
    return links, moves, proxies


def linkages(as_of: date | None = None) -> tuple[Linkage, ...]:
    """Every linkage row (live and announced) of the data version in force on ``as_of``."""
    return _tables(as_of or date.today())[0]


def transfers(as_of: date | None = None) -> tuple[Transfer, ...]:
    """The person-to-person transfer linkages (not merchant QR linkages)."""
    return _tables(as_of or date.today())[1]


def _p2p(payload: Payload, proxies: Sequence[_Proxy]) -> _Proxy | None:
    fields = payload.fields
    for proxy in proxies:
        if proxy.scheme != payload.scheme:
            continue
        if proxy.field is None:
            return proxy
        value = getattr(fields, proxy.field, None) if fields is not None else None
        if value and (proxy.value is None or value == proxy.value):
            return proxy
    return None


def route(payload: Payload, payer_country: str, as_of: date | None = None) -> Route:
    """Can a payer whose app is in ``payer_country`` pay this QR code on ``as_of``?

    ``payer_country`` should be a checked ISO alpha-2 code (an unknown one is simply linked
    to nothing). Never raises on the payload; raises :class:`~defa.errors.NotInForce` for a
    date before the linkage data begins (2020-02-01) and :class:`~defa.errors.DataError` if
    the packaged data is broken.
    """
    on = as_of or date.today()
    links, moves, proxies = _tables(on)
    payer = payer_country.upper()
    merchant = payload.country
    scheme = payload.scheme
    base: dict[str, Any] = {"payer": payer, "merchant": merchant, "scheme": scheme, "as_of": on}
    if not payload.valid:
        return Route(
            False, "the QR payload has errors; see its issues", "payments.invalid_qr", **base
        )
    proxy = _p2p(payload, proxies)
    if proxy is not None:
        ends = {payer, merchant or ""}
        via = [t.id for t in moves if set(t.countries) == ends and t.valid_from <= on]
        extra = f"; a transfer linkage exists: {', '.join(via)}" if via else ""
        return Route(
            False,
            f"{proxy.why}: merchant QR linkages do not carry it{extra}",
            "payments.p2p_transfer",
            transfer=True,
            **base,
        )
    if merchant is None:
        return Route(
            False, "the merchant's country is not known", "payments.unknown_merchant", **base
        )
    if merchant == payer:
        return Route(True, "a domestic payment", None, domestic=True, **base)
    codes = set(payload.schemes) or {scheme}
    pair = [k for k in links if k.payer == payer and k.merchant == merchant]
    matching = [k for k in pair if codes & set(k.schemes)]
    live = [k for k in matching if k.in_force(on)]
    if live:
        best = max(live, key=lambda k: k.valid_from)
        return Route(
            True,
            f"payable via {best.id} (live since {best.valid_from.isoformat()}, "
            f"confidence {best.confidence.value})",
            None,
            linkage=best,
            **base,
        )
    pending = tuple(k for k in matching if not k.in_force(on))
    if pending:
        first = pending[0]
        state = "announced only" if not first.live else f"live only from {first.valid_from}"
        reason = f"no linkage in force on {on.isoformat()}: {first.id} is {state}"
    elif pair:
        reason = (
            f"the {payer}->{merchant} linkage covers {', '.join(pair[0].schemes)}, "
            f"not {', '.join(sorted(codes))}"
        )
    else:
        reason = f"no merchant QR linkage from {payer} to {merchant} is known"
    return Route(False, reason, "payments.no_linkage", pending=pending, **base)
