"""What the e-invoice engine answers for the shared vectors, as digests: the check of every
sample document and its conversion into every format (the unit-test files, which hold test
sets rather than documents, are the conformance tests' business).

``python tests/answers.py VECTORS`` prints them as JSON, with whether the process ran the
compiled copy; the compiled-copy test compares the copy's answers with those of a process
that imports the sources.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from pathlib import Path

import defa
from defa import einvoice
from defa.errors import DefaError

AS_OF = date(2026, 11, 28)


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else json.dumps(part, sort_keys=True).encode())
    return h.hexdigest()


def answers(vectors: Path) -> dict[str, str]:
    files = sorted(
        p
        for p in vectors.rglob("*")
        if p.suffix in (".xml", ".json") and p.is_file() and "unit-" not in p.parent.name
    )
    out: dict[str, str] = {}
    for path in files:
        name = str(path.relative_to(vectors))
        try:
            out[f"check {name}"] = _digest(einvoice.check(path.read_bytes(), as_of=AS_OF).to_dict())
        except DefaError as exc:
            out[f"check {name}"] = f"{type(exc).__name__}: {exc}"
    for path in files:
        name = str(path.relative_to(vectors))
        for target in einvoice.formats():
            try:
                c = einvoice.convert(path.read_bytes(), to=target, as_of=AS_OF)
            except DefaError as exc:
                out[f"convert {name} {target}"] = f"{type(exc).__name__}: {exc}"
                continue
            out[f"convert {name} {target}"] = _digest(
                c.document,
                [loss.to_dict() for loss in c.losses],
                c.report.to_dict(),
                c.check.to_dict() if c.check is not None else None,
            )
    return out


if __name__ == "__main__":
    json.dump({"compiled": defa.compiled(), "answers": answers(Path(sys.argv[1]))}, sys.stdout)
