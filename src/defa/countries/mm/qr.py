"""Myanmar's payment QR scheme: MMQR, the Central Bank of Myanmar's national standard (2020-).

Confidence: low. The MMQR Code Standard is not published openly. Public payloads show EMVCo
MPM codes with country MM and currency MMK (104), but acquirers use their own GUIDs (bank UUIDs,
``com.mmqrpay.www``), so only the GUID seen in public examples is recognised here and the
account's sub-IDs are kept unnamed in ``extra``. A code with country MM and no merchant account
template is read as MMQR, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from defa.qr import AccountTemplate, Confidence, Scheme

__all__ = ["MMQR", "NATIONAL", "SCHEMES"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MMQR(AccountTemplate):
    """An MMQR merchant account; sub-IDs are in ``extra`` (their meaning is not public)."""

    GUIDS: ClassVar[tuple[str, ...]] = ("com.mmqrpay.www",)


SCHEMES = (
    Scheme(
        id="mm.mmqr",
        name="MMQR",
        country="MM",
        templates=(MMQR,),
        operator="Central Bank of Myanmar",
        sources=("press reports of the MMQR Code Standard (2020)", "a few public payloads"),
        confidence=Confidence.LOW,
    ),
)
NATIONAL = "mm.mmqr"
