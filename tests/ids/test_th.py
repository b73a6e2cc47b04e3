"""Thailand: the 13-digit TIN (python-stdnum th.tin / th.moa / th.pin)."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

TIN = scheme("TH", "tin")
MOA = scheme("TH", "moa")
PIN = scheme("TH", "pin")


def test_roles() -> None:
    assert scheme("TH", "tin") is TIN
    assert scheme("TH", "brn") is MOA


# Juristic-person numbers (= TINs) published by the companies and the DBD register:
# PTT Public Company Limited 0107544000108, The Siam Cement PCL 0107537000114, CP ALL PCL
# 0107542000011, Bangkok Bank PCL 0107536000374. Printed grouping, by hand from python-stdnum's
# th.moa layout 1-2-1-3-5-1: 0-10-7-544-00010-8.
@pytest.mark.parametrize(
    ("value", "formatted"),
    [
        ("0107544000108", "0-10-7-544-00010-8"),
        ("0107537000114", "0-10-7-537-00011-4"),
        ("0107542000011", "0-10-7-542-00001-1"),
        ("0 1075 36000 37 4", "0-10-7-536-00037-4"),
    ],
)
def test_juristic_person_tins(value: str, formatted: str) -> None:
    compact = value.replace(" ", "")
    assert_valid(TIN, value, compact, formatted)
    assert_valid(MOA, value, compact, formatted)


def test_personal_number() -> None:
    # python-stdnum th.pin's documented example; grouping 1-4-5-2-1 as on the ID card.
    assert_valid(PIN, "3100600445635", "3100600445635", "3-1006-00445-63-5")
    assert_valid(TIN, "3100600445635", "3100600445635", "3-1006-00445-63-5")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("010754400010", "id.invalid_length"),
        ("0107544000109", "id.invalid_checksum"),  # PTT's number, last digit changed
        ("01075440001O8", "id.invalid_format"),  # letter O
        ("๐๑๐๗๕๔๔๐๐๐๑๐๘", "id.invalid_characters"),  # Thai digits
    ],
)
def test_moa_junk(value: str, code: str) -> None:
    assert_rejected(MOA, value, code)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        # python-stdnum th.tin tries th.pin and th.moa and reports any failure of both as
        # a format error, so length and check-digit faults surface as id.invalid_format.
        ("010754400010", "id.invalid_format"),
        ("0107544000109", "id.invalid_format"),
        ("๐๑๐๗๕๔๔๐๐๐๑๐๘", "id.invalid_characters"),
    ],
)
def test_tin_junk(value: str, code: str) -> None:
    assert_rejected(TIN, value, code)
