"""Malaysia's payment QR scheme: DuitNow QR, run by PayNet.

DuitNow payloads in circulation carry Payload Format Indicator "02" (EMVCo defines "01"); they
are read and the deviation reported. Sub-ID meanings follow PayNet's DuitNow QR documentation
as seen in public payloads; PayNet's full specification is shared with participants only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from defa.qr import AccountTemplate, Confidence, Scheme

__all__ = ["NATIONAL", "SCHEMES", "DuitNow"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DuitNow(AccountTemplate):
    """DuitNow QR merchant account (AID A0000006150001, PayNet)."""

    GUIDS: ClassVar[tuple[str, ...]] = ("A0000006150001",)
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "acquirer_id": "01",
        "merchant_id": "02",
        "merchant_account": "03",
    }

    acquirer_id: str | None = None  # PayNet participant code of the acquirer
    merchant_id: str | None = None
    merchant_account: str | None = None


SCHEMES = (
    Scheme(
        id="my.duitnow",
        name="DuitNow QR",
        country="MY",
        templates=(DuitNow,),
        operator="Payments Network Malaysia (PayNet)",
        sources=("PayNet DuitNow QR (EMVCo MPM based), as seen in public payloads",),
        confidence=Confidence.LOW,
    ),
)
NATIONAL = "my.duitnow"
