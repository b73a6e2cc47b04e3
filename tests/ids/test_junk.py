"""Any input, of any type, length or encoding, to any identifier scheme.

Only DEFA's own errors may escape ``compact``/``validate``/``format``; ``check`` and
``is_valid`` never raise; every reported code is a catalogued one; and a valid value
survives a round trip through its printed form.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import defa
from defa.errors import CODES, DefaError, Report
from defa.ids import MAX_INPUT, PatternScheme, Scheme, all_schemes, roles, scheme

SCHEMES = all_schemes()
IDS = [f"{s.country}-{s.name}" for s in SCHEMES]

# Every code point, surrogates included.
ANY_CHAR = st.characters(exclude_categories=())
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=40),
    st.text(ANY_CHAR, min_size=MAX_INPUT - 8, max_size=MAX_INPUT + 8),
    st.text(ANY_CHAR, min_size=1_000, max_size=5_000),
    # Near misses: the alphabet identifiers are made of, with their separators.
    st.from_regex(r"[A-Za-z]{0,4}[0-9 \-./()]{0,24}[A-Za-z]{0,2}", fullmatch=True),
    st.from_regex(r"[0-9]{1,20}", fullmatch=True),
)
NOT_TEXT = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.binary(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(object()),
    st.just(b"197200078R"),
    st.just(bytearray(b"0107544000108")),
)


def _exercise(s: Scheme, value: object) -> None:
    report = s.check(value)  # must never raise
    assert isinstance(report, Report)
    assert all(i.code in CODES for i in report.issues), [i.code for i in report.issues]
    assert s.is_valid(value) is report.valid  # type: ignore[arg-type]
    raised: list[DefaError] = []
    for fn in (s.compact, s.validate, s.format):
        try:
            fn(value)  # type: ignore[arg-type]
        except DefaError as exc:  # anything else propagates and fails the test
            raised.append(exc)
    assert all(i.code in CODES for exc in raised for i in exc.issues)
    if report.valid:
        compact = s.validate(value)  # type: ignore[arg-type]
        assert compact == report.meta["compact"]
        printed = s.format(value)  # type: ignore[arg-type]
        assert s.validate(printed) == compact


@pytest.mark.parametrize("s", SCHEMES, ids=IDS)
@given(value=TEXT)
def test_any_text_gets_only_our_errors(s: Scheme, value: str) -> None:
    _exercise(s, value)


@pytest.mark.parametrize("s", SCHEMES, ids=IDS)
@given(value=NOT_TEXT)
def test_anything_not_text_is_refused_clearly(s: Scheme, value: object) -> None:
    report = s.check(value)
    assert not report.valid
    assert [i.code for i in report.errors] == ["id.invalid_format"]
    _exercise(s, value)


@pytest.mark.parametrize("s", SCHEMES, ids=IDS)
def test_overlong_input_is_not_read(s: Scheme) -> None:
    report = s.check("1" * (MAX_INPUT + 1))
    assert [i.code for i in report.errors] == ["id.too_long"]


def test_every_scheme_is_reached_by_the_junk_test() -> None:
    # All 11 members offer identifiers, so the junk tests above cover each of them.
    assert {s.country for s in SCHEMES} == {m.alpha2 for m in defa.members()}


@pytest.mark.parametrize("member", defa.members(), ids=lambda m: m.alpha2)
def test_every_member_has_a_tin(member: defa.Member) -> None:
    found = scheme(member.alpha2, "tin")
    assert found.country == member.alpha2
    assert roles(member.alpha2)["tin"] == found.name
    assert found.source.strip()


def test_the_junk_check_catches_a_foreign_exception() -> None:
    # The property above can fail: a scheme whose own check trips over its input lets a
    # foreign exception out, and _exercise does not swallow it.
    def trips(s: Scheme, compacted: str) -> list[defa.Issue]:
        return [s.issue("id.invalid_format", "unreachable")] if [][0] else []

    broken = PatternScheme(
        country="XX", name="broken", title="t", source="s", pattern="[A-Z]+", extra=trips
    )
    with pytest.raises(IndexError):
        _exercise(broken, "ABC")
