"""Cambodia's payment QR scheme: KHQR, on the National Bank of Cambodia's Bakong system.

Source: National Bank of Cambodia, "KHQR Content Guideline" and the Bakong KHQR SDK
documentation. KHQR puts a Bakong account id ("name@bank"), not a GUID, in sub-ID 00 of ID 29
(individual) and ID 30 (merchant), so those templates are recognised by that shape; ID 99
carries the creation and expiry timestamps (milliseconds since 1970). KHQR codes in circulation
write riel (KHR) amounts as whole numbers (no fractional riel is in use) and US dollars with up to
two decimals; DEFA encodes them so and reports a riel amount with decimals as a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from defa.qr import AccountTemplate, Confidence, Scheme, Template

__all__ = ["NATIONAL", "SCHEMES", "KhqrIndividual", "KhqrMerchant", "KhqrTimestamps"]


def _is_bakong_id(value: str) -> bool:
    name, at, bank = value.partition("@")
    return bool(at and name and bank)


@dataclass(frozen=True, slots=True, kw_only=True)
class KhqrIndividual(AccountTemplate):
    """KHQR individual account (ID 29)."""

    DEFAULT_TAG: ClassVar[str] = "29"
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "bakong_account_id": "00",
        "account_information": "01",
        "acquiring_bank": "02",
    }

    bakong_account_id: str | None = None  # "name@bank"
    account_information: str | None = None
    acquiring_bank: str | None = None

    @classmethod
    def recognises(cls, tag: str, subs: Mapping[str, str]) -> bool:
        return tag == "29" and _is_bakong_id(subs.get("00", ""))


@dataclass(frozen=True, slots=True, kw_only=True)
class KhqrMerchant(AccountTemplate):
    """KHQR merchant account (ID 30)."""

    DEFAULT_TAG: ClassVar[str] = "30"
    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "bakong_account_id": "00",
        "merchant_id": "01",
        "acquiring_bank": "02",
    }

    bakong_account_id: str | None = None
    merchant_id: str | None = None
    acquiring_bank: str | None = None

    @classmethod
    def recognises(cls, tag: str, subs: Mapping[str, str]) -> bool:
        return tag == "30" and _is_bakong_id(subs.get("00", ""))


@dataclass(frozen=True, slots=True, kw_only=True)
class KhqrTimestamps(Template):
    """ID 99 of a KHQR code: creation and expiry, milliseconds since 1970-01-01 UTC."""

    SUBTAGS: ClassVar[Mapping[str, str]] = {"created": "00", "expires": "01"}

    created: str | None = None
    expires: str | None = None

    @staticmethod
    def _at(ms: str | None) -> datetime | None:
        if not ms or not ms.isdigit() or len(ms) > 15:
            return None
        return datetime.fromtimestamp(int(ms) / 1000, tz=UTC)

    @property
    def created_at(self) -> datetime | None:
        """The creation time, if readable."""
        return self._at(self.created)

    @property
    def expires_at(self) -> datetime | None:
        """The expiry time, if readable."""
        return self._at(self.expires)


SCHEMES = (
    Scheme(
        id="kh.khqr",
        name="KHQR",
        country="KH",
        templates=(KhqrIndividual, KhqrMerchant),
        operator="National Bank of Cambodia (Bakong)",
        sources=("NBC KHQR Content Guideline", "Bakong KHQR SDK documentation"),
        confidence=Confidence.MEDIUM,
        amount_decimals={"KHR": 0},
        currencies=("KHR", "USD"),
    ),
)
NATIONAL = "kh.khqr"
