"""Brunei Darussalam: no national payment QR scheme.

Brunei has no national EMVCo-based payment QR standard published by Autoriti Monetari Brunei
Darussalam that DEFA could find. Codes with country BN are read as plain EMVCo MPM.
"""

from __future__ import annotations

from defa.qr import Scheme

__all__ = ["NATIONAL", "SCHEMES", "STATEMENT"]

STATEMENT = "No national payment QR scheme is published for Brunei Darussalam."
SCHEMES: tuple[Scheme, ...] = ()
NATIONAL: str | None = None
