"""Laos' payment QR scheme: LAO QR, the LAPNet interoperable code.

Confidence: low to medium. The Bank of the Lao PDR and LAPNet have not published the
specification openly; the layout here (AID A005266284662577 under ID 38; the acquirer's IIN, a
payment type and the receiver id) is consistent across public integrations of BCEL OnePay, JDB
and LDB and their payloads. Currency LAK (418).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from defa.qr import AccountTemplate, Confidence, Scheme

__all__ = ["NATIONAL", "SCHEMES", "LaoQR"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LaoQR(AccountTemplate):
    """LAO QR receiver: acquirer IIN, payment type, receiver id."""

    GUIDS: ClassVar[tuple[str, ...]] = ("A005266284662577",)
    DEFAULT_TAG: ClassVar[str] = "38"
    SUBTAGS: ClassVar[Mapping[str, str]] = {"iin": "01", "payment_type": "02", "receiver_id": "03"}
    DIGITS: ClassVar[frozenset[str]] = frozenset({"iin"})

    iin: str | None = None  # 8 digits, the acquirer's institution number
    payment_type: str | None = None  # "001", "002", ...; meanings not published
    receiver_id: str | None = None


SCHEMES = (
    Scheme(
        id="la.laoqr",
        name="LAO QR",
        country="LA",
        templates=(LaoQR,),
        operator="Lao National Payment Network (LAPNet)",
        sources=("public LAPNet / BCEL OnePay integrations and payloads",),
        confidence=Confidence.LOW,
    ),
)
NATIONAL = "la.laoqr"
