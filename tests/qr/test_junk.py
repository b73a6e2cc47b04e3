"""Any input gets a report, never an exception but ours (property-based)."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defa.errors import DefaError, Report, Severity
from defa.qr import check, decode, encode
from tests.qr.helpers import obj, with_crc
from tests.shared import shared_path

VALID = [
    r["payload"]
    for r in json.loads(shared_path("vectors", "qr", "payloads.json").read_text("utf-8"))
    if r["valid_crc_and_tlv"]
]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _survives(payload: object) -> None:
    report = check(payload)
    assert isinstance(report, Report)
    try:
        p = decode(payload)  # type: ignore[arg-type]
    except DefaError:
        return
    _ = (p.issues, p.scheme, p.country, p.fields, p.accounts, p.amount, p.additional)
    with contextlib.suppress(DefaError):
        encode(p)


@SETTINGS
@given(st.text())
def test_any_text(text: str) -> None:
    _survives(text)


@SETTINGS
@given(st.binary())
def test_any_bytes(data: bytes) -> None:
    _survives(data)


@SETTINGS
@given(st.text(alphabet="0123456789ABCD.* 6", max_size=300))
def test_digit_soup(text: str) -> None:
    _survives(text)


@SETTINGS
@given(st.sampled_from(VALID), st.integers(0, 400), st.text(max_size=3), st.integers(0, 3))
def test_mutated_real_payloads(payload: str, at: int, insert: str, cut: int) -> None:
    at %= len(payload) + 1
    _survives(payload[:at] + insert + payload[at + cut :])
    _survives(payload[:at])


_TAG = st.integers(0, 99).map(lambda n: f"{n:02d}").filter(lambda t: t != "63")
_VALUE = st.text(alphabet=st.characters(codec="utf-8"), max_size=99)


@SETTINGS
@given(st.lists(st.tuples(_TAG, _VALUE), max_size=12))
def test_any_well_formed_payload_round_trips(pairs: list[tuple[str, str]]) -> None:
    text = with_crc("".join(obj(t, v) for t, v in pairs))
    p = decode(text)
    errors = [i.code for i in p.issues if i.severity is Severity.ERROR]
    assert set(errors) <= {"qr.duplicate_id", "qr.too_large"}
    if "qr.too_large" not in errors:
        assert p.elements[:-1] == pairs
        assert encode(p) == text


@SETTINGS
@given(
    st.recursive(
        _VALUE.map(lambda v: v[:20]),
        lambda inner: st.lists(st.tuples(_TAG, inner), max_size=3).map(
            lambda kids: "".join(obj(t, v) for t, v in kids)[:99]
        ),
        max_leaves=10,
    )
)
def test_nested_templates(value: str) -> None:
    for tag in ("26", "38", "62", "64", "80", "99"):
        _survives(with_crc(obj("00", "01") + obj(tag, value)))


def test_huge_and_hostile_inputs() -> None:
    for payload in ("0" * 10_000_000, "\x00" * 5000, "6304" * 100, "00990" + "9" * 99):
        _survives(payload)
