"""The one error model."""

from __future__ import annotations

import pytest

from defa.errors import (
    DataError,
    DefaError,
    InputRejected,
    Issue,
    LookupFailed,
    NotInForce,
    Report,
    Severity,
    ValidationError,
)


def test_report_validity_depends_on_errors_only() -> None:
    report = Report()
    assert report.valid
    report.add(Issue("id.format_unpublished", "unverified", severity=Severity.WARNING))
    assert report.valid
    assert len(report.warnings) == 1
    report.add(Issue("id.invalid_length", "too short"))
    assert not report.valid
    assert len(report.errors) == 1
    with pytest.raises(ValidationError) as exc:
        report.raise_for_errors()
    assert [i.code for i in exc.value.issues] == ["id.format_unpublished", "id.invalid_length"]


def test_issue_serialises_every_field() -> None:
    issue = Issue(
        "einvoice.rule", "m", loc="/Invoice", rule_id="BR-01", spec="en16931", ctx={"a": 1}
    )
    assert issue.to_dict() == {
        "code": "einvoice.rule",
        "msg": "m",
        "loc": "/Invoice",
        "severity": "error",
        "country": None,
        "rule_id": "BR-01",
        "spec": "en16931",
        "ctx": {"a": 1},
    }


def test_exception_tree_and_exit_codes() -> None:
    assert issubclass(InputRejected, ValidationError)
    assert issubclass(NotInForce, DataError)
    for cls in (ValidationError, LookupFailed, DataError):
        assert issubclass(cls, DefaError)
    assert (ValidationError.exit_code, LookupFailed.exit_code, NotInForce.exit_code) == (1, 2, 3)
    err = LookupFailed.of("registry.unknown_country", "no such country")
    assert isinstance(err, LookupError)
    assert err.code == "registry.unknown_country"


def test_an_error_needs_an_issue() -> None:
    with pytest.raises(ValueError, match="at least one issue"):
        DefaError([])
