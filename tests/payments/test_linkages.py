"""Routes: which payer can pay which QR code, from when. Dates come from the cited sources."""

from __future__ import annotations

from datetime import date

import pytest

from defa import data
from defa.members import members as list_members
from defa.payments import Confidence, linkages, route, transfers
from defa.qr import decode, schemes
from tests.payments.vectors import payload

DUITNOW = "MY DuitNow"
PROMPTPAY = "TH PromptPay AnyID"


def test_thai_apps_pay_duitnow_from_the_launch_day() -> None:
    # BNM and BOT joint statement, 18 June 2021: users in Thailand scan DuitNow QR.
    qr = decode(payload(DUITNOW))
    before = route(qr, "TH", date(2021, 6, 17))
    on = route(qr, "TH", date(2021, 6, 18))
    assert not before.payable
    assert before.code == "payments.no_linkage"
    assert on.payable
    assert on.linkage is not None
    assert on.linkage.id == "th-my-duitnow"
    assert on.merchant == "MY"
    assert on.scheme == "my.duitnow"


def test_cambodian_apps_pay_duitnow_from_19_september_2024() -> None:
    # BNM and NBC joint statement, 19 September 2024 (phase 1).
    qr = decode(payload(DUITNOW))
    assert not route(qr, "KH", date(2024, 9, 18)).payable
    found = route(qr, "KH", date(2024, 9, 19))
    assert found.payable
    assert found.linkage is not None
    assert found.linkage.id == "kh-my-duitnow"


def test_reverse_direction_announced_only_is_not_payable() -> None:
    # Phase 2 (Malaysians scanning KHQR) was announced without a date.
    qr = decode(payload("KH KHQR"))
    found = route(qr, "MY", date(2026, 1, 1))
    assert not found.payable
    assert [k.id for k in found.pending] == ["my-kh-khqr"]
    assert "announced" in found.reason


def test_promptpay_mobile_is_a_transfer_not_a_merchant_payment() -> None:
    qr = decode(payload(PROMPTPAY, "01130066"))  # sub-ID 01: a mobile number proxy
    assert qr.fields is not None
    assert getattr(qr.fields, "mobile", None)
    found = route(qr, "MY", date(2026, 1, 1))
    assert not found.payable
    assert found.transfer
    assert found.code == "payments.p2p_transfer"
    # Singapore and Thailand have a PayNow-PromptPay transfer linkage (29 April 2021).
    from_sg = route(qr, "SG", date(2026, 1, 1))
    assert "sg-th-paynow-promptpay" in from_sg.reason


def test_qr_ph_p2p_is_a_transfer() -> None:
    found = route(decode(payload("PH QR Ph P2P")), "SG", date(2026, 1, 1))
    assert not found.payable
    assert found.code == "payments.p2p_transfer"


def test_thai_bill_payment_from_malaysia_indonesia_vietnam_laos() -> None:
    qr = decode(payload("TH Bill Payment"))
    # Launch dates of the payer->TH directions, from the cited statements.
    for payer, launched in (
        ("MY", date(2022, 1, 27)),
        ("ID", date(2021, 8, 17)),
        ("VN", date(2021, 3, 26)),
        ("LA", date(2024, 4, 3)),
    ):
        assert route(qr, payer, launched).payable, payer
        assert not route(qr, payer, date.fromordinal(launched.toordinal() - 1)).payable, payer
    assert not route(qr, "PH", date(2026, 1, 1)).payable


def test_domestic_payment_needs_no_linkage() -> None:
    found = route(decode(payload("TH Bill Payment")), "TH", date(2026, 1, 1))
    assert found.payable
    assert found.domestic
    assert found.linkage is None


def test_an_invalid_payload_is_not_routed() -> None:
    found = route(decode("0002010102116304FFFF"), "TH", date(2026, 1, 1))
    assert not found.payable
    assert found.code == "payments.invalid_qr"


def test_scheme_not_covered_by_the_pair() -> None:
    # VNPAY-QR is not the VietQR scheme the TH->VN linkage names.
    found = route(decode(payload("VN VNPAY-QR")), "TH", date(2026, 1, 1))
    assert not found.payable
    assert "vn.vietqr" in found.reason


def test_every_row_is_well_formed_and_cited() -> None:
    rows = linkages(date(2026, 11, 28))
    known_schemes = {s.id for s in schemes()}
    member_codes = {m.alpha2 for m in list_members(date(2026, 11, 28))}
    ids = [k.id for k in rows]
    assert len(ids) == len(set(ids))
    for k in rows:
        assert k.payer in member_codes
        assert k.merchant in member_codes
        assert k.payer != k.merchant
        assert set(k.schemes) <= known_schemes, k.id
        assert k.status in {"live", "announced"}
        assert isinstance(k.confidence, Confidence)
        assert len(k.source) > 20, k.id
        # A row that is not "high" says why in a note.
        assert k.confidence is Confidence.HIGH or k.note, k.id
    assert {t.id for t in transfers(date(2026, 11, 28))} == {
        "sg-th-paynow-promptpay",
        "my-sg-duitnow-paynow",
    }


def test_the_issue_lists_pairs_are_covered() -> None:
    pairs = {(k.payer, k.merchant) for k in linkages(date(2026, 11, 28))}
    for a, b in (
        ("TH", "MY"),
        ("TH", "ID"),
        ("TH", "VN"),
        ("MY", "ID"),
        ("MY", "SG"),
        ("ID", "SG"),
        ("KH", "VN"),
        ("KH", "LA"),
        ("TH", "KH"),
        ("LA", "TH"),
    ):
        assert (a, b) in pairs, (a, b)
        assert (b, a) in pairs, (b, a)
    assert ("KH", "MY") in pairs
    assert ("VN", "LA") in pairs


def test_data_has_provenance() -> None:
    meta = data.load("payments-qr-linkages", date(2026, 11, 28)).meta
    assert meta.publisher
    assert meta.source
    assert meta.licence


@pytest.mark.parametrize("payer", ["", "XX", "th ", "123"])
def test_route_takes_unchecked_payer_codes_without_raising(payer: str) -> None:
    assert not route(decode(payload(DUITNOW)), payer, date(2026, 1, 1)).payable
