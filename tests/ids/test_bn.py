"""Brunei Darussalam: the ROCBN registration number, tin and brn alike."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

ROCBN = scheme("BN", "rocbn")


def test_roles() -> None:
    assert scheme("BN", "tin") is ROCBN
    assert scheme("BN", "brn") is ROCBN


# Registration numbers found published online and collected in python-stdnum's
# tests/test_bn_rocbn.doctest: sole proprietorships/partnerships (P), companies (RC, also
# printed "RC/00006326"), foreign company branches (RFC, printed "RFC/00000772").
@pytest.mark.parametrize(
    ("value", "compact"),
    [
        ("P00084071", "P00084071"),
        ("P20008207", "P20008207"),
        ("RC00004866", "RC00004866"),
        ("RC/00006326", "RC00006326"),
        ("RFC00000061", "RFC00000061"),
        ("RFC/00000772", "RFC00000772"),
    ],
)
def test_published_examples(value: str, compact: str) -> None:
    assert_valid(ROCBN, value, compact, compact)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("12345", "id.invalid_length"),
        ("RC0000486", "id.invalid_format"),  # 9 characters but RC + 7 digits
        ("P1234567X", "id.invalid_format"),
        ("RC1234567X", "id.invalid_format"),
        ("RFC1234567X", "id.invalid_format"),
        ("V12345678", "id.invalid_format"),
        ("VV12345678", "id.invalid_format"),
        ("VVV12345678", "id.invalid_format"),
        ("RC000048660", "id.invalid_format"),  # 11 characters but not RFC
        ("RC 0000 4866 ß", "id.invalid_length"),  # ß upper-cases to SS: 12 characters
    ],
)
def test_junk(value: str, code: str) -> None:
    assert_rejected(ROCBN, value, code)
