"""Malaysia: LHDN TIN, SSM registration numbers, MyKad (NRIC)."""

from __future__ import annotations

import pytest

from defa.ids import scheme
from tests.ids.helpers import assert_rejected, assert_valid

TIN = scheme("MY", "tin")
SSM = scheme("MY", "ssm")
SSM_OLD = scheme("MY", "ssm_old")
NRIC = scheme("MY", "nric")


def test_roles() -> None:
    assert scheme("MY", "tin") is TIN
    assert scheme("MY", "brn") is SSM


# LHDN's own examples of the TIN format effective 2 January 2023 (LHDN TIN notice and the
# Malaysia sheet of the OECD TIN pages, also reproduced by e.g. sql.com.my/e-invoice-tin-types):
# individuals IG + 9, 10 and 11 digits; non-individuals C, D, E, F with the trailing 0 added.
# C2584563222 and C20830570210 are the supplier TINs of the MyInvois SDK document
# specification and signature guide (shared/specs/einvoice/myinvois). EI000000000x0 are
# the general TINs of the IRBM e-Invoice Specific Guideline v4.8, Appendix 1.
@pytest.mark.parametrize(
    "value",
    [
        "IG115002000",
        "IG4040080091",
        "IG56003500070",
        "C20880050010",
        "D4800990020",
        "E91005500060",
        "F10234567090",
        "C2584563222",
        "C20830570210",
        "EI00000000010",
        "EI00000000020",
        "EI00000000030",
        "EI00000000040",
    ],
)
def test_tin_published_examples(value: str) -> None:
    assert_valid(TIN, value, value, value)


def test_tin_compacts_the_old_printed_space_and_lower_case() -> None:
    # The pre-2023 guidance printed "C 2584563202" (type code, space, number).
    assert_valid(TIN, " c 2584563202 ", "C2584563202", "C2584563202")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id.empty"),
        (" - ", "id.empty"),
        ("IG11500200é", "id.invalid_characters"),
        ("IG12345678", "id.invalid_length"),  # 10 characters
        ("IG123456789012", "id.invalid_length"),  # 14 characters
        ("1234567890123", "id.invalid_format"),  # no type code
        ("IG1150020A0", "id.invalid_format"),
        ("SG115002000", "id.invalid_component"),  # replaced by IG in 2023
        ("OG56003500070", "id.invalid_component"),
        ("XX1234567890", "id.invalid_component"),  # no such type code
        ("EI00000000050", "id.invalid_component"),  # not a published general TIN
        ("C123456789", "id.invalid_length"),  # companies: 10 or 11 digits, here 9
        ("C123456789012", "id.invalid_length"),  # 12 digits after C, 13 characters
        ("LE12345678", "id.invalid_length"),
        ("x" * 300, "id.too_long"),
    ],
)
def test_tin_junk(value: str, code: str) -> None:
    assert_rejected(TIN, value, code)


# Registration numbers as SSM and the companies print them: SSM's own announcement example
# "AMS Setia Jaya Sdn. Bhd. Registration No: 201901000005 (1312525-A)"; Malayan Banking
# Berhad "196001000142 (3813-K)" on its receipts and annual reports; Public Bank Berhad
# "196501000672 (6463-H)".
@pytest.mark.parametrize(
    ("value", "compact"),
    [
        ("201901000005 (1312525-A)", "201901000005"),
        ("196001000142 (3813-K)", "196001000142"),
        ("196501000672", "196501000672"),
    ],
)
def test_ssm_published_examples(value: str, compact: str) -> None:
    assert_valid(SSM, value, compact, compact)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("20190100000", "id.invalid_length"),
        ("2019010000051", "id.invalid_length"),
        ("2019O1000005", "id.invalid_format"),  # letter O for zero
        ("201907000005", "id.invalid_component"),  # entity types run 01 to 06
        ("201900000005", "id.invalid_component"),
        ("179901000005", "id.invalid_component"),  # year before any register
        ("999901000005", "id.invalid_component"),  # year in the future
        ("201901000005 (1312525-A", "id.invalid_characters"),  # unbalanced bracket kept
    ],
)
def test_ssm_junk(value: str, code: str) -> None:
    assert_rejected(SSM, value, code)


@pytest.mark.parametrize(
    ("value", "compact", "formatted"),
    [("1312525-A", "1312525A", "1312525-A"), ("3813-K", "3813K", "3813-K")],
)
def test_old_company_numbers(value: str, compact: str, formatted: str) -> None:
    assert_valid(SSM_OLD, value, compact, formatted)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1312525", "id.invalid_format"),
        ("131252555-A", "id.invalid_length"),
        ("A", "id.invalid_length"),
    ],
)
def test_old_company_number_junk(value: str, code: str) -> None:
    assert_rejected(SSM_OLD, value, code)


def test_nric() -> None:
    # python-stdnum my.nric's documented example: born 1977-03-05, place code 02 (Kedah).
    assert_valid(NRIC, "770305-02-1234", "770305021234", "770305-02-1234")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("771305-02-1234", "id.invalid_component"),  # month 13
        ("770305-17-1234", "id.invalid_component"),  # 17 is no birth place code
        ("770305-02-123", "id.invalid_length"),
    ],
)
def test_nric_junk(value: str, code: str) -> None:
    assert_rejected(NRIC, value, code)
