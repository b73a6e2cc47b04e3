"""Timor-Leste: no national payment QR scheme.

Banco Central de Timor-Leste has published no national payment QR standard that DEFA could
find. Codes with country TL are read as plain EMVCo MPM.
"""

from __future__ import annotations

from defa.qr import Scheme

__all__ = ["NATIONAL", "SCHEMES", "STATEMENT"]

STATEMENT = "No national payment QR scheme is published for Timor-Leste."
SCHEMES: tuple[Scheme, ...] = ()
NATIONAL: str | None = None
