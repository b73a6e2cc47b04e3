"""The upstream EN 16931 UBL unit tests and valid examples, for one family of rules at a time.

``test_conformance.py`` runs every upstream case through the whole pipeline; the rule
family tests use these helpers to run their own families' cases and the official examples
directly against the rules, so a failure names the rule and the case at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.syntax.ubl import read
from tests.shared import shared_path

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
_EXPECT = {f"{VEFA}error": "error", f"{VEFA}warning": "warning", f"{VEFA}success": "success"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
SUITES = ("Invoice-unit-UBL", "CreditNote-unit-UBL")


@dataclass(frozen=True, slots=True)
class UnitCase:
    """One asserted rule of one upstream unit test."""

    name: str  # "Invoice-unit-UBL/BR-S-08-1.xml#2"
    rule_id: str
    expect: str  # "error" | "warning" | "success"
    fragment: bytes


def unit_cases(file_pattern: str) -> list[UnitCase]:
    """The asserts of every unit test file whose name matches ``file_pattern`` (a regex)."""
    wanted = re.compile(file_pattern)
    out: list[UnitCase] = []
    for suite in SUITES:
        folder = shared_path("vectors", "einvoice", "en16931", suite)
        for path in sorted(folder.glob("*.xml")):
            if not wanted.match(path.name):
                continue
            root = etree.parse(str(path), _PARSER).getroot()
            for index, test in enumerate(root.iter(f"{VEFA}test"), 1):
                claims = test.find(f"{VEFA}assert")
                fragment = next(
                    c for c in test if isinstance(c.tag, str) and c.tag != f"{VEFA}assert"
                )
                data = etree.tostring(fragment)
                for claim in claims if claims is not None else ():
                    expect = _EXPECT.get(claim.tag) if isinstance(claim.tag, str) else None
                    if expect and claim.text and claim.text.strip():
                        name = f"{suite}/{path.name}#{index}"
                        out.append(UnitCase(name, claim.text.strip(), expect, data))
    if not out:
        raise LookupError(f"no upstream unit test matches {file_pattern!r}")
    return out


def findings(rule_id: str, doc: Invoice) -> list[str]:
    """Where ``rule_id`` fails on ``doc`` (locations); [] if the rule does not apply."""
    rule = EN16931.rules.get(rule_id)
    if rule is None or (rule.syntax is not None and rule.syntax != doc.syntax):
        return []
    out = []
    for finding in rule.check(doc):
        where = finding[0] if isinstance(finding, tuple) else finding
        out.append(where if isinstance(where, str) else where.loc)
    return out


def fired(doc: Invoice, prefix: str) -> dict[str, list[str]]:
    """Every EN 16931 rule whose id starts with ``prefix`` that fails on ``doc``, with its
    locations."""
    out = {}
    for rule_id in EN16931.rules:
        if rule_id.startswith(prefix):
            found = findings(rule_id, doc)
            if found:
                out[rule_id] = found
    return out


def judge(case: UnitCase) -> None:
    """Assert the upstream outcome of one case (the rule must exist unless it expects success)."""
    doc = read(case.fragment)
    if case.expect != "success":
        assert case.rule_id in EN16931.rules, f"{case.rule_id} is not implemented"
    found = findings(case.rule_id, doc)
    if case.expect == "success":
        assert not found, f"{case.rule_id} fired at {found}; upstream expects success"
        return
    assert found, f"{case.rule_id} did not fire; upstream expects {case.expect}"
    assert EN16931.rules[case.rule_id].severity.value == case.expect


def example_paths() -> Iterator[Path]:
    """The official valid UBL examples: EN 16931's and Peppol BIS 3's."""
    base = shared_path("vectors", "einvoice")
    yield from sorted((base / "en16931" / "examples-ubl").iterdir())
    yield from sorted((base / "en16931" / "testfiles").glob("*.xml"))
    yield from sorted((base / "peppol-bis3" / "examples").glob("*.xml"))


def errors_on(path: Path, family: re.Pattern[str]) -> dict[str, list[str]]:
    """Rule id -> locations, for the error-level rules of ``family`` that fire on ``path``."""
    doc = read(path.read_bytes())
    out = {}
    for rule in EN16931.rules.values():
        if family.match(rule.id) and rule.severity.value == "error":
            found = findings(rule.id, doc)
            if found:
                out[rule.id] = found
    return out
