"""Indonesia's payment QR scheme: QRIS (Quick Response Code Indonesian Standard).

Source: Bank Indonesia, PADG 21/18/PADG/2019 and ASPI's QRIS specification: acquirer templates
(IDs 26-45) carry a Merchant PAN whose National Numbering System prefix starts "9360", the
merchant id and the merchant criteria; the national repository template (ID 51, GUID
ID.CO.QRIS.WWW, formerly ID.OR.GPNQR.WWW) carries the National Merchant ID (NMID). Acquirers
use their own GUIDs, so an acquirer template is recognised by its PAN prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from defa.qr import AccountTemplate, Confidence, Scheme

__all__ = ["NATIONAL", "SCHEMES", "QrisAcquirer", "QrisNational"]

_CRITERIA = frozenset({"UMI", "UKE", "UME", "UBE", "URE"})  # micro, small, medium, large, regular


@dataclass(frozen=True, slots=True, kw_only=True)
class QrisAcquirer(AccountTemplate):
    """A QRIS acquirer's merchant account: Merchant PAN, merchant id, criteria."""

    SUBTAGS: ClassVar[Mapping[str, str]] = {
        "merchant_pan": "01",
        "merchant_id": "02",
        "merchant_criteria": "03",
    }
    ALLOWED: ClassVar[Mapping[str, frozenset[str]]] = {"merchant_criteria": _CRITERIA}
    DIGITS: ClassVar[frozenset[str]] = frozenset({"merchant_pan"})

    merchant_pan: str | None = None  # NNS (8 digits, "9360xxxx"), merchant number, check digit
    merchant_id: str | None = None
    merchant_criteria: str | None = None

    @classmethod
    def recognises(cls, tag: str, subs: Mapping[str, str]) -> bool:
        pan = subs.get("01", "")
        return "26" <= tag <= "45" and pan.startswith("9360") and pan.isdigit()

    @property
    def nns(self) -> str | None:
        """The National Numbering System code of the acquirer (first 8 digits of the PAN)."""
        return self.merchant_pan[:8] if self.merchant_pan else None


@dataclass(frozen=True, slots=True, kw_only=True)
class QrisNational(AccountTemplate):
    """The QRIS national repository template: National Merchant ID and criteria."""

    GUIDS: ClassVar[tuple[str, ...]] = ("ID.CO.QRIS.WWW", "ID.OR.GPNQR.WWW")
    DEFAULT_TAG: ClassVar[str] = "51"
    SUBTAGS: ClassVar[Mapping[str, str]] = {"nmid": "02", "merchant_criteria": "03"}
    ALLOWED: ClassVar[Mapping[str, frozenset[str]]] = {"merchant_criteria": _CRITERIA}

    nmid: str | None = None  # "ID" and 13 digits
    merchant_criteria: str | None = None


SCHEMES = (
    Scheme(
        id="id.qris",
        name="QRIS",
        country="ID",
        templates=(QrisAcquirer, QrisNational),
        operator="Bank Indonesia / Asosiasi Sistem Pembayaran Indonesia (ASPI)",
        sources=("Bank Indonesia PADG 21/18/PADG/2019", "ASPI QRIS specification"),
        confidence=Confidence.MEDIUM,
    ),
)
NATIONAL = "id.qris"
