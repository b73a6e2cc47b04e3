"""Singapore's payment QR schemes: PayNow, NETS, and the SGQR merchant label.

Sources: MAS and ABS, "PayNow QR code" and "SGQR Specifications" (EMVCo MPM based, 2018-);
the SGQR template carries the merchant's SGQR identity, not a payment network, so a payment
scheme present in the same code names the payload's scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from defa.qr import AccountTemplate, Confidence, Scheme

__all__ = ["NATIONAL", "NETS", "SCHEMES", "SGQR", "PayNow"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PayNow(AccountTemplate):
    """PayNow credit transfer to a mobile number or a UEN."""

    GUIDS: ClassVar[tuple[str, ...]] = ("SG.PAYNOW",)
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "proxy_type": "01",
        "proxy_value": "02",
        "editable": "03",
        "expiry": "04",
    }
    ALLOWED: ClassVar[Mapping[str, frozenset[str]]] = {
        "proxy_type": frozenset({"0", "2"}),
        "editable": frozenset({"0", "1"}),
    }

    proxy_type: str | None = None  # "0" mobile number, "2" UEN
    proxy_value: str | None = None  # "+6591234567" or the UEN
    editable: str | None = None  # "1": the payer may change the amount
    expiry: str | None = None  # YYYYMMDD; some issuers append hhmmss


@dataclass(frozen=True, slots=True, kw_only=True)
class SGQR(AccountTemplate):
    """The SGQR label template (ID 51): the merchant's SGQR identity and location."""

    GUIDS: ClassVar[tuple[str, ...]] = ("SG.SGQR",)
    DEFAULT_TAG: ClassVar[str] = "51"
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "sgqr_id": "01",
        "version": "02",
        "postal_code": "03",
        "level": "04",
        "unit_number": "05",
        "miscellaneous": "06",
        "version_date": "07",
    }

    sgqr_id: str | None = None
    version: str | None = None
    postal_code: str | None = None
    level: str | None = None
    unit_number: str | None = None
    miscellaneous: str | None = None
    version_date: str | None = None  # YYYYMMDD


@dataclass(frozen=True, slots=True, kw_only=True)
class NETS(AccountTemplate):
    """NETS QR: merchant and terminal of the NETS network (layout from public payloads)."""

    GUIDS: ClassVar[tuple[str, ...]] = ("SG.COM.NETS",)
    SUBTAGS: ClassVar[Mapping[str, str]] = {"merchant_id": "02", "terminal_id": "03"}

    merchant_id: str | None = None
    terminal_id: str | None = None


SCHEMES = (
    Scheme(
        id="sg.paynow",
        name="PayNow",
        country="SG",
        templates=(PayNow,),
        operator="Association of Banks in Singapore",
        sources=("ABS PayNow QR specification (EMVCo MPM)", "MAS SGQR Specifications"),
        confidence=Confidence.MEDIUM,
    ),
    Scheme(
        id="sg.nets",
        name="NETS QR",
        country="SG",
        templates=(NETS,),
        operator="Network for Electronic Transfers (Singapore)",
        sources=("NETS QR merchant documentation", "public NETS QR payloads"),
        confidence=Confidence.LOW,
    ),
    Scheme(
        id="sg.sgqr",
        name="SGQR",
        country="SG",
        templates=(SGQR,),
        operator="Monetary Authority of Singapore / IMDA",
        sources=("MAS SGQR Specifications",),
        confidence=Confidence.MEDIUM,
        rank=10,
    ),
)
NATIONAL = "sg.paynow"
