"""The results file: one JSON line per input, appended atomically, readable after a crash.

Why it survives ``SIGKILL`` mid-run with every input exactly once:

* each flush is one ``os.write`` of whole lines on an ``O_APPEND`` descriptor, followed by
  ``fsync``; a process killed at any instant leaves whole lines plus, at worst, one torn
  last line without its newline;
* on opening, a torn tail is cut off (its input was not finished and is done again);
* every line carries the run key and the input; a restarted run skips the inputs whose
  lines are already there.

The run key is a digest of what decides a line's content (options and toolkit version), so
results of different options are never mixed in one file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from defa import __version__
from defa.errors import InputRejected, Issue

__all__ = ["Journal", "run_key"]


def run_key(options: dict[str, Any]) -> str:
    """A short stable digest of the options that shape every line, and the toolkit version."""
    canonical = json.dumps({**options, "version": __version__}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


class Journal:
    """An append-only JSONL results file for one run key.

    ``done`` maps each input already recorded under this key, when the file was opened, to
    its status.
    """

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        self.done: dict[str, str] = {}
        self._recover()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def _recover(self) -> None:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return
        # Read line by line: a results file with converted documents may be far larger than
        # memory; only the input names are kept.
        complete = 0
        with self.path.open("rb") as f:
            for n, raw in enumerate(f, start=1):
                if not raw.endswith(b"\n"):
                    break  # a torn last line: the run was killed while writing it
                complete += len(raw)
                self._remember(n, raw)
        if complete < self.path.stat().st_size:
            with self.path.open("r+b") as f:  # cut the torn line; its input is redone
                f.truncate(complete)
                os.fsync(f.fileno())

    def _remember(self, n: int, raw: bytes) -> None:
        try:
            record = json.loads(raw)
            key, name, status = record["run"], record["input"], record["status"]
        except (ValueError, TypeError, KeyError):
            raise InputRejected(
                Issue(
                    "request.invalid",
                    f"{self.path}: line {n} is not a batch result",
                    loc=str(self.path),
                )
            ) from None
        if key != self.key:
            raise InputRejected(
                Issue(
                    "request.invalid",
                    f"{self.path} holds results of another run (other options or version);"
                    " write to another file",
                    loc=str(self.path),
                )
            )
        self.done[name] = status

    def append(self, lines: Iterable[str]) -> None:
        """Write whole lines (without newlines) in one write, then make them durable."""
        blob = "".join(line + "\n" for line in lines).encode("utf-8")
        if not blob:
            return
        view = memoryview(blob)
        while view:  # a regular file takes the whole write; loop only for safety
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    def close(self) -> None:
        """Close the file (every appended line is already durable)."""
        os.close(self._fd)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
