"""Indonesia: NPWP and NIK (python-stdnum), and the OSS business number NIB."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

NPWP = scheme("ID", "npwp")
NIK = scheme("ID", "nik")
NIB = scheme("ID", "nib")


def test_roles() -> None:
    assert scheme("ID", "tin") is NPWP
    assert scheme("ID", "brn") is NIB


# PT Telkom Indonesia (Persero) Tbk's NPWP, 01.000.013.1-093.000, as printed on its tax
# invoices; the 16-digit form of PMK 112/PMK.03/2022 is the same number with a leading 0,
# written as plain digits.
@pytest.mark.parametrize(
    ("value", "compact", "formatted"),
    [
        ("01.000.013.1-093.000", "010000131093000", "01.000.013.1-093.000"),
        ("010000131093000", "010000131093000", "01.000.013.1-093.000"),
        ("0010000131093000", "0010000131093000", "0010000131093000"),
    ],
)
def test_npwp(value: str, compact: str, formatted: str) -> None:
    assert_valid(NPWP, value, compact, formatted)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("123456789", "id.invalid_length"),
        ("01.000.013.2-093.000", "id.invalid_checksum"),  # Luhn digit changed 1 -> 2
        ("01.000.0I3.1-093.000", "id.invalid_format"),
    ],
)
def test_npwp_junk(value: str, code: str) -> None:
    assert_rejected(NPWP, value, code)


def test_nik() -> None:
    # python-stdnum id.nik's documented example (Jakarta Pusat, born 17 August 1945).
    assert_valid(NIK, "3171011708450001", "3171011708450001", "3171011708450001")


def test_nik_junk() -> None:
    assert_rejected(NIK, "9971011708450001", "id.invalid_component")  # no province 99
    assert_rejected(NIK, "31710117084500", "id.invalid_length")


# NIBs as printed in the footers of two Indonesian businesses' public web pages (found in
# their published page sources): 8120012281103 (a Sragen business, beside its DPMPTSP
# permit) and 8120000722684 (a Depok training provider). OSS offers no public register to
# confirm them; they show the 13-digit form PP 24/2018 prescribes.
@pytest.mark.parametrize("value", ["8120012281103", "8120000722684", "8120 0007 22684"])
def test_nib(value: str) -> None:
    compact = value.replace(" ", "")
    assert_valid(NIB, value, compact, compact)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        ("812001228110", "id.invalid_length"),
        ("81200122811033", "id.invalid_length"),
        ("812001228110X", "id.invalid_format"),
    ],
)
def test_nib_junk(value: str, code: str) -> None:
    assert_rejected(NIB, value, code)
