"""Conformance: every upstream unit test of the EN 16931 and Peppol BIS 3 UBL suites.

The suites are the CEN/TC 434 ``Invoice-unit-UBL`` and ``CreditNote-unit-UBL`` test sets and
OpenPeppol's ``unit-UBL-PEPPOL`` (``shared/vectors/einvoice``). Each file is a ``testSet``
(namespace ``http://difi.no/xsd/vefa/validator/1.0``) whose ``test`` elements hold an
``assert`` naming rule ids (``error``, ``warning`` or ``success``) and a document
fragment. The fragment is serialised as it stands, read with :func:`defa.einvoice.read` and
checked against the suite's rule set on a date the rule set is in force. Only the asserted
rules are judged:

* ``error`` / ``warning``: an issue with that ``rule_id`` and that severity is reported;
* ``success``: no issue with that ``rule_id`` is reported.

The expected outcomes are the upstream asserts, verbatim. Cases that cannot pass are listed,
one entry per case with its reason, in ``conformance_exceptions.toml`` and run as strict
xfails. Test ids read ``Invoice-unit-UBL/BR-CO-15.xml#3`` (the third ``test`` of the file;
a test asserting several rules adds ``:RULE-ID``). The session prints the pass rate per rule
family (see ``conftest.py``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from defa.einvoice import check, read
from defa.einvoice.rules import rule_set
from defa.errors import Severity
from tests.shared import shared_dir

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"

#: suite folder (under shared/vectors/einvoice) -> the rule set that judges it
SUITES: dict[str, str] = {
    "en16931/Invoice-unit-UBL": "en16931",
    "en16931/CreditNote-unit-UBL": "en16931",
    "peppol-bis3/unit-UBL-PEPPOL": "peppol-bis3",
}

EXCEPTIONS_FILE = Path(__file__).with_name("conformance_exceptions.toml")

_EXPECT = {f"{VEFA}error": "error", f"{VEFA}warning": "warning", f"{VEFA}success": "success"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass(frozen=True, slots=True)
class Case:
    """One asserted rule of one upstream test."""

    suite: str  # e.g. "en16931/Invoice-unit-UBL"
    file: str  # e.g. "BR-CO-15.xml"
    index: int  # 1-based position of the test in its file
    rule_id: str
    expect: str  # "error" | "warning" | "success"
    fragment: bytes
    rules: str  # rule set id

    @property
    def name(self) -> str:
        """The suite's last folder, the file and the test index: the case's readable id."""
        return f"{self.suite.rsplit('/', 1)[-1]}/{self.file}#{self.index}"


def _suite_dir(suite: str) -> Path:
    return shared_dir() / "vectors" / "einvoice" / suite


def load_cases() -> list[Case]:
    """Every asserted rule of every test of every suite, in file and document order."""
    cases: list[Case] = []
    for suite, rules in SUITES.items():
        folder = _suite_dir(suite)
        # One Peppol file is named *.xm: take every file, not just *.xml.
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            root = etree.parse(str(path), _PARSER).getroot()
            for index, test in enumerate(root.iter(f"{VEFA}test"), 1):
                assertion = test.find(f"{VEFA}assert")
                fragment = next(
                    c for c in test if isinstance(c.tag, str) and c.tag != f"{VEFA}assert"
                )
                data = etree.tostring(fragment, encoding="UTF-8", xml_declaration=True)
                assert assertion is not None
                for claim in assertion:
                    expect = _EXPECT.get(claim.tag) if isinstance(claim.tag, str) else None
                    if expect is not None and claim.text and claim.text.strip():
                        cases.append(
                            Case(suite, path.name, index, claim.text.strip(), expect, data, rules)
                        )
    return cases


def load_exceptions() -> dict[tuple[str, int, str], str]:
    """(``suite-folder/file``, test index, rule id) -> why that case cannot pass."""
    table = tomllib.loads(EXCEPTIONS_FILE.read_text(encoding="utf-8"))
    out: dict[tuple[str, int, str], str] = {}
    for entry in table.get("case", []):
        key = (entry["file"], int(entry["test"]), entry["rule"])
        if key in out:
            raise ValueError(f"{EXCEPTIONS_FILE.name}: {key} is listed twice")
        if not entry.get("reason", "").strip():
            raise ValueError(f"{EXCEPTIONS_FILE.name}: {key} has no reason")
        out[key] = entry["reason"]
    return out


def _params() -> list[object]:
    if not _suite_dir(next(iter(SUITES))).is_dir():
        # Fail at run time with the resolver's message rather than collect nothing.
        return [pytest.param(None, id="reference-material-missing")]
    cases = load_cases()
    exceptions = load_exceptions()
    per_test: dict[tuple[str, str, int], int] = {}
    for c in cases:
        per_test[c.suite, c.file, c.index] = per_test.get((c.suite, c.file, c.index), 0) + 1
    known = {(c.name.split("#")[0], c.index, c.rule_id) for c in cases}
    unknown = set(exceptions) - known
    if unknown:
        raise ValueError(f"{EXCEPTIONS_FILE.name} lists cases that do not exist: {unknown}")
    params: list[object] = []
    for c in cases:
        case_id = c.name if per_test[c.suite, c.file, c.index] == 1 else f"{c.name}:{c.rule_id}"
        reason = exceptions.get((c.name.split("#")[0], c.index, c.rule_id))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(c, id=case_id, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_conformance(case: Case | None) -> None:
    if case is None:
        shared_dir_path = _suite_dir(next(iter(SUITES)))
        pytest.fail(f"reference material not found: {shared_dir_path} (set DEFA_SHARED)")
    as_of = rule_set(case.rules).valid_from
    doc = read(case.fragment)
    report = check(doc, rules=case.rules, as_of=as_of)
    found = [i for i in report.issues if i.rule_id == case.rule_id]
    if case.expect == "success":
        assert not found, f"{case.rule_id} fired, upstream expects success: {found[0].loc}"
    else:
        want = Severity.ERROR if case.expect == "error" else Severity.WARNING
        assert found, f"{case.rule_id} did not fire; upstream expects {case.expect}"
        assert any(i.severity is want for i in found), (
            f"{case.rule_id} fired as {found[0].severity}, upstream expects {case.expect}"
        )
