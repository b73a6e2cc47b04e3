"""The engine's shared helpers: one rule on several sets, first match in a pattern, the tree."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from lxml import etree

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import _REGISTRY, RuleSet, rule_on, run
from defa.einvoice.rules.pattern import FirstMatch


@pytest.fixture
def two_sets() -> Iterator[tuple[RuleSet, RuleSet]]:
    sets = (
        RuleSet("test-helpers-a", "1", "a", "tests", date(2020, 1, 1)),
        RuleSet("test-helpers-b", "1", "b", "tests", date(2020, 1, 1)),
    )
    yield sets
    for rs in sets:
        _REGISTRY.pop(rs.id, None)


def _doc(syntax: str = "ubl") -> Invoice:
    doc = Invoice(syntax=syntax)
    doc.loc = "/Invoice"
    return doc


def test_rule_on_registers_one_check_on_each_set(two_sets: tuple[RuleSet, RuleSet]) -> None:
    calls: list[Invoice] = []

    @rule_on(two_sets, "H-01", "fatal", "h broken", terms=("BT-1",), syntax="ubl")
    def h_01(doc: Invoice) -> Iterator[Invoice]:
        calls.append(doc)
        yield doc

    assert h_01.__name__ == "h_01"  # the decorator hands the function back unchanged
    for rs in two_sets:
        rule = rs.rules["H-01"]
        assert rule.check is h_01
        assert rule.rule_set == rs.id
        assert rule.terms == ("BT-1",)
        assert rule.syntax == "ubl"
    report = run(_doc(), two_sets)
    # each set reports under its own id, in the order the sets run
    assert [(i.rule_id, i.spec) for i in report.issues] == [
        ("H-01", "test-helpers-a"),
        ("H-01", "test-helpers-b"),
    ]
    assert len(calls) == 2
    assert run(_doc("cii"), two_sets).issues == []  # bound to its syntax on every set


def test_rule_on_refuses_a_rule_twice_and_no_sets(two_sets: tuple[RuleSet, RuleSet]) -> None:
    two_sets[1].rule("H-02", "error", "taken")(lambda doc: ())
    with pytest.raises(ValueError, match="defined twice in test-helpers-b"):
        rule_on(two_sets, "H-02", "error", "again")(lambda doc: ())
    with pytest.raises(ValueError, match="no rule sets"):
        rule_on((), "H-03", "error", "nowhere")


_XML = b"""<r>
  <a><x/></a>
  <b><a><x/></a><x/></b>
  <c><x/><y/></c>
  <z/>
</r>"""


def test_first_match_takes_tags_anywhere_and_below_given_ancestors() -> None:
    root = etree.fromstring(_XML)
    earlier = FirstMatch(anywhere={"z"}, under={"x": (("a", "b"), ("c",))})
    taken = [root.getroottree().getpath(el) for el in root.iter() if earlier.taken(el)]
    # x under a/b (parent a, grandparent b) and under c; not under a alone or under b alone
    assert taken == ["/r/b/a/x", "/r/c/x", "/r/z"]


def test_first_match_with_nothing_earlier_takes_nothing() -> None:
    root = etree.fromstring(_XML)
    assert not any(FirstMatch().taken(el) for el in root.iter())


def test_tree_view_is_shared_and_the_old_path_still_imports() -> None:
    from defa.einvoice.rules import _tree
    from defa.einvoice.rules.peppol import _tree as old
    from defa.einvoice.rules.pint import _xp

    assert old.TreeView is _tree.TreeView
    assert old.view is _tree.view
    assert _xp.TreeView is _tree.TreeView
    assert set(old.__all__) == set(_tree.__all__)
