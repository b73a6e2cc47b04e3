"""Which files a batch reads: a file, a folder (every file below it) or a glob pattern."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from defa.errors import InputRejected, Issue

__all__ = ["expand"]

_GLOB_CHARS = frozenset("*?[")


def expand(spec: str | Path) -> list[Path]:
    """The files ``spec`` names, absolute, each once, in a stable (sorted) order.

    A folder stands for every regular file below it; a pattern is expanded with ``**``
    matching any depth. Naming nothing is :class:`~defa.errors.InputRejected`
    (``input.unreadable``), so a typo does not pass for an empty, successful run.
    """
    text = str(spec)
    path = Path(text).expanduser()
    if any(c in text for c in _GLOB_CHARS) and not path.exists():
        found: Iterable[Path] = (Path(p) for p in glob.iglob(str(path), recursive=True))
    elif path.is_dir():
        found = path.rglob("*")
    else:
        found = [path]
    # Resolved paths make a restarted run recognise its inputs from any working directory.
    files = sorted({p.resolve() for p in found if p.is_file()})
    if not files:
        raise InputRejected(Issue("input.unreadable", f"no files match {text!r:.200}", loc="PATH"))
    return files
