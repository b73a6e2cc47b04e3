"""Assertions shared by the per-country identifier tests."""

from __future__ import annotations

import pytest

from defa.errors import Severity, ValidationError
from defa.ids import Scheme


def assert_valid(scheme: Scheme, value: str, compact: str, formatted: str) -> None:
    """``value`` is valid, compacts to ``compact`` and prints as ``formatted``."""
    report = scheme.check(value)
    assert report.valid, [i.to_dict() for i in report.issues]
    assert scheme.validate(value) == compact
    assert scheme.is_valid(value)
    assert scheme.format(value) == formatted
    assert report.meta["compact"] == compact
    assert report.meta["formatted"] == formatted
    if scheme.verified:
        assert not report.issues, [i.to_dict() for i in report.issues]
    else:
        assert [(i.code, i.severity) for i in report.issues] == [
            ("id.format_unpublished", Severity.WARNING)
        ]


def assert_rejected(scheme: Scheme, value: object, code: str) -> None:
    """``value`` is invalid, and ``code`` is the one error reported, everywhere."""
    report = scheme.check(value)
    assert not report.valid
    assert [i.code for i in report.errors] == [code], [i.to_dict() for i in report.issues]
    assert all(i.country == scheme.country for i in report.errors)
    assert not scheme.is_valid(value)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as exc:
        scheme.validate(value)  # type: ignore[arg-type]
    assert exc.value.code == code
    with pytest.raises(ValidationError) as exc:
        scheme.format(value)  # type: ignore[arg-type]
    assert exc.value.code == code
