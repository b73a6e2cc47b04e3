"""Session summary of the conformance suite: pass rate overall and per rule family.

Every conformance case carries its rule id in ``user_properties`` (set at collection);
the outcome of each case is collected as the run reports it, and the terminal summary
prints one line per family (``BR``, ``BR-CO``, ``BR-DEC``, ``BR-S``, ``PEPPOL-EN16931-R``, ...).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

_FAMILY = re.compile(r"^(.*?)-?\d+$")
_RULE_KEY = "conformance_rule"

# rule id -> Counter of outcomes ("passed", "failed", "xfailed")
_RESULTS: dict[str, Counter[str]] = {}


def family(rule_id: str) -> str:
    """The rule's family: its id without the trailing number (``BR-CO-15`` -> ``BR-CO``)."""
    found = _FAMILY.match(rule_id)
    return found.group(1) if found else rule_id


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name != "test_conformance.py":
            continue
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("case") if callspec is not None else None
        rule_id = getattr(case, "rule_id", None)
        if rule_id is not None:
            item.user_properties.append((_RULE_KEY, rule_id))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    rule_id = dict(report.user_properties).get(_RULE_KEY)
    if rule_id is None:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "failed"  # strict xpass fails
        else:
            outcome = report.outcome
        _RESULTS.setdefault(str(rule_id), Counter())[outcome] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _RESULTS:
        return
    families: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for rule_id, outcomes in _RESULTS.items():
        families.setdefault(family(rule_id), Counter()).update(outcomes)
        total.update(outcomes)
    write = terminalreporter.write_line
    terminalreporter.section("conformance pass rate")

    def line(name: str, c: Counter[str]) -> None:
        n = sum(c.values())
        rate = 100.0 * c["passed"] / n if n else 0.0
        write(
            f"{name:<22} {c['passed']:>5}/{n:<5} {rate:6.1f}%"
            f"   failed {c['failed']:>4}   excepted {c['xfailed']:>3}"
        )

    for name in sorted(families):
        line(name, families[name])
    line("ALL", total)
