"""Real payment QR payloads from the shared vectors, picked by scheme, read in place."""

from __future__ import annotations

import json
from functools import cache

from tests.shared import shared_path


@cache
def _rows() -> tuple[dict[str, object], ...]:
    path = shared_path("vectors", "qr", "payloads.json")
    return tuple(json.loads(path.read_text(encoding="utf-8")))


def payload(scheme: str, contains: str = "") -> str:
    """The first payload of ``scheme`` (as the vector file names it) with correct TLV and CRC."""
    for row in _rows():
        text = str(row["payload"])
        if row["scheme"] == scheme and row["valid_crc_and_tlv"] and contains in text:
            return text
    raise AssertionError(f"no valid {scheme} vector containing {contains!r}")
