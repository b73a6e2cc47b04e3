"""Rates files and quotes: amounts in both currencies, each rounded to its minor units.

Every expected amount is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from defa.errors import InputRejected, ValidationError
from defa.payments import RateTable, base_one_rate, make_quote, parse_rates, pay, round_amount
from defa.qr import decode
from tests.payments.vectors import payload

ON = date(2026, 11, 28)
MYR_THB = """
[[rates]]
base = "MYR"
quote = "THB"
rate = "7.7"
source = "Example bank board rate"
timestamp = 2026-11-28T03:00:00Z
"""


def test_malaysian_payer_pays_a_thai_bill_in_ringgit() -> None:
    qr = decode(payload("TH Bill Payment"))
    quote = make_quote(qr, "MY", parse_rates(MYR_THB), amount=Decimal("100"), as_of=ON)
    # 100 THB / 7.7 THB per MYR = 12.987012... MYR -> 12.99 (two minor units, half up).
    assert (quote.target_currency, quote.target_amount) == ("THB", Decimal("100.00"))
    assert (quote.source_currency, quote.source_amount) == ("MYR", Decimal("12.99"))
    assert quote.rate == Decimal("7.7")
    assert quote.rate_source == "Example bank board rate"
    assert quote.rate_timestamp == datetime(2026, 11, 28, 3, tzinfo=UTC)
    assert quote.linkage == "my-th-thaiqr"
    assert len(quote.id) == 36


def test_reverse_pair_is_inverted_and_vnd_has_no_decimals() -> None:
    rates = parse_rates(
        '{"rates": [{"base": "VND", "quote": "THB", "rate": "0.00136", "source": "x"}]}',
        "rates.json",
    )
    qr = decode(payload("VN VietQR"))
    quote = make_quote(qr, "TH", rates, amount=Decimal("50000"), as_of=ON)
    # 1 THB = 1 / 0.00136 VND = 735.2941176470588...; BaseOneRate keeps 11 digits:
    # 735.29411765. 50000 VND / 735.29411765 = 67.99999999... THB -> 68.00.
    assert quote.rate == Decimal("735.29411765")
    assert quote.rate_inverted
    assert quote.target_amount == Decimal("50000")
    assert quote.target_currency == "VND"
    assert quote.source_amount == Decimal("68.00")


def test_vnd_amount_with_decimals_is_refused() -> None:
    rates = parse_rates('[[rates]]\nbase="THB"\nquote="VND"\nrate="735.5"\nsource="x"\n')
    with pytest.raises(ValidationError) as err:
        make_quote(decode(payload("VN VietQR")), "TH", rates, amount=Decimal("50000.5"), as_of=ON)
    assert err.value.code == "payments.bad_amount"


def test_base_one_rate_rounding() -> None:
    # 11 significant digits at most, 10 after the point (ISO 20022 BaseOneRate).
    assert base_one_rate(Decimal("0.123456789012345")) == Decimal("0.123456789")
    assert base_one_rate(Decimal("23456.123456789")) == Decimal("23456.123457")
    assert base_one_rate(Decimal("7.7")) == Decimal("7.7")


def test_round_amount_per_currency() -> None:
    assert round_amount(Decimal("12.345"), "MYR") == Decimal("12.35")  # half up
    assert round_amount(Decimal("12.344"), "MYR") == Decimal("12.34")
    assert round_amount(Decimal("1234.5"), "VND") == Decimal("1235")
    assert round_amount(Decimal("1234.4"), "VND") == Decimal("1234")


def test_the_code_fixes_the_amount() -> None:
    qr = decode(payload("ID QRIS", "5406500000"))  # ID 54, length 06: 500000 IDR
    rates = parse_rates('[[rates]]\nbase="THB"\nquote="IDR"\nrate="450"\nsource="x"\n')
    quote = make_quote(qr, "TH", rates, as_of=ON)
    # 500000 IDR / 450 IDR per THB = 1111.111... THB -> 1111.11.
    assert quote.target_amount == Decimal("500000.00")
    assert quote.source_amount == Decimal("1111.11")
    assert str(quote.rate) == "450"
    with pytest.raises(ValidationError) as err:
        make_quote(qr, "TH", rates, amount=Decimal("1"), as_of=ON)
    assert err.value.code == "payments.amount_conflict"


def test_static_code_needs_an_amount_and_missing_pair_is_reported() -> None:
    qr = decode(payload("MY DuitNow", "MOHD"))
    answer = pay(qr, "TH", rates=parse_rates(MYR_THB), as_of=ON)
    assert answer.payable
    assert answer.quote is None
    assert [i.code for i in answer.issues] == ["payments.amount_required"]
    answer = pay(qr, "SG", amount=Decimal("10"), rates=parse_rates(MYR_THB), as_of=ON)
    assert answer.payable
    assert [i.code for i in answer.issues] == ["payments.no_rate"]


def test_no_rates_means_no_quote_but_still_an_answer() -> None:
    answer = pay(decode(payload("TH Bill Payment")), "MY", amount=Decimal("5"), as_of=ON)
    assert answer.payable
    assert answer.quote is None
    assert answer.issues[0].code == "payments.no_rate"


def test_domestic_payment_has_a_quote_at_rate_one() -> None:
    answer = pay(decode(payload("TH Bill Payment")), "TH", amount=Decimal("5"), as_of=ON)
    assert answer.quote is not None
    assert answer.quote.rate == 1
    assert answer.quote.source_amount == answer.quote.target_amount == Decimal("5.00")


@pytest.mark.parametrize(
    "text",
    [
        '[[rates]]\nbase="THB"\nquote="MYR"\nrate="-1"\nsource="x"\n',
        '[[rates]]\nbase="THB"\nquote="MYR"\nrate="abc"\nsource="x"\n',
        '[[rates]]\nbase="THB"\nquote="XYZ"\nrate="1"\nsource="x"\n',
        '[[rates]]\nbase="THB"\nquote="MYR"\nrate="1"\n',
        '[[rates]]\nbase="THB"\nquote="MYR"\nrate="1"\nsource="x"\ntimestamp="noon"\n',
        '[[rates]]\nbase="THB"\nquote="MYR"\nrate="1"\nsource="x"\n'
        '[[rates]]\nbase="MYR"\nquote="THB"\nrate="1"\nsource="y"\n',
        "not toml at all [",
        '{"rates": 5}',
        '{"rates": [{"base": "THB", "quote": "MYR", "rate": true, "source": "x"}]}',
    ],
)
def test_bad_rates_files(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_rates(text)
    assert err.value.code == "payments.bad_rates"


def test_rates_file_limits() -> None:
    with pytest.raises(InputRejected):
        parse_rates(b"#" * 2_000_000)
    with pytest.raises(InputRejected):
        parse_rates(b"\xff\xfe")


def test_json_numbers_are_read_as_decimals() -> None:
    table = parse_rates('{"rates": [{"base": "SGD", "quote": "MYR", "rate": 3.3, "source": "x"}]}')
    found = table.get("SGD", "MYR")
    assert found.rate == Decimal("3.3")
    assert RateTable(()).find("SGD", "SGD") is not None
