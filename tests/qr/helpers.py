"""Test helpers written independently of the codec: TLV and CRC by hand."""

from __future__ import annotations

import binascii


def obj(tag: str, value: str) -> str:
    """One data object; the length counts characters."""
    return f"{tag}{len(value):02d}{value}"


def with_crc(body: str) -> str:
    """Append ``6304`` and the CRC-16/CCITT-FALSE of the UTF-8 bytes, upper-case hex."""
    head = body + "6304"
    return head + f"{binascii.crc_hqx(head.encode('utf-8'), 0xFFFF):04X}"
