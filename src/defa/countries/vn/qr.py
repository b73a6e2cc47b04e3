"""Viet Nam's payment QR schemes: VietQR (NAPAS 247) and VNPAY-QR.

Sources: NAPAS, "VietQR" specification (EMVCo MPM based; AID A000000727 under ID 38, a nested
beneficiary template of bank BIN and account or card number, and a service code), and the
State Bank of Viet Nam's BIN assignments as listed by VietQR; VNPAY-QR (AID A000000775) from
public payloads. VietQR codes leave out the merchant category code, name and city; VND has no
minor unit, so amounts are whole dong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from defa import data
from defa.qr import AccountTemplate, Confidence, Scheme

__all__ = ["NATIONAL", "SCHEMES", "VNPayQR", "VietQR", "bank_name"]

SERVICE_CODES = {
    "QRIBFTTA": "instant transfer to an account",
    "QRIBFTTC": "instant transfer to a card",
    "QRPUSH": "payment to a merchant",
    "QRCASH": "cash withdrawal",
}


@cache
def _banks() -> dict[str, str]:
    return {row["bin"]: row["name"] for row in data.load("vn-napas-bins").content["bank"]}


def bank_name(bin_: str) -> str | None:
    """The bank a NAPAS BIN belongs to, from the packaged list; None if not listed."""
    return _banks().get(bin_)


@dataclass(frozen=True, slots=True, kw_only=True)
class VietQR(AccountTemplate):
    """VietQR beneficiary: bank BIN, account or card number, service code."""

    GUIDS: ClassVar[tuple[str, ...]] = ("A000000727",)
    DEFAULT_TAG: ClassVar[str] = "38"
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "bank_bin": "01.00",
        "account": "01.01",
        "service_code": "02",
    }
    ALLOWED: ClassVar[Mapping[str, frozenset[str]]] = {"service_code": frozenset(SERVICE_CODES)}
    DIGITS: ClassVar[frozenset[str]] = frozenset({"bank_bin"})

    bank_bin: str | None = None  # 6 digits, e.g. "970436"
    account: str | None = None  # account number (QRIBFTTA) or card number (QRIBFTTC)
    service_code: str | None = None

    @property
    def bank(self) -> str | None:
        """The beneficiary bank's name, when its BIN is in the packaged list."""
        return bank_name(self.bank_bin) if self.bank_bin else None


@dataclass(frozen=True, slots=True, kw_only=True)
class VNPayQR(AccountTemplate):
    """VNPAY-QR merchant account."""

    GUIDS: ClassVar[tuple[str, ...]] = ("A000000775",)
    SUBTAGS: ClassVar[Mapping[str, str]] = {"merchant_id": "01"}

    merchant_id: str | None = None


SCHEMES = (
    Scheme(
        id="vn.vietqr",
        name="VietQR",
        country="VN",
        templates=(VietQR,),
        operator="National Payment Corporation of Vietnam (NAPAS)",
        sources=("NAPAS VietQR specification", "https://api.vietqr.io/v2/banks (BINs)"),
        confidence=Confidence.MEDIUM,
        omits=frozenset({"52", "59", "60"}),
    ),
    Scheme(
        id="vn.vnpayqr",
        name="VNPAY-QR",
        country="VN",
        templates=(VNPayQR,),
        operator="VNPAY",
        sources=("public VNPAY-QR payloads",),
        confidence=Confidence.LOW,
    ),
)
NATIONAL = "vn.vietqr"
