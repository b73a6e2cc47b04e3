"""ASEAN membership by date; expected facts are from the accession instruments and ISO."""

from __future__ import annotations

from datetime import date

import pytest

import defa
from defa.errors import LookupFailed, NotInForce


@pytest.mark.parametrize(
    ("on", "count"),
    [
        (date(1967, 8, 8), 5),  # Bangkok Declaration: ID, MY, PH, SG, TH
        (date(1984, 1, 6), 5),
        (date(1984, 1, 7), 6),  # Brunei Darussalam
        (date(1995, 7, 28), 7),  # Viet Nam
        (date(1997, 7, 23), 9),  # Lao PDR and Myanmar
        (date(1999, 4, 29), 9),
        (date(1999, 4, 30), 10),  # Cambodia
        (date(2025, 10, 25), 10),
        (date(2025, 10, 26), 11),  # Timor-Leste
        (date(2026, 11, 28), 11),
    ],
)
def test_membership_on_a_date(on: date, count: int) -> None:
    assert len(defa.members(on)) == count


def test_timor_leste_joined_on_2025_10_26() -> None:
    codes_before = {m.alpha2 for m in defa.members(date(2025, 10, 25))}
    codes_after = {m.alpha2 for m in defa.members(date(2025, 10, 26))}
    assert codes_after - codes_before == {"TL"}
    tl = defa.member("TLS", date(2026, 1, 1))
    assert (tl.alpha2, tl.alpha3, tl.numeric) == ("TL", "TLS", "626")
    assert tl.joined == date(2025, 10, 26)
    # Timor-Leste's legal tender is the US dollar (ISO 4217 USD, numeric 840).
    assert (tl.currency, tl.currency_numeric) == ("USD", "840")


@pytest.mark.parametrize(
    ("cc", "alpha3", "currency", "numeric"),
    [
        ("BN", "BRN", "BND", "096"),
        ("KH", "KHM", "KHR", "116"),
        ("ID", "IDN", "IDR", "360"),
        ("LA", "LAO", "LAK", "418"),
        ("MY", "MYS", "MYR", "458"),
        ("MM", "MMR", "MMK", "104"),
        ("PH", "PHL", "PHP", "608"),
        ("SG", "SGP", "SGD", "702"),
        ("TH", "THA", "THB", "764"),
        ("VN", "VNM", "VND", "704"),
    ],
)
def test_codes_and_currencies(cc: str, alpha3: str, currency: str, numeric: str) -> None:
    m = defa.member(cc.lower(), date(2026, 1, 1))
    assert (m.alpha3, m.currency, m.currency_numeric) == (alpha3, currency, numeric)


def test_before_asean_existed_no_data_is_in_force() -> None:
    with pytest.raises(NotInForce) as exc:
        defa.members(date(1967, 8, 7))
    assert exc.value.code == "data.not_in_force"
    assert exc.value.exit_code == 3


def test_a_country_before_it_joined_is_not_a_member() -> None:
    with pytest.raises(LookupFailed) as exc:
        defa.member("TL", date(2020, 1, 1))
    assert exc.value.code == "registry.unknown_country"


@pytest.mark.parametrize("junk", ["", "XX", "tl ", "\x00", "S" * 10_000, "🇸🇬"])
def test_unknown_codes_are_lookup_errors(junk: str) -> None:
    if junk.strip().upper() == "TL":
        assert defa.member(junk).alpha2 == "TL"
        return
    with pytest.raises(LookupFailed):
        defa.member(junk)
