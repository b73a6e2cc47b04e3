"""The examples in docs/payments.md and the package docstring run as written."""

from __future__ import annotations

import doctest
from pathlib import Path


def test_package_docstring_example() -> None:
    import defa.payments

    result = doctest.testmod(defa.payments, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_docs_examples() -> None:
    path = Path(__file__).resolve().parents[2] / "docs" / "payments.md"
    result = doctest.testfile(str(path), module_relative=False, verbose=False)
    assert result.attempted >= 5
    assert result.failed == 0
