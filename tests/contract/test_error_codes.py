"""The error-code contract: codes are stable, documented, and never removed."""

from __future__ import annotations

import re
from pathlib import Path

from defa.errors import CODES

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = Path(__file__).with_name("published_codes.txt")
CODE_SHAPE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


def _published() -> list[str]:
    return [line.strip() for line in PUBLISHED.read_text().splitlines() if line.strip()]


def _documented() -> set[str]:
    text = (ROOT / "docs" / "errors.md").read_text()
    return set(re.findall(r"^- `([^`]+)`", text, flags=re.MULTILINE))


def test_every_code_has_the_stable_shape() -> None:
    bad = [c for c in CODES if not CODE_SHAPE.fullmatch(c)]
    assert not bad, f"codes must be <domain>.<reason>: {bad}"


def test_no_published_code_was_removed() -> None:
    removed = [c for c in _published() if c not in CODES]
    assert not removed, f"published codes may never be removed or renamed: {removed}"


def test_every_code_is_documented() -> None:
    missing = sorted(set(CODES) - _documented())
    assert not missing, f"add these codes to docs/errors.md: {missing}"


def test_docs_list_no_unknown_code() -> None:
    unknown = sorted(_documented() - set(CODES))
    assert not unknown, f"docs/errors.md lists codes the catalogue lacks: {unknown}"


def test_every_code_is_recorded_as_published() -> None:
    # A new code is appended to published_codes.txt in the same change that adds it,
    # so that removing it later is caught by the test above.
    unrecorded = sorted(set(CODES) - set(_published()))
    assert not unrecorded, f"append these to {PUBLISHED.name}: {unrecorded}"


def test_every_code_has_a_meaning() -> None:
    assert all(desc.strip().endswith(".") for desc in CODES.values())
