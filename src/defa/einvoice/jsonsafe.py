"""Hardened JSON reading for every JSON invoice syntax: size, encoding and nesting limits.

The size is checked before parsing; nesting is checked on the parsed value without
recursion (the C parser itself refuses nesting deep enough to exhaust the stack, which is
reported the same way). ``exact_numbers`` keeps every number as its source text, so no
amount is rounded through a float.
"""

from __future__ import annotations

import json
from typing import Any

from defa.einvoice.xmlsafe import MAX_BYTES, Source, read_bytes
from defa.errors import InputRejected, Issue

__all__ = ["MAX_DEPTH", "loads", "looks_like_json"]

MAX_DEPTH = 64
_WHITESPACE = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


def looks_like_json(data: bytes) -> bool:
    """True when the first significant byte opens a JSON object or array."""
    head = data[:4096].removeprefix(_BOM).lstrip(_WHITESPACE)
    return head[:1] in (b"{", b"[")


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether any value (scalars included) lies deeper than ``limit``, the outermost at
    depth 1. Walked level by level: each level's values in one list, without a (value,
    depth) pair per value."""
    if limit < 1:
        return True
    level = [value]
    depth = 1
    while level:
        below: list[Any] = []
        for node in level:
            if isinstance(node, dict):
                below.extend(node.values())
            elif isinstance(node, list):
                below.extend(node)
        depth += 1
        if below and depth > limit:
            return True
        level = below
    return False


def loads(
    source: Source,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    *,
    exact_numbers: bool = False,
) -> Any:
    """The parsed JSON value of ``source`` (bytes, text or a path), within the limits.

    Raises :class:`~defa.errors.InputRejected` with ``input.too_large``,
    ``input.invalid_encoding``, ``json.not_json`` or ``json.too_deep``; nothing else escapes.
    """
    data = read_bytes(source, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputRejected(
            Issue("input.invalid_encoding", f"JSON input is not UTF-8: {exc.reason}", loc="/")
        ) from None
    exact: dict[str, Any] = (
        {"parse_float": str, "parse_int": str, "parse_constant": str} if exact_numbers else {}
    )
    try:
        value = json.loads(text, **exact)
    except RecursionError:
        raise _too_deep(max_depth) from None
    except ValueError as exc:
        raise InputRejected(
            Issue("json.not_json", f"the document is not valid JSON: {exc}"[:300], loc="/")
        ) from None
    if _depth_exceeds(value, max_depth):
        raise _too_deep(max_depth)
    return value


def _too_deep(limit: int) -> InputRejected:
    return InputRejected(
        Issue(
            "json.too_deep", f"values nest deeper than {limit} levels", loc="/", ctx={"max": limit}
        )
    )
