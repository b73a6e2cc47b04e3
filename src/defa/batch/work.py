"""The work on one input, as run on a worker: read the file, check it, convert it if asked.

:func:`check_file` is a plain module-level function taking and returning plain values, so
local processes and Dask workers can both run it, and it returns the finished JSON line so
the writing process only appends text.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from defa import einvoice
from defa.errors import DefaError, Issue, Report

__all__ = ["check_file", "record"]


def record(name: str, data: bytes, options: dict[str, Any]) -> dict[str, Any]:
    """The result record of one document: its digest, report and (if asked) conversion.

    ``status`` is ``valid``, ``invalid`` (the rules found errors), ``unreadable`` (not a
    document the toolkit reads) or ``failed`` (the rules could not be applied, e.g. none in
    force on the date, or a fault in the toolkit: ``internal.error``). The record holds
    nothing that depends on where or when it was made.
    """
    as_of = date.fromisoformat(options["as_of"]) if options.get("as_of") else None
    out: dict[str, Any] = {
        "run": options["key"],
        "input": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }
    try:
        doc = einvoice.read(data)
    except DefaError as exc:
        return {**out, "status": "unreadable", **Report(list(exc.issues)).to_dict()}
    try:
        report = einvoice.check(doc, rules=options["rules"], as_of=as_of)
    except DefaError as exc:
        return {**out, "status": "failed", **Report(list(exc.issues)).to_dict()}
    out.update(status="valid" if report.valid else "invalid", **report.to_dict())
    target = options.get("convert_to")
    if target:
        try:
            result = einvoice.convert(doc, to=target)
        except DefaError as exc:
            out["conversion"] = {"to": target, "issues": [i.to_dict() for i in exc.issues]}
        else:
            out["conversion"] = {
                "to": target,
                "document": result.document.decode("utf-8"),
                "losses": [loss.to_dict() for loss in result.losses],
                "report": result.report.to_dict(),
            }
    return out


def check_file(name: str, options: dict[str, Any]) -> tuple[str, str]:
    """The status and JSON line of the file ``name`` (an unreadable file gets one too)."""
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        issue = Issue("input.unreadable", f"cannot read the file: {exc.strerror}", loc=name)
        rec: dict[str, Any] = {
            "run": options["key"],
            "input": name,
            "status": "unreadable",
            **Report([issue]).to_dict(),
        }
    else:
        try:
            rec = record(name, data, options)
        except Exception as exc:  # a fault in the toolkit must not end a run of millions
            issue = Issue(
                "internal.error", f"an internal error occurred ({type(exc).__name__})", loc=name
            )
            rec = {"run": options["key"], "input": name, "status": "failed"}
            rec.update(Report([issue]).to_dict())
    return rec["status"], json.dumps(rec, ensure_ascii=False, sort_keys=True)
