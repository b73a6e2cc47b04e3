"""Conformance on the real payloads of shared/vectors/qr/payloads.json.

Expected outcomes come from each row's own columns: ``valid_crc_and_tlv`` and ``scheme``
(mapped below to a country and a scheme id by hand). For an invalid row the expected code is
worked out here, independently of the codec: a payload whose last object is a four-character
CRC and whose CRC-16/CCITT-FALSE (binascii) differs is a CRC mismatch.
"""

from __future__ import annotations

import binascii
import json
from typing import Any

import pytest

from defa.errors import Severity
from defa.qr import decode, encode
from tests.shared import shared_path

# The row's scheme column -> (ISO 3166 alpha-2, scheme id). The EMVCo examples are Chinese
# (country code CN) and carry no ASEAN scheme; "VN other" rows carry wallets no profile names.
EXPECTED: dict[str, tuple[str, str]] = {
    "EMVCo spec Annex B.7": ("CN", "emvco"),
    "EMVCo spec example": ("CN", "emvco"),
    "ID QRIS": ("ID", "id.qris"),
    "KH KHQR": ("KH", "kh.khqr"),
    "MY DuitNow": ("MY", "my.duitnow"),
    "PH QR Ph P2M": ("PH", "ph.qrph.p2m"),
    "PH QR Ph P2P": ("PH", "ph.qrph.p2p"),
    "SG PayNow": ("SG", "sg.paynow"),
    "TH Bill Payment": ("TH", "th.billpayment"),
    "TH PromptPay AnyID": ("TH", "th.promptpay"),
    "VN VietQR": ("VN", "vn.vietqr"),
    "VN VNPAY-QR": ("VN", "vn.vnpayqr"),
    "VN other": ("VN", "emvco"),
}


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(
        shared_path("vectors", "qr", "payloads.json").read_text("utf-8")
    )
    return rows


ROWS = _rows()
VALID = [r for r in ROWS if r["valid_crc_and_tlv"]]
INVALID = [r for r in ROWS if not r["valid_crc_and_tlv"]]


def _id(row: dict[str, Any]) -> str:
    return f"{row['scheme']}:{row['payload'][-8:]}"


def test_the_vectors_are_all_there() -> None:
    assert len(ROWS) == 159
    assert {r["scheme"] for r in ROWS} == set(EXPECTED)


@pytest.mark.parametrize("row", VALID, ids=_id)
def test_valid_rows_decode_clean_identify_and_reencode(row: dict[str, Any]) -> None:
    p = decode(row["payload"])
    errors = [i for i in p.issues if i.severity is Severity.ERROR]
    assert errors == []
    assert (p.country, p.scheme) == EXPECTED[row["scheme"]]
    assert encode(p) == row["payload"]


def _hand_expected_code(payload: str) -> str:
    # Independent of the codec: the last object must read "6304" + 4 hex digits, and the
    # checksum of everything before those digits must equal them.
    assert payload[-8:-4] == "6304", "every invalid vector ends with a CRC object"
    computed = f"{binascii.crc_hqx(payload[:-4].encode('utf-8'), 0xFFFF):04X}"
    assert computed != payload[-4:].upper(), "invalid rows in this set have a wrong CRC"
    return "qr.crc_mismatch"


@pytest.mark.parametrize("row", INVALID, ids=_id)
def test_invalid_rows_give_the_right_error(row: dict[str, Any]) -> None:
    p = decode(row["payload"])
    codes = {i.code for i in p.issues if i.severity is Severity.ERROR}
    assert _hand_expected_code(row["payload"]) in codes
    assert not p.valid


@pytest.mark.parametrize("row", INVALID, ids=_id)
def test_invalid_rows_are_still_identified(row: dict[str, Any]) -> None:
    # Lenient reading: a wrong CRC does not stop the scheme from being read.
    assert (decode(row["payload"]).country, decode(row["payload"]).scheme) == EXPECTED[
        row["scheme"]
    ]


def test_lower_case_crc_row_is_a_warning_and_kept_on_reencode() -> None:
    lower = [r for r in VALID if r["payload"][-4:] != r["payload"][-4:].upper()]
    assert lower, "the vectors hold a payload with a lower-case CRC"
    for row in lower:
        p = decode(row["payload"])
        assert [i.code for i in p.issues if i.code.startswith("qr.crc")] == ["qr.crc_lowercase"]
        assert encode(p) == row["payload"]


def test_conformance_summary() -> None:
    clean = identified = same = 0
    for row in VALID:
        p = decode(row["payload"])
        clean += p.valid
        identified += (p.country, p.scheme) == EXPECTED[row["scheme"]]
        same += encode(p) == row["payload"]
    right = sum(
        _hand_expected_code(r["payload"]) in {i.code for i in decode(r["payload"]).issues}
        for r in INVALID
    )
    assert (clean, identified, same, right) == (len(VALID), len(VALID), len(VALID), len(INVALID))
