"""What one check keeps for its own later steps, so that they do not redo work.

The reader keeps the element proxies it made until the next read (the rules walk the same
elements again), the rule sets of a name and date are resolved once, and the collector is
paused once for the whole check (and once for a whole conversion). None of it may change a
finding.
"""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path

import pytest

from defa import einvoice
from defa.einvoice import _rule_sets
from defa.einvoice.rules.en16931.syntax_ubl import index
from defa.einvoice.rules.engine import _REGISTRY, RuleSet
from defa.einvoice.syntax import _read, ubl
from defa.errors import DefaError, NotInForce
from tests.shared import shared_path


def _example(name: str) -> bytes:
    folder = Path(shared_path("vectors", "einvoice", "peppol-bis3", "examples"))
    return folder.joinpath(name).read_bytes()


def test_the_last_read_keeps_its_element_proxies_for_the_rules() -> None:
    first = ubl.read(_example("base-example.xml"))
    kept = [el for kids in _read._kept for el in kids]
    assert len(kept) > 100
    assert all(el.getroottree().getroot() is first.tree for el in kept)
    # The UBL element index walks the same elements: it gets the very same proxies.
    indexed = {id(el) for found in index(first.tree).by_tag.values() for el in found}
    assert {id(el) for el in kept} <= indexed
    second = ubl.read(_example("vat-category-E.xml"))
    assert all(el.getroottree().getroot() is second.tree for kids in _read._kept for el in kids)


def test_rule_sets_are_resolved_once_per_name_and_date() -> None:
    on = date(2026, 1, 1)
    first = _rule_sets("peppol-bis3", on)
    again = _rule_sets("peppol-bis3", on)
    assert [rs.id for rs in first] == ["en16931", "peppol-bis3"]
    assert [id(rs) for rs in again] == [id(rs) for rs in first]
    assert again is not first  # each caller gets a list of its own


def test_rule_sets_not_in_force_are_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(NotInForce) as info:
            _rule_sets("peppol-bis3", date(2020, 1, 1))
        assert info.value.code == "data.not_in_force"


def test_a_rule_set_registered_again_is_resolved_again() -> None:
    on = date(2021, 1, 1)
    old = RuleSet("test-resolved-once", "1", "test", "tests", date(2020, 1, 1))
    try:
        assert [id(rs) for rs in _rule_sets(old.id, on)] == [id(old)]
        RuleSet("test-resolved-once", "2", "test", "tests", date(2022, 1, 1))
        with pytest.raises(NotInForce):
            _rule_sets(old.id, on)
        new = RuleSet("test-resolved-once", "3", "test", "tests", date(2020, 6, 1))
        assert [id(rs) for rs in _rule_sets(old.id, on)] == [id(new)]
    finally:
        _REGISTRY.pop("test-resolved-once", None)


def test_a_check_leaves_the_collector_as_it_found_it() -> None:
    data = _example("base-example.xml")
    assert gc.isenabled()
    report = einvoice.check(data, rules="peppol-bis3")
    assert gc.isenabled()
    gc.disable()
    try:
        again = einvoice.check(data, rules="peppol-bis3")
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert [(i.rule_id, i.loc) for i in again.issues] == [(i.rule_id, i.loc) for i in report.issues]


def test_a_conversion_leaves_the_collector_on_even_when_it_fails() -> None:
    data = _example("base-example.xml")
    assert einvoice.convert(data, to="cii").document
    assert gc.isenabled()
    with pytest.raises(DefaError):
        einvoice.convert(b"<not-an-invoice/>", to="cii")
    assert gc.isenabled()
