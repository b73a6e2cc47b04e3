"""Lao PDR: TIN and enterprise registration number, no published format."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

TIN = scheme("LA", "tin")
ERC = scheme("LA", "erc")


def test_roles_and_status() -> None:
    assert scheme("LA", "tin") is TIN
    assert scheme("LA", "brn") is ERC
    assert not TIN.verified
    assert not ERC.verified
    assert "354/PM" in TIN.source


# Decree 354/PM describes an 8-digit sequence plus a check digit whose algorithm is not
# published; a value of that shape is accepted, but only with the unpublished warning:
# no check digit is computed.
@pytest.mark.parametrize("value", ["123456789", "123456789-000", "A1B2"])
def test_accepted_with_a_warning(value: str) -> None:
    compact = value.replace("-", "")
    assert_valid(TIN, value, compact, compact)
    assert_valid(ERC, value, compact, compact)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("ເລກ123", "id.invalid_characters"),  # Lao script
        ("1" * 21, "id.invalid_length"),
        ("1" * 257, "id.too_long"),
        (None, "id.invalid_format"),
    ],
)
def test_junk(value: object, code: str) -> None:
    assert_rejected(TIN, value, code)
    assert_rejected(ERC, value, code)
