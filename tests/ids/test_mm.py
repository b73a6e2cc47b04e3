"""Myanmar: IRD TIN and DICA company number, no published format."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

TIN = scheme("MM", "tin")
DICA = scheme("MM", "dica")


def test_roles_and_status() -> None:
    assert scheme("MM", "tin") is TIN
    assert scheme("MM", "brn") is DICA
    assert not TIN.verified
    assert not DICA.verified


@pytest.mark.parametrize("value", ["123456789", "1 2345 6789"])
def test_accepted_with_a_warning(value: str) -> None:
    assert_valid(TIN, value, "123456789", "123456789")
    assert_valid(DICA, value, "123456789", "123456789")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("၁၂၃၄၅", "id.invalid_characters"),  # Myanmar digits
        ("9" * 21, "id.invalid_length"),
        (123456789, "id.invalid_format"),  # a number, not text
    ],
)
def test_junk(value: object, code: str) -> None:
    assert_rejected(TIN, value, code)
    assert_rejected(DICA, value, code)
