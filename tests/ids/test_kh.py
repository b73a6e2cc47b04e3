"""Cambodia: the GDT TIN and the Ministry of Commerce number, both without a published format."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

TIN = scheme("KH", "tin")
MOC = scheme("KH", "moc")


def test_roles_and_status() -> None:
    assert scheme("KH", "tin") is TIN
    assert scheme("KH", "brn") is MOC
    # No official format: both are flagged unverified, never checked against a guess.
    assert not TIN.verified
    assert not MOC.verified


# VAT TINs as printed by the taxpayers themselves: "L001-901700661" on the tax invoice of
# (Cambodia) Fiber Optic Communication Network Co., Ltd. (public repository
# CheaVarin12/cfocn-system, resources/admin/views/export/excel_invoice.blade.php) and
# "L001-360000304" on the tickets of Vireak Buntham Express Co., Ltd. The hyphen is
# restored after the fourth character, as printed.
@pytest.mark.parametrize(
    ("value", "compact", "formatted"),
    [
        ("L001-901700661", "L001901700661", "L001-901700661"),
        ("l001 360000304", "L001360000304", "L001-360000304"),
    ],
)
def test_tin_as_printed_is_accepted_with_a_warning(
    value: str, compact: str, formatted: str
) -> None:
    assert_valid(TIN, value, compact, formatted)


def test_tin_of_other_lengths_is_printed_compact() -> None:
    # Nothing is known of other layouts, so nothing is added to them.
    assert_valid(TIN, "K001-9021482", "K0019021482", "K0019021482")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("-/-", "id.empty"),
        ("L001-90170066١", "id.invalid_characters"),  # Arabic-Indic digit one
        ("L001\x00901700661", "id.invalid_characters"),
        ("L001-9017006610000", "id.invalid_length"),  # 17 characters
        (b"L001-901700661", "id.invalid_format"),  # bytes are not text
    ],
)
def test_tin_junk(value: object, code: str) -> None:
    assert_rejected(TIN, value, code)


def test_moc_is_accepted_unverified() -> None:
    assert_valid(MOC, "00012345", "00012345", "00012345")


def test_moc_junk() -> None:
    assert_rejected(MOC, "0" * 21, "id.invalid_length")
    assert_rejected(MOC, "", "id.empty")
