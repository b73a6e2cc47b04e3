"""Viet Nam: the tax code (MST, python-stdnum vn.mst), tin and brn alike."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

MST = scheme("VN", "mst")


def test_roles() -> None:
    assert scheme("VN", "tin") is MST
    assert scheme("VN", "brn") is MST


# Enterprise codes as the companies print them: Vietnam Dairy Products JSC (Vinamilk)
# "Giấy CNĐKDN: 0300588569"; Viettel 0100109106; FPT Corporation 0101248141; Vietcombank
# 0100112437. A dependent unit adds a 3-digit suffix after a hyphen (Circular 105/2020).
@pytest.mark.parametrize(
    ("value", "compact", "formatted"),
    [
        ("0300588569", "0300588569", "0300588569"),
        ("0100109106", "0100109106", "0100109106"),
        ("0101248141", "0101248141", "0101248141"),
        ("01.00.112.437", "0100112437", "0100112437"),
        ("0300588569-001", "0300588569001", "0300588569-001"),
    ],
)
def test_published_examples(value: str, compact: str, formatted: str) -> None:
    assert_valid(MST, value, compact, formatted)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("12345", "id.invalid_length"),
        ("0300588560", "id.invalid_checksum"),  # Vinamilk's code, check digit changed
        ("0300588569-000", "id.invalid_component"),  # branch 000 is not issued
        ("03OO588569", "id.invalid_format"),
    ],
)
def test_junk(value: str, code: str) -> None:
    assert_rejected(MST, value, code)
