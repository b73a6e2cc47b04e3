"""Packaged data files, with provenance, selected by date.

Every file under this package's folder (``*.toml`` or ``*.json``, any depth) is data we
author from public sources. Each opens with a ``[meta]`` block (in JSON: a ``"meta"``
object) that says where its facts come from and when they are in force::

    [meta]
    id = "asean-members"          # stable id; several files may share it (versions)
    title = "..."                 # optional
    publisher = "ASEAN Secretariat"
    source = "https://..."        # the public document the facts come from
    version = "2025-10-26"
    retrieved = 2026-11-28        # when the source was read
    licence = "..."               # of the source's facts
    valid_from = 1967-08-08       # first day in force
    valid_to = 2030-12-31         # optional: last day in force

:func:`load` returns the version of a data id in force on a date (the one with the latest
``valid_from`` not after it). Files are parsed once and cached.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from defa.errors import DataError, Issue, LookupFailed, NotInForce

__all__ = ["REQUIRED_META", "DataFile", "Meta", "catalogue", "load", "parse", "versions"]

REQUIRED_META = ("id", "publisher", "source", "version", "retrieved", "licence", "valid_from")


@dataclass(frozen=True, slots=True)
class Meta:
    """The provenance and effective dates of one data file."""

    id: str
    publisher: str
    source: str
    version: str
    retrieved: date
    licence: str
    valid_from: date
    valid_to: date | None = None
    title: str = ""

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "source": self.source,
            "version": self.version,
            "retrieved": self.retrieved.isoformat(),
            "licence": self.licence,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }


@dataclass(frozen=True, slots=True)
class DataFile:
    """A parsed data file: its provenance and its content (everything but ``meta``)."""

    meta: Meta
    content: Mapping[str, Any]
    path: str


def _as_date(value: object, field: str, path: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DataError(
        Issue("data.missing_meta", f"{path}: meta.{field} must be a date (YYYY-MM-DD)", loc=path)
    )


def parse(raw: bytes, path: str) -> DataFile:
    """Parse one data file's bytes (TOML or JSON by ``path``'s suffix) and check its meta."""
    try:
        if path.endswith(".toml"):
            doc: Any = tomllib.loads(raw.decode("utf-8"))
        elif path.endswith(".json"):
            doc = json.loads(raw.decode("utf-8"))
        else:
            raise ValueError("not a .toml or .json file")
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(Issue("data.malformed", f"{path}: {exc}", loc=path)) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("meta"), dict):
        raise DataError(Issue("data.missing_meta", f"{path}: no [meta] block", loc=path))
    m = doc["meta"]
    missing = [k for k in REQUIRED_META if m.get(k) in (None, "")]
    if missing:
        raise DataError(
            Issue(
                "data.missing_meta",
                f"{path}: [meta] lacks {', '.join(missing)}",
                loc=path,
                ctx={"missing": missing},
            )
        )
    meta = Meta(
        id=str(m["id"]),
        publisher=str(m["publisher"]),
        source=str(m["source"]),
        version=str(m["version"]),
        retrieved=_as_date(m["retrieved"], "retrieved", path),
        licence=str(m["licence"]),
        valid_from=_as_date(m["valid_from"], "valid_from", path),
        valid_to=_as_date(m["valid_to"], "valid_to", path) if m.get("valid_to") else None,
        title=str(m.get("title", "")),
    )
    if meta.valid_to is not None and meta.valid_to < meta.valid_from:
        raise DataError(Issue("data.malformed", f"{path}: valid_to precedes valid_from", loc=path))
    content = {k: v for k, v in doc.items() if k != "meta"}
    return DataFile(meta=meta, content=content, path=path)


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            if not entry.name.startswith(("_", ".")):
                found.extend(_walk(entry, rel + "/"))
        elif entry.name.endswith((".toml", ".json")):
            found.append((rel, entry))
    return found


@cache
def catalogue() -> tuple[DataFile, ...]:
    """Every packaged data file, parsed and checked. Raises ``DataError`` on a bad file."""
    root = resources.files(__name__)
    return tuple(parse(entry.read_bytes(), rel) for rel, entry in _walk(root))


@cache
def _by_id() -> dict[str, tuple[DataFile, ...]]:
    """The catalogue's versions of each data id, oldest first (found once: :func:`load`
    runs on every document that needs a dated table)."""
    found: dict[str, list[DataFile]] = {}
    for f in catalogue():
        found.setdefault(f.meta.id, []).append(f)
    return {k: tuple(sorted(v, key=lambda f: f.meta.valid_from)) for k, v in found.items()}


def versions(data_id: str) -> list[DataFile]:
    """Every version of a data id, oldest first. Raises ``LookupFailed`` if none exists."""
    found = _by_id().get(data_id)
    if not found:
        raise LookupFailed(
            Issue("data.unknown_id", f"no packaged data has the id {data_id!r}", loc="id")
        )
    return list(found)


def load(data_id: str, as_of: date | None = None) -> DataFile:
    """The version of ``data_id`` in force on ``as_of`` (default: today).

    Raises ``NotInForce`` (``data.not_in_force``) when no version covers that date.
    """
    on = as_of or date.today()
    candidates = [f for f in versions(data_id) if f.meta.in_force(on)]
    if not candidates:
        spans = [
            f"{f.meta.valid_from.isoformat()}..{f.meta.valid_to or ''}" for f in versions(data_id)
        ]
        raise NotInForce(
            Issue(
                "data.not_in_force",
                f"no version of {data_id!r} is in force on {on.isoformat()} "
                f"(versions cover {', '.join(spans)})",
                loc="as_of",
                ctx={"as_of": on.isoformat(), "data_id": data_id},
            )
        )
    return candidates[-1]
