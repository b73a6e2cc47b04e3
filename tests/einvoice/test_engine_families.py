"""The engine's family checks and per-syntax plans."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pytest

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import _REGISTRY, Finding, RuleSet, run
from defa.errors import Severity


@pytest.fixture
def rule_set() -> Iterable[RuleSet]:
    rs = RuleSet("test-families", "1", "test", "tests", date(2020, 1, 1))
    yield rs
    _REGISTRY.pop(rs.id, None)


def _doc(syntax: str = "ubl") -> Invoice:
    doc = Invoice(syntax=syntax)
    doc.loc = "/Invoice"
    return doc


def test_one_family_call_reports_each_member_as_its_own_rule(rule_set: RuleSet) -> None:
    calls: list[Invoice] = []

    def table(doc: Invoice) -> Iterable[tuple[str, Finding]]:
        calls.append(doc)
        yield "T-03", "/Invoice/c"
        yield "T-01", ("/Invoice/a", {"expected": "x"})
        yield "T-01", "/Invoice/a2"

    rule_set.family("table", table, syntax="ubl")
    for rule_id, severity in (("T-01", "fatal"), ("T-02", "warning"), ("T-03", "warning")):
        rule_set.member("table", rule_id, severity, f"{rule_id} broken")(lambda doc: ())
    report = run(_doc(), [rule_set])
    assert len(calls) == 1
    # in member order, as rule by rule; one rule's findings in the order found
    assert [(i.rule_id, i.loc) for i in report.issues] == [
        ("T-01", "/Invoice/a"),
        ("T-01", "/Invoice/a2"),
        ("T-03", "/Invoice/c"),
    ]
    first = report.issues[0]
    assert first.severity is Severity.ERROR
    assert first.msg == "T-01 broken"
    assert first.spec == "test-families"
    assert first.ctx == {"expected": "x"}
    assert report.issues[2].severity is Severity.WARNING


def test_family_runs_at_its_first_member_and_only_on_its_syntax(rule_set: RuleSet) -> None:
    rule_set.rule("A-01", "error", "a")(lambda doc: [doc])
    rule_set.family("fam", lambda doc: [("F-01", doc)], syntax="ubl")
    rule_set.member("fam", "F-01", "error", "f")(lambda doc: ())
    rule_set.rule("B-01", "error", "b")(lambda doc: [doc])
    assert [i.rule_id for i in run(_doc("ubl"), [rule_set])] == ["A-01", "F-01", "B-01"]
    assert [i.rule_id for i in run(_doc("cii"), [rule_set])] == ["A-01", "B-01"]


def test_member_check_still_works_on_its_own(rule_set: RuleSet) -> None:
    rule_set.family("fam", lambda doc: (), syntax=None)
    rule_set.member("fam", "F-01", "error", "f")(lambda doc: [doc])
    doc = _doc()
    assert list(rule_set.rules["F-01"].check(doc)) == [doc]
    assert rule_set.rules["F-01"].family == "fam"


def test_plan_is_remade_when_rules_are_added(rule_set: RuleSet) -> None:
    rule_set.rule("A-01", "error", "a")(lambda doc: [doc])
    assert [i.rule_id for i in run(_doc(), [rule_set])] == ["A-01"]
    rule_set.rule("A-02", "error", "a")(lambda doc: [doc])
    assert [i.rule_id for i in run(_doc(), [rule_set])] == ["A-01", "A-02"]


def test_family_mistakes_are_refused(rule_set: RuleSet) -> None:
    with pytest.raises(ValueError, match="no family"):
        rule_set.member("missing", "F-01", "error", "f")
    rule_set.family("fam", lambda doc: [("X-99", doc)], syntax="ubl")
    with pytest.raises(ValueError, match="defined twice"):
        rule_set.family("fam", lambda doc: ())
    rule_set.member("fam", "F-02", "error", "f")(lambda doc: ())
    assert rule_set.rules["F-02"].syntax == "ubl"
    with pytest.raises(ValueError, match="not one of its rules"):
        run(_doc(), [rule_set])


def test_restriction_table_is_one_family() -> None:
    import defa.einvoice.rules  # noqa: F401
    from defa.einvoice.rules.engine import rule_set as get

    en16931 = get("en16931")
    members = [r for r in en16931.rules.values() if r.family == "ubl-restrictions"]
    assert len(members) > 600
    steps = [s for s in en16931.plan("ubl") if s[1] is not None]
    assert [s[1].id for s in steps if s[1] is not None].count("ubl-restrictions") == 1


def test_run_pauses_the_collector_and_restores_it(rule_set: RuleSet) -> None:
    import gc

    seen: list[bool] = []
    rule_set.rule("G-01", "error", "g")(lambda doc: seen.append(gc.isenabled()) or ())
    was = gc.isenabled()
    try:
        gc.enable()
        run(_doc(), [rule_set])
        assert seen == [False]
        assert gc.isenabled()
        gc.disable()
        run(_doc(), [rule_set])
        assert not gc.isenabled()  # found off, left off
    finally:
        if was:
            gc.enable()
