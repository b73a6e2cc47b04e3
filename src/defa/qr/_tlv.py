"""The EMVCo MPM data-object layer: ID / length / value scanning, joining and the CRC.

Everything here is on the hot path of :func:`defa.qr.decode`, so it is written as one linear
scan with dictionary look-ups instead of ``int()`` or regular expressions: a payload of twenty
data objects is split in a few microseconds.

Lengths count characters (Unicode code points), not bytes (EMVCo MPM 1.1 §4.4.1.1); the CRC is
computed over the UTF-8 bytes (§4.7.3.1, §1.4.3).
"""

from __future__ import annotations

from binascii import crc_hqx
from collections.abc import Iterable

__all__ = ["MAX_PAYLOAD", "SPEC", "ScanError", "crc16", "crc_hex", "join", "scan", "tlv"]

#: The clause references used in issues, by topic (EMVCo MPM v1.1, 2020).
SPEC = {
    "payload": "EMVCo MPM 1.1 §4.1",
    "presence": "EMVCo MPM 1.1 §4.2.1.1",
    "id": "EMVCo MPM 1.1 §4.3.1.1",
    "unique": "EMVCo MPM 1.1 §4.3.1.2",
    "length": "EMVCo MPM 1.1 §4.4.1.2",
    "length_count": "EMVCo MPM 1.1 §4.4.1.1",
    "format": "EMVCo MPM 1.1 §4.5",
    "rfu": "EMVCo MPM 1.1 §4.5.4.1",
    "first": "EMVCo MPM 1.1 §4.6.1.1",
    "last": "EMVCo MPM 1.1 §4.6.1.2",
    "format_indicator": "EMVCo MPM 1.1 §4.7.1",
    "initiation": "EMVCo MPM 1.1 §4.7.2",
    "crc": "EMVCo MPM 1.1 §4.7.3.1",
    "crc_case": "EMVCo MPM 1.1 §4.7.3.2",
    "amount": "EMVCo MPM 1.1 §4.7.4.1",
    "currency": "EMVCo MPM 1.1 §4.7.5.1",
    "tip": "EMVCo MPM 1.1 §4.7.6 to §4.7.8",
    "account": "EMVCo MPM 1.1 §4.7.9.1",
    "guid": "EMVCo MPM 1.1 §4.7.11.2",
    "mcc": "EMVCo MPM 1.1 §4.7.12",
    "country": "EMVCo MPM 1.1 §4.7.13",
    "name": "EMVCo MPM 1.1 §4.7.14",
    "city": "EMVCo MPM 1.1 §4.7.15",
    "additional": "EMVCo MPM 1.1 §4.8",
    "language": "EMVCo MPM 1.1 §4.9",
    "table": "EMVCo MPM 1.1 Table 3.6",
    "template": "EMVCo MPM 1.1 §3.2",
}

#: Refuse longer input unread: a QR Code (version 40, level L, byte mode) holds at most 2953
#: bytes, and every character takes at least one byte.
MAX_PAYLOAD = 2953

# "00".."99" -> 0..99. A dict look-up on a two-character slice is the fastest way to read and
# validate a two-digit field at once; anything else (signs, spaces, "٣") is simply absent.
_NUM2: dict[str, int] = {f"{n:02d}": n for n in range(100)}


class ScanError:
    """Why and where a scan stopped: ``code`` is a ``qr.*`` code, ``at`` a character offset."""

    __slots__ = ("at", "code", "detail")

    def __init__(self, code: str, at: int, detail: str) -> None:
        self.code = code
        self.at = at
        self.detail = detail

    def __repr__(self) -> str:
        return f"ScanError({self.code!r}, {self.at}, {self.detail!r})"


# "IDLL" (ID and length, the four characters heading every data object) -> (ID, length).
# One slice and one dict look-up read and validate both fields; a miss means one of them is
# not two digits, and only then is the header examined further.
_HEADER: dict[str, tuple[str, int]] = {
    f"{t:02d}{n:02d}": (f"{t:02d}", n) for t in range(100) for n in range(100)
}


def _header_error(text: str, i: int) -> ScanError:
    tag = text[i : i + 2]
    if tag not in _NUM2:
        return ScanError("qr.bad_id", i, f"ID {tag!r} is not two digits")
    return ScanError(
        "qr.bad_length", i + 2, f"length {text[i + 2 : i + 4]!r} of ID {tag} is not two digits"
    )


def scan(text: str) -> tuple[list[tuple[str, str]], int, ScanError | None]:
    """Split ``text`` into ``(id, value)`` pairs, in order.

    Returns the pairs read, the offset of the (last) CRC object's ID (``-1`` if none was read)
    and the error that stopped the scan (``None`` when the whole text was consumed). A scan
    never raises; what was read before an error is kept, so a reader can still report on it.
    """
    out: list[tuple[str, str]] = []
    append = out.append
    header = _HEADER.get
    i = 0
    n = len(text)
    while i < n:
        head = header(text[i : i + 4])
        if head is None:
            if n - i < 4:
                err = ScanError("qr.truncated", i, "fewer than 4 characters left")
            else:
                err = _header_error(text, i)
            return out, _crc_offset(out), err
        tag, length = head
        start = i + 4
        i = start + length
        if i > n:
            err = ScanError(
                "qr.truncated",
                start - 4,
                f"ID {tag} declares {length} characters, {n - start} remain",
            )
            return out, _crc_offset(out), err
        append((tag, text[start:i]))
    # The CRC is found after the loop, not by a test per object: it is almost always last.
    if out and out[-1][0] == "63":
        return out, n - 4 - len(out[-1][1]), None
    return out, _crc_offset(out), None


def _crc_offset(pairs: list[tuple[str, str]]) -> int:
    """The offset of the last CRC object (ID 63) among pairs read from offset 0, or -1."""
    offset = 0
    found = -1
    for tag, value in pairs:
        if tag == "63":
            found = offset
        offset += 4 + len(value)
    return found


def tlv(tag: str, value: str) -> str:
    """One data object: ID, two-digit character count, value. Raises ``ValueError`` past 99."""
    n = len(value)
    if n > 99:
        raise ValueError(f"value of ID {tag} has {n} characters; at most 99 fit")
    return f"{tag}{n:02d}{value}"


def join(pairs: Iterable[tuple[str, str]]) -> str:
    """Concatenate data objects in the order given."""
    return "".join([tlv(t, v) for t, v in pairs])


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF), as §4.7.3.1 prescribes."""
    return crc_hqx(data, 0xFFFF)


def crc_hex(text_through_6304: str) -> str:
    """The four upper-case hex digits of the CRC of a payload up to and including ``6304``."""
    return f"{crc_hqx(text_through_6304.encode('utf-8'), 0xFFFF):04X}"
