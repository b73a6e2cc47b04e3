"""Any input gets an answer or one of our errors, never another exception."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from defa.errors import DefaError
from defa.payments import RateTable, make_quote, parse_rates, pay, route
from defa.payments.forms import parse_agent, parse_amount
from defa.qr import decode
from tests.payments.vectors import payload

MEMBERS = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from(MEMBERS), st.text(max_size=12))
def test_route_and_pay_on_any_payload(text: str, payer: str, amount: str) -> None:
    qr = decode(text)
    assert isinstance(route(qr, payer, date(2026, 1, 1)).payable, bool)
    with contextlib.suppress(DefaError):
        pay(qr, payer, amount=parse_amount(amount), as_of=date(2026, 1, 1))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_rates_files_of_any_content(raw: str | bytes) -> None:
    with contextlib.suppress(DefaError):
        parse_rates(raw)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_rate_rows_of_any_shape(rows: object) -> None:
    with contextlib.suppress(DefaError):
        RateTable.from_rows(rows)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_agents_of_any_text(text: str) -> None:
    with contextlib.suppress(DefaError):
        parse_agent(text, "agent")


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"), places=2),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9999"), places=5),
)
def test_quote_amounts_agree_with_the_rate(amount: Decimal, rate: Decimal) -> None:
    # Paying a Thai bill from Malaysia: the payer's ringgit, converted at the quoted rate,
    # gives the merchant's baht to within half a sen's worth of baht.
    rates = RateTable.from_rows([{"base": "MYR", "quote": "THB", "rate": str(rate), "source": "x"}])
    quote = make_quote(
        decode(payload("TH Bill Payment")), "MY", rates, amount=amount, as_of=date(2026, 1, 1)
    )
    assert quote.target_amount == amount
    assert quote.source_amount.as_tuple().exponent == -2
    assert abs(quote.source_amount * quote.rate - quote.target_amount) <= quote.rate / 200
