"""Singapore: the UEN (python-stdnum sg.uen), tin and brn alike."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

UEN = scheme("SG", "uen")


def test_roles() -> None:
    assert scheme("SG", "tin") is UEN
    assert scheme("SG", "brn") is UEN


# UENs printed by the companies: Singapore Airlines Limited "Co. Reg. No. 197200078R",
# DBS Bank Ltd "Co. Reg. No. 196800306E", Singapore Telecommunications Limited
# "199201624D" (annual reports and websites); S16FC0121D and T01FC6132D are the
# "other entity" examples in python-stdnum's sg.uen documentation.
@pytest.mark.parametrize("value", ["197200078R", "196800306E", "199201624D", "S16FC0121D"])
def test_published_examples(value: str) -> None:
    assert_valid(UEN, value, value, value)


def test_lower_case_and_spaces() -> None:
    assert_valid(UEN, " 197200078r ", "197200078R", "197200078R")


def test_full_width_digits_are_read_as_digits() -> None:
    # python-stdnum maps Unicode look-alikes (here FULLWIDTH DIGIT EIGHT) to ASCII.
    assert_valid(UEN, "19720007\uff18R", "197200078R", "197200078R")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("123456", "id.invalid_length"),
        ("197200078A", "id.invalid_checksum"),  # SIA's number, wrong check letter
        ("199201624E", "id.invalid_checksum"),
        ("197200078R€", "id.invalid_characters"),
        ("\ud800197200078R", "id.invalid_characters"),  # lone surrogate
    ],
)
def test_junk(value: str, code: str) -> None:
    assert_rejected(UEN, value, code)
