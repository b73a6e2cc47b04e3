"""The EMVCo MPM codec on hand-built payloads: structure, CRC, issues, round trips."""

from __future__ import annotations

import binascii
from decimal import Decimal

import pytest

from defa.errors import InputRejected, Severity
from defa.qr import MAX_PAYLOAD, check, crc16, crc_hex, decode, encode, scan
from tests.qr.helpers import obj, with_crc

# EMVCo MPM 1.1 Annex B.7 (page 46-48), with the CRC the specification prints: A13A.
ANNEX_B7 = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678"
    "520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京"
    "540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988"
    "770708123456786304A13A"
)
BASE = obj("00", "01") + obj("01", "11") + obj("26", obj("00", "com.example") + obj("01", "42"))
BASE += obj("52", "5812") + obj("53", "702") + obj("58", "SG") + obj("59", "SHOP") + obj("60", "X")


def codes(payload: str | bytes, severity: Severity | None = None) -> list[str]:
    return [i.code for i in decode(payload).issues if severity is None or i.severity is severity]


def test_crc16_is_ccitt_false() -> None:
    # The catalogued check value of CRC-16/CCITT-FALSE for "123456789" is 0x29B1.
    assert crc16(b"123456789") == 0x29B1


def test_annex_b7_crc_and_character_lengths() -> None:
    p = decode(ANNEX_B7)
    assert crc_hex(ANNEX_B7[:-4]) == "A13A"
    assert p.valid
    assert p.language is not None
    assert (p.language.language, p.language.name, p.language.city) == ("ZH", "最佳运输", "北京")
    # ID 64 declares 20: characters, not the 28 UTF-8 bytes.
    assert p.get("64") == "0002ZH0104最佳运输0202北京"
    assert p.amount == Decimal("23.72")
    assert p.currency == "CNY"
    assert p.additional is not None
    assert p.additional.store_label == "1234"
    assert p.additional.customer_label == "***"
    assert p.additional.terminal_label == "A6008667"
    assert p.additional.consumer_data_request == "ME"
    assert encode(p) == ANNEX_B7


def test_a_clean_hand_built_payload_has_no_issue_but_the_unknown_scheme_note() -> None:
    p = decode(with_crc(BASE))
    assert [(i.code, i.severity) for i in p.issues] == [("qr.unknown_scheme", Severity.INFO)]
    assert p.country == "SG"
    assert p.scheme == "emvco"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("", "qr.empty"),
        ("0002", "qr.truncated"),
        ("000201", "qr.missing_crc"),
        ("00020", "qr.truncated"),
        ("000301", "qr.truncated"),
        ("0A0201", "qr.bad_id"),
        ("00X201", "qr.bad_length"),
        ("00-101", "qr.bad_length"),
        ("6304ABCD000201", "qr.crc_not_last"),
        (with_crc(BASE)[:-4] + "0000", "qr.crc_mismatch"),
        (with_crc(BASE)[:-1], "qr.truncated"),
        ("1" * (MAX_PAYLOAD + 1), "qr.too_large"),
    ],
)
def test_structural_faults_are_errors(payload: str, code: str) -> None:
    assert code in codes(payload, Severity.ERROR)


def test_ten_megabytes_are_refused_unread() -> None:
    report = check("0" * 10_000_000)
    assert [i.code for i in report.issues] == ["qr.too_large"]


def test_lower_case_crc_is_a_warning() -> None:
    good = with_crc(BASE)
    lower = good[:-4] + good[-4:].lower()
    if lower == good:  # the CRC happens to have no letters: make one by hand
        pytest.skip("CRC without hex letters")
    assert codes(lower, Severity.WARNING).count("qr.crc_lowercase") == 1
    assert decode(lower).valid
    assert encode(decode(lower)) == lower


def test_root_duplicate_is_an_error_template_duplicate_a_warning() -> None:
    dup_root = with_crc(BASE + obj("59", "AGAIN"))
    assert "qr.duplicate_id" in codes(dup_root, Severity.ERROR)
    tpl = obj("00", "01") + obj("26", obj("00", "a.b") + obj("01", "1") + obj("01", "2"))
    assert "qr.duplicate_id" in codes(with_crc(tpl), Severity.WARNING)


def test_nested_template_that_is_not_tlv_is_reported_not_raised() -> None:
    payload = with_crc(obj("00", "01") + obj("26", "0099abc") + obj("62", "zz"))
    found = codes(payload)
    assert found.count("qr.bad_template") == 2
    assert decode(payload).valid  # a bad template does not break the payload's structure


def test_deviations_are_warnings_with_the_clause() -> None:
    payload = with_crc(
        obj("01", "13")
        + obj("00", "02")
        + obj("26", obj("00", "not a guid"))
        + obj("52", "58A2")
        + obj("53", "001")
        + obj("54", "1,50")
        + obj("58", "sgp")
        + obj("59", "N" * 26)
        + obj("70", "rfu")
    )
    p = decode(payload)
    by_code = {i.code: i for i in p.issues}
    assert p.valid
    expected = {
        "qr.format_indicator_not_first": "EMVCo MPM 1.1 §4.6.1.1",
        "qr.bad_format_indicator": "EMVCo MPM 1.1 §4.7.1",
        "qr.bad_point_of_initiation": "EMVCo MPM 1.1 §4.7.2",
        "qr.bad_guid": "EMVCo MPM 1.1 §4.7.11.2",
        "qr.unknown_currency": "EMVCo MPM 1.1 §4.7.5.1",
        "qr.bad_amount": "EMVCo MPM 1.1 §4.7.4.1",
        "qr.value_too_long": "EMVCo MPM 1.1 §4.7.14",
        "qr.rfu_id": "EMVCo MPM 1.1 §4.5.4.1",
        "qr.missing_field": "EMVCo MPM 1.1 §4.2.1.1",
    }
    for code, spec in expected.items():
        assert by_code[code].spec == spec, code
        assert by_code[code].severity is Severity.WARNING
    assert "qr.bad_value" in by_code  # MCC not digits, country code not alpha-2


def test_amount_decimals_follow_the_currency() -> None:
    vnd = with_crc(
        obj("00", "01")
        + obj("26", obj("00", "a.b"))
        + obj("53", "704")
        + obj("54", "1000.5")
        + obj("58", "VN")
    )
    assert "qr.amount_precision" in codes(vnd, Severity.WARNING)
    sgd = with_crc(
        obj("00", "01")
        + obj("26", obj("00", "a.b"))
        + obj("53", "702")
        + obj("54", "98.")
        + obj("58", "SG")
    )
    assert "qr.amount_precision" not in codes(sgd)
    assert decode(sgd).amount == Decimal("98")


def test_zero_amount_is_not_an_amount() -> None:
    payload = with_crc(obj("00", "01") + obj("54", "0.00"))
    assert "qr.bad_amount" in codes(payload)
    assert decode(payload).amount == Decimal("0.00")


def test_tip_indicator_rules() -> None:
    payload = with_crc(obj("00", "01") + obj("55", "02") + obj("57", "3.00"))
    found = codes(payload)
    assert "qr.missing_field" in found  # 56 required by 55 = 02
    assert "qr.bad_value" in found  # 57 present without 55 = 03


def test_unreserved_templates_that_are_not_tlv_are_only_noted() -> None:
    payload = with_crc(BASE + obj("82", "7FFC1AC00E99EA2D"))
    notes = [i for i in decode(payload).issues if i.code == "qr.bad_template"]
    assert [i.severity for i in notes] == [Severity.INFO]


def test_bytes_are_read_as_utf8_and_other_types_rejected() -> None:
    payload = with_crc(BASE)
    assert decode(payload.encode()).elements == decode(payload).elements
    assert codes(b"\xff\xfe") == ["input.invalid_encoding"]
    with pytest.raises(InputRejected):
        decode(12345)  # type: ignore[arg-type]
    assert [i.code for i in check(None).issues] == ["input.invalid_encoding"]


def test_lone_surrogate_is_reported() -> None:
    payload = obj("00", "01") + obj("59", "\udc80") + "6304ABCD"
    assert "input.invalid_encoding" in codes(payload, Severity.ERROR)


def test_scan_keeps_what_it_read_before_a_fault() -> None:
    pairs, crc_at, err = scan("000201" + "0102")
    assert pairs == [("00", "01")]
    assert crc_at == -1
    assert err is not None
    assert (err.code, err.at) == ("qr.truncated", 6)


def test_encode_recomputes_a_wrong_crc_and_refuses_unreadable_text() -> None:
    good = with_crc(BASE)
    assert encode(decode(good[:-4] + "0000")) == good
    with pytest.raises(InputRejected.__mro__[1]):  # ValidationError
        encode(decode("000201" + "0105"))


def test_report_carries_scheme_and_country() -> None:
    report = check(with_crc(BASE))
    assert report.valid
    assert report.meta == {"scheme": "emvco", "country": "SG"}
    assert binascii.crc_hqx(b"", 0xFFFF) == 0xFFFF  # the initial value EMVCo names


def test_package_docstring_example() -> None:
    import doctest

    import defa.qr

    result = doctest.testmod(defa.qr, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_docs_examples() -> None:
    import doctest
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "docs" / "qr.md"
    result = doctest.testfile(str(path), module_relative=False, verbose=False)
    assert result.attempted > 5
    assert result.failed == 0
