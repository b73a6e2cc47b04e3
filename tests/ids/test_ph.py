"""Philippines: BIR TIN (with branch code) and the unpublished SEC registration number."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

TIN = scheme("PH", "tin")
SEC = scheme("PH", "sec")


def test_roles() -> None:
    assert scheme("PH", "tin") is TIN
    assert scheme("PH", "brn") is SEC
    assert TIN.verified
    assert not SEC.verified


# Published TINs collected in python-stdnum's tests/test_ph_tin.doctest ("found online"):
# 000-360-191-000 and its branch 000-360-191-011, 239-072-842 (9 digits, no branch code),
# 102 650 969 000 (printed with spaces). 000-168-801-00289 is Petron Corporation's TIN with
# a 5-digit branch code as printed on a Petron sales invoice ("VAT REG TIN");
# 000-330-515-0000 (4-digit branch code, RR 7-2012's 13 digits) is printed on the receipts
# of ANSI Information Systems, Inc., Manila.
@pytest.mark.parametrize(
    ("value", "compact", "formatted"),
    [
        ("000-360-191-000", "000360191000", "000-360-191-000"),
        ("000-360-191-011", "000360191011", "000-360-191-011"),
        ("239-072-842", "239072842", "239-072-842"),
        ("102 650 969 000", "102650969000", "102-650-969-000"),
        ("000-168-801-00289", "00016880100289", "000-168-801-00289"),
        ("00016880100289", "00016880100289", "000-168-801-00289"),
        ("000-330-515-0000", "0003305150000", "000-330-515-0000"),
    ],
)
def test_tin_published_examples(value: str, compact: str, formatted: str) -> None:
    assert_valid(TIN, value, compact, formatted)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("12345", "id.invalid_length"),
        ("0003601910", "id.invalid_length"),  # 10 digits
        ("000-360-191-000000", "id.invalid_length"),  # 15 digits
        ("12345678X", "id.invalid_format"),
        ("000-360-191-00V", "id.invalid_format"),  # a letter among the digits
        ("000–360–191", "id.invalid_characters"),  # en dashes are not separators
        ("9" * 257, "id.too_long"),
    ],
)
def test_tin_junk(value: str, code: str) -> None:
    assert_rejected(TIN, value, code)


def test_sec_number_is_accepted_unverified() -> None:
    # SEC registration numbers as printed on certificates have several generations of
    # format (e.g. "CS201012345"); none is published, so any plausible value passes with
    # a warning and is printed as given (compacted).
    assert_valid(SEC, "CS2010-12345", "CS201012345", "CS201012345")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("CS 2010/12345 ☃", "id.invalid_characters"),
        ("1" * 21, "id.invalid_length"),
    ],
)
def test_sec_junk(value: str, code: str) -> None:
    assert_rejected(SEC, value, code)
