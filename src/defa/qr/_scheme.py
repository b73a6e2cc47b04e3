"""Payment schemes and how a payload is identified as one.

A national profile (``defa/countries/<cc>/qr.py``) lists its schemes in ``SCHEMES`` and names
its national scheme, if any, in ``NATIONAL``. Each scheme owns one or more
:class:`~defa.qr.AccountTemplate` classes. The engine indexes every profile once: GUIDs go into
a dictionary (one look-up per template), and the few schemes that must be recognised otherwise
(KHQR puts an account id, not a GUID, in sub-ID 00) are asked in turn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from defa.errors import LookupFailed
from defa.qr._template import AccountTemplate, MerchantAccount

__all__ = ["EMVCO", "Confidence", "Scheme", "national_scheme", "scheme", "schemes"]


class Confidence(StrEnum):
    """How well the public sources pin a scheme's layout down."""

    HIGH = "high"  # an official, published specification
    MEDIUM = "medium"  # consistent real payloads and operator or SDK documentation
    LOW = "low"  # a few public examples only; field meanings partly guessed

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Scheme:
    """One payment scheme carried in EMVCo MPM payloads."""

    id: str  # stable id, "<cc>.<name>", e.g. "th.promptpay"
    name: str  # the scheme's own name, e.g. "PromptPay"
    country: str | None  # ISO 3166 alpha-2; None for the generic EMVCo reading
    templates: tuple[type[AccountTemplate], ...]
    operator: str = ""
    sources: tuple[str, ...] = ()
    confidence: Confidence = Confidence.MEDIUM
    #: When several schemes are present, the lowest rank is the payload's scheme (a payment
    #: network ranks before a merchant-identifier template such as SGQR's).
    rank: int = 0
    #: Root IDs the scheme's own payloads leave out by design: missing, they are reported at
    #: severity ``info`` instead of ``warning``.
    omits: frozenset[str] = frozenset()
    #: Currency (ISO 4217 alpha) -> decimals written, where the scheme departs from ISO 4217.
    amount_decimals: Mapping[str, int] = field(default_factory=dict)
    #: Currencies the scheme settles in (alpha codes); empty: the country's currency.
    currencies: tuple[str, ...] = ()


#: The reading of a payload no national scheme claims: EMVCo MPM only, country from ID 58.
EMVCO = Scheme(
    id="emvco",
    name="EMVCo MPM",
    country=None,
    templates=(MerchantAccount,),
    operator="EMVCo",
    sources=("EMVCo QR Code Specification for Payment Systems: Merchant-Presented Mode v1.1",),
    confidence=Confidence.HIGH,
    rank=1000,
)


@dataclass(frozen=True, slots=True)
class _Index:
    by_id: Mapping[str, Scheme]
    by_guid: Mapping[str, tuple[Scheme, type[AccountTemplate]]]
    by_class: Mapping[type[AccountTemplate], Scheme]
    recognisers: tuple[tuple[Scheme, type[AccountTemplate]], ...]
    national: Mapping[str, Scheme]


@cache
def _index() -> _Index:
    # Imported here: the registry imports country packages, which import this engine.
    import importlib

    from defa.registry import capabilities, countries

    by_id: dict[str, Scheme] = {EMVCO.id: EMVCO}
    by_guid: dict[str, tuple[Scheme, type[AccountTemplate]]] = {}
    by_class: dict[type[AccountTemplate], Scheme] = {MerchantAccount: EMVCO}
    recognisers: list[tuple[Scheme, type[AccountTemplate]]] = []
    national: dict[str, Scheme] = {}
    for cc in countries():
        if "qr" not in capabilities(cc):
            continue
        module = importlib.import_module(f"defa.countries.{cc}.qr")
        found: Sequence[Scheme] = getattr(module, "SCHEMES", ())
        for s in found:
            by_id[s.id] = s
            for cls in s.templates:
                by_class[cls] = s
                for guid in cls.GUIDS:
                    by_guid[guid.upper()] = (s, cls)
                if cls.recognises is not AccountTemplate.recognises:
                    recognisers.append((s, cls))
        nat = getattr(module, "NATIONAL", None)
        if nat is not None:
            national[cc.upper()] = by_id[nat]
    return _Index(
        MappingProxyType(by_id),
        MappingProxyType(by_guid),
        MappingProxyType(by_class),
        tuple(recognisers),
        MappingProxyType(national),
    )


def schemes() -> tuple[Scheme, ...]:
    """Every scheme the profiles declare, the generic EMVCo reading first."""
    return tuple(_index().by_id.values())


def scheme(scheme_id: str) -> Scheme:
    """The scheme with this id; ``LookupFailed`` (``registry.unknown_scheme``) otherwise."""
    found = _index().by_id.get(scheme_id)
    if found is None:
        raise LookupFailed.of(
            "registry.unknown_scheme",
            f"no payment QR scheme has the id {scheme_id!r:.40}",
            loc="scheme",
            ctx={"known": sorted(_index().by_id)},
        )
    return found


def national_scheme(country: str) -> Scheme | None:
    """The national payment QR scheme of a member (alpha-2), or None where there is none."""
    return _index().national.get(country.upper())


def scheme_of_template(cls: type[AccountTemplate]) -> Scheme:
    """The scheme an account template class belongs to (the generic reading if none)."""
    return _index().by_class.get(cls, EMVCO)


def classify(tag: str, subs: Mapping[str, str]) -> tuple[Scheme, type[AccountTemplate]]:
    """The scheme and view class of one merchant account template (26-51)."""
    ix = _index()
    guid = subs.get("00")
    if guid is not None:
        hit = ix.by_guid.get(guid.upper())
        if hit is not None:
            return hit
    for s, cls in ix.recognisers:
        if cls.recognises(tag, subs):
            return s, cls
    return EMVCO, MerchantAccount
