"""Encoding typed fields: expected payloads are assembled by hand (tests/qr/helpers.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from defa.countries.id.qr import QrisAcquirer, QrisNational
from defa.countries.kh.qr import KhqrIndividual, KhqrMerchant, KhqrTimestamps
from defa.countries.la.qr import LaoQR
from defa.countries.mm.qr import MMQR
from defa.countries.my.qr import DuitNow
from defa.countries.ph.qr import QrPhP2M, QrPhP2P
from defa.countries.sg.qr import SGQR, PayNow
from defa.countries.th.qr import BillPayment, PromptPay
from defa.countries.vn.qr import VietQR, VNPayQR
from defa.errors import Severity, ValidationError
from defa.qr import AccountTemplate, AdditionalData, PaymentQR, decode, encode, format_amount
from tests.qr.helpers import obj, with_crc


def test_promptpay_dynamic_mobile() -> None:
    qr = PaymentQR(accounts=PromptPay.for_mobile("081-234-5678"), amount="30")
    want = with_crc(
        obj("00", "01")
        + obj("01", "12")
        + obj("29", obj("00", "A000000677010111") + obj("01", "0066812345678"))
        + obj("53", "764")
        + obj("54", "30.00")
        + obj("58", "TH")
    )
    assert encode(qr) == want
    back = decode(want)
    assert (back.country, back.scheme) == ("TH", "th.promptpay")
    assert isinstance(back.fields, PromptPay)
    assert back.fields.mobile == "0066812345678"
    # PromptPay leaves out MCC, name and city by design: notes, not warnings.
    assert {i.severity for i in back.issues} == {Severity.INFO}


def test_vietqr_whole_dong_and_purpose() -> None:
    account = VietQR(bank_bin="970436", account="0011001234567", service_code="QRIBFTTA")
    qr = PaymentQR(
        accounts=account, amount=Decimal("50000"), additional=AdditionalData(purpose="Thanh toan")
    )
    beneficiary = obj("00", "970436") + obj("01", "0011001234567")
    want = with_crc(
        obj("00", "01")
        + obj("01", "12")
        + obj("38", obj("00", "A000000727") + obj("01", beneficiary) + obj("02", "QRIBFTTA"))
        + obj("53", "704")
        + obj("54", "50000")
        + obj("58", "VN")
        + obj("62", obj("08", "Thanh toan"))
    )
    assert encode(qr) == want
    fields = decode(want).fields
    assert isinstance(fields, VietQR)
    assert (fields.bank_bin, fields.account, fields.bank) == (
        "970436",
        "0011001234567",
        "Vietcombank (Joint Stock Commercial Bank for Foreign Trade of Vietnam)",
    )
    with pytest.raises(ValidationError) as exc:
        encode(PaymentQR(accounts=account, amount="50000.5"))
    assert exc.value.code == "qr.amount_precision"


def test_khqr_whole_riel_timestamps_and_dollars_with_cents() -> None:
    qr = PaymentQR(
        accounts=KhqrIndividual(bakong_account_id="john_smith@devb"),
        amount=100000,
        currency="KHR",
        mcc="5999",
        merchant_name="John Smith",
        merchant_city="Phnom Penh",
        unreserved={"99": KhqrTimestamps(created="1700000000000")},
    )
    want = with_crc(
        obj("00", "01")
        + obj("01", "12")
        + obj("29", obj("00", "john_smith@devb"))
        + obj("52", "5999")
        + obj("53", "116")
        + obj("54", "100000")
        + obj("58", "KH")
        + obj("59", "John Smith")
        + obj("60", "Phnom Penh")
        + obj("99", obj("00", "1700000000000"))
    )
    assert encode(qr) == want
    back = decode(want)
    assert (back.country, back.scheme) == ("KH", "kh.khqr")
    stamps = KhqrTimestamps.from_value(back.unreserved["99"])
    assert stamps.created_at is not None
    assert stamps.created_at.isoformat() == "2023-11-14T22:13:20+00:00"
    assert format_amount("1.5", "USD", back.scheme_info) == "1.50"
    with pytest.raises(ValidationError):
        format_amount("100.5", "KHR", back.scheme_info)


def test_paynow_static_needs_name_and_city() -> None:
    account = PayNow(proxy_type="2", proxy_value="201234567A", editable="0")
    qr = PaymentQR(accounts=account, merchant_name="ACME PTE LTD", merchant_city="Singapore")
    want = with_crc(
        obj("00", "01")
        + obj("01", "11")
        + obj(
            "26", obj("00", "SG.PAYNOW") + obj("01", "2") + obj("02", "201234567A") + obj("03", "0")
        )
        + obj("52", "0000")
        + obj("53", "702")
        + obj("58", "SG")
        + obj("59", "ACME PTE LTD")
        + obj("60", "Singapore")
    )
    assert encode(qr) == want
    with pytest.raises(ValidationError) as exc:
        encode(PaymentQR(accounts=account))
    assert exc.value.code == "qr.missing_field"


def test_bad_amounts_are_refused() -> None:
    for bad in ("0", "-1", "abc", "1" * 14):
        with pytest.raises(ValidationError):
            encode(PaymentQR(accounts=PromptPay(mobile="0066812345678"), amount=bad))


@pytest.mark.parametrize(
    ("accounts", "scheme", "country"),
    [
        (
            (
                QrisAcquirer(
                    guid="ID.CO.EXAMPLE.WWW",
                    merchant_pan="936000140000000019",
                    merchant_id="M1",
                    merchant_criteria="UMI",
                ),
                QrisNational(nmid="ID1019123456781", merchant_criteria="UMI"),
            ),
            "id.qris",
            "ID",
        ),
        (
            (DuitNow(acquirer_id="890087", merchant_id="000000000000000000072339"),),
            "my.duitnow",
            "MY",
        ),
        (
            (QrPhP2M(acquirer_bic="GXCHPHM2XXX", merchant_id="2170200000555577"),),
            "ph.qrph.p2m",
            "PH",
        ),
        ((QrPhP2P(bic="GXCHPHM2XXX", account_number="09171234567"),), "ph.qrph.p2p", "PH"),
        ((LaoQR(iin="27710418", payment_type="001", receiver_id="mch123"),), "la.laoqr", "LA"),
        ((MMQR(extra={"01": "2235110100"}),), "mm.mmqr", "MM"),
        ((KhqrMerchant(bakong_account_id="shop@aclb", merchant_id="123"),), "kh.khqr", "KH"),
        ((BillPayment(biller_id="011234567890100", reference_1="INV1"),), "th.billpayment", "TH"),
        ((VNPayQR(merchant_id="0105313144"),), "vn.vnpayqr", "VN"),
        (
            (PayNow(proxy_type="0", proxy_value="+6591234567"), SGQR(sgqr_id="X1")),
            "sg.paynow",
            "SG",
        ),
    ],
)
def test_every_scheme_round_trips(
    accounts: tuple[AccountTemplate, ...], scheme: str, country: str
) -> None:
    text = encode(PaymentQR(accounts=accounts, amount="12", merchant_name="N", merchant_city="C"))
    back = decode(text)
    assert back.valid
    assert (back.scheme, back.country) == (scheme, country)
    assert [a.to_dict() | {"tag": None} for a in back.accounts] == [
        {
            **a.to_dict(),
            "tag": None,
            **({"guid": a.GUIDS[0]} if "guid" in a.paths() and a.guid is None and a.GUIDS else {}),
        }
        for a in accounts
    ]
    assert encode(back) == text
    assert not [i for i in back.issues if i.code == "qr.scheme_field"]
    assert back.schemes[0] == scheme


def test_scheme_field_values_are_checked() -> None:
    text = with_crc(
        obj("00", "01")
        + obj("38", obj("00", "A000000727") + obj("02", "QRBAD"))
        + obj("53", "704")
        + obj("58", "VN")
    )
    issue = next(i for i in decode(text).issues if i.code == "qr.scheme_field")
    assert issue.severity is Severity.WARNING
    assert issue.loc == "38.service_code"
    assert issue.country == "VN"


def test_a_code_with_paynow_and_sgqr_names_both() -> None:
    text = encode(
        PaymentQR(
            accounts=(SGQR(sgqr_id="X1"), PayNow(proxy_type="2", proxy_value="201234567A")),
            merchant_name="N",
            merchant_city="C",
        )
    )
    back = decode(text)
    assert back.schemes == ("sg.sgqr", "sg.paynow")
    assert back.scheme == "sg.paynow"  # the payment scheme ranks before the SGQR label
