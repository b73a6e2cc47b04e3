"""The Philippines' payment QR scheme: QR Ph, person-to-merchant (P2M) and person-to-person (P2P).

Source: Bangko Sentral ng Pilipinas Circular 1055 (2019) adopting QR Ph, and the Philippine
Payments Management Inc. (PPMI) QR Ph P2M and P2P specifications: P2M under GUID
"ph.ppmi.p2m" (ID 28) with the acquirer's BIC and the merchant id; P2P under "com.p2pqrpay"
(ID 27) with the receiving institution's BIC and account. Sub-IDs whose meaning is not in the
public material stay in ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from defa.qr import AccountTemplate, Confidence, Scheme

__all__ = ["NATIONAL", "SCHEMES", "QrPhP2M", "QrPhP2P"]


@dataclass(frozen=True, slots=True, kw_only=True)
class QrPhP2M(AccountTemplate):
    """QR Ph person-to-merchant account."""

    GUIDS: ClassVar[tuple[str, ...]] = ("ph.ppmi.p2m",)
    DEFAULT_TAG: ClassVar[str] = "28"
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "acquirer_bic": "01",
        "merchant_id": "03",
        "merchant_credit_account": "04",
        "payment_type": "05",
    }

    acquirer_bic: str | None = None  # e.g. "GXCHPHM2XXX"
    merchant_id: str | None = None
    merchant_credit_account: str | None = None
    payment_type: str | None = None  # three digits; the code list is not public


@dataclass(frozen=True, slots=True, kw_only=True)
class QrPhP2P(AccountTemplate):
    """QR Ph person-to-person account."""

    GUIDS: ClassVar[tuple[str, ...]] = ("com.p2pqrpay",)
    DEFAULT_TAG: ClassVar[str] = "27"
    SUBTAGS: ClassVar[Mapping[str, str]] = {"bic": "01", "account_number": "03"}

    bic: str | None = None
    account_number: str | None = None


_SOURCES = ("BSP Circular 1055 (2019)", "PPMI QR Ph P2M and P2P specifications")
SCHEMES = (
    Scheme(
        id="ph.qrph.p2m",
        name="QR Ph P2M",
        country="PH",
        templates=(QrPhP2M,),
        operator="Philippine Payments Management Inc. (PPMI)",
        sources=_SOURCES,
        confidence=Confidence.MEDIUM,
    ),
    Scheme(
        id="ph.qrph.p2p",
        name="QR Ph P2P",
        country="PH",
        templates=(QrPhP2P,),
        operator="Philippine Payments Management Inc. (PPMI)",
        sources=_SOURCES,
        confidence=Confidence.LOW,
    ),
)
NATIONAL = "ph.qrph.p2m"
