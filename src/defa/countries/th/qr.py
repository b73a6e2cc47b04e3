"""Thailand's payment QR schemes: PromptPay credit transfer and Thai QR bill payment.

Source: Bank of Thailand and Thai Bankers' Association, "Thai QR Code Payment Standard" (2017):
PromptPay under AID A000000677010111 (ID 29), bill payment under A000000677010112 (ID 30).
PromptPay codes leave out the merchant category code, name and city: reported as notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Self

from defa.qr import AccountTemplate, Confidence, Scheme

__all__ = ["NATIONAL", "SCHEMES", "BillPayment", "PromptPay"]

_OMITS = frozenset({"52", "59", "60"})


@dataclass(frozen=True, slots=True, kw_only=True)
class PromptPay(AccountTemplate):
    """PromptPay AnyID: exactly one of mobile, national or tax id, e-wallet id, bank account."""

    GUIDS: ClassVar[tuple[str, ...]] = ("A000000677010111",)
    DEFAULT_TAG: ClassVar[str] = "29"
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "mobile": "01",
        "national_id": "02",
        "ewallet_id": "03",
        "bank_account": "04",
        "ota": "05",
    }
    DIGITS: ClassVar[frozenset[str]] = frozenset({"mobile", "national_id", "ewallet_id"})

    mobile: str | None = None  # 13 digits: "0066" and the number without its leading 0
    national_id: str | None = None  # 13-digit citizen id or tax id
    ewallet_id: str | None = None  # 15 digits
    bank_account: str | None = None  # bank code and account number
    ota: str | None = None  # one-time authorisation value, where a bank issues one

    @classmethod
    def for_mobile(cls, number: str) -> Self:
        """The template for a Thai mobile number written nationally ("0812345678")."""
        digits = "".join(c for c in number if c.isdigit())
        if digits.startswith("66"):
            digits = digits[2:]
        return cls(mobile="0066" + digits.lstrip("0"))


@dataclass(frozen=True, slots=True, kw_only=True)
class BillPayment(AccountTemplate):
    """Thai QR bill payment: biller id (tax id and suffix) and the biller's references."""

    # Domestic merchants, and the AID public implementations use for cross-border merchants.
    GUIDS: ClassVar[tuple[str, ...]] = ("A000000677010112", "A000000677012006")
    DEFAULT_TAG: ClassVar[str] = "30"
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "biller_id": "01",
        "reference_1": "02",
        "reference_2": "03",
    }

    biller_id: str | None = None  # 15 characters: 13-digit tax id and a 2-digit suffix
    reference_1: str | None = None
    reference_2: str | None = None


_SOURCES = ("Bank of Thailand / Thai Bankers' Association, Thai QR Code Payment Standard (2017)",)
SCHEMES = (
    Scheme(
        id="th.promptpay",
        name="PromptPay",
        country="TH",
        templates=(PromptPay,),
        operator="National ITMX",
        sources=_SOURCES,
        confidence=Confidence.MEDIUM,
        omits=_OMITS,
    ),
    Scheme(
        id="th.billpayment",
        name="Thai QR bill payment",
        country="TH",
        templates=(BillPayment,),
        operator="National ITMX",
        sources=_SOURCES,
        confidence=Confidence.MEDIUM,
        omits=_OMITS,
    ),
)
NATIONAL = "th.promptpay"
