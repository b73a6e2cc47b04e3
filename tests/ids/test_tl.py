"""Timor-Leste: ATTL TIN and SERVE registration number, no published format."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

TIN = scheme("TL", "tin")
SERVE = scheme("TL", "serve")


def test_roles_and_status() -> None:
    assert scheme("TL", "tin") is TIN
    assert scheme("TL", "brn") is SERVE
    assert not TIN.verified
    assert not SERVE.verified


def test_accepted_with_a_warning() -> None:
    assert_valid(TIN, "1234567", "1234567", "1234567")
    assert_valid(SERVE, "ab-123", "AB123", "AB123")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("Nº 123", "id.invalid_characters"),
        ("9" * 21, "id.invalid_length"),
        (["1234567"], "id.invalid_format"),
    ],
)
def test_junk(value: object, code: str) -> None:
    assert_rejected(TIN, value, code)
    assert_rejected(SERVE, value, code)
