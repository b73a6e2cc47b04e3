"""The one resolver for the reference material beside the project (``../shared``).

Tests read vectors and specs where they lie: ``$DEFA_SHARED`` if set, else ``../shared``
relative to the project root. A test that needs them and cannot find them fails with a
message naming the path; it never skips quietly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    return Path(os.environ.get("DEFA_SHARED") or ROOT.parent / "shared")


def shared_path(*parts: str) -> Path:
    """The path of ``parts`` under shared/; fails the test if it does not exist."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        pytest.fail(f"reference material not found: {path} (set DEFA_SHARED to shared/)")
    return path
