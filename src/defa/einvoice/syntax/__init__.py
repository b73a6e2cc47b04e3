"""Invoice syntaxes bound to the EN 16931 semantic model.

The engine's own are UBL 2.1 and UN/CEFACT CII D16B; national profiles add theirs (ETDA XML,
MyInvois JSON, ...) in ``SYNTAXES`` of ``defa.countries.<cc>.einvoice``, found on first use.
An XML syntax reads a parsed root and names the document elements it takes (``roots``); a
JSON syntax (``media="json"``) reads the document's bytes and says by ``accepts`` whether a
parsed JSON value is one of its documents. :func:`detect` and :func:`detect_json` name the
syntax of a document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree

from defa import registry
from defa.einvoice.model import Invoice
from defa.einvoice.syntax import cii, ubl
from defa.errors import InputRejected, Issue, LookupFailed

__all__ = ["SYNTAXES", "Syntax", "detect", "detect_json", "get", "syntaxes"]


@dataclass(frozen=True, slots=True)
class Syntax:
    """A syntax: its name, reader and writer, and how its documents are recognised.

    XML syntaxes: ``read`` takes the parsed root; ``roots`` holds the Clark names of the
    document elements. JSON syntaxes (``media="json"``): ``read`` takes the document's bytes
    and ``accepts`` tells from the parsed JSON value whether a document is of this syntax.
    """

    name: str
    title: str
    read: Callable[[Any], Invoice]
    write: Callable[[Invoice], bytes]
    roots: frozenset[str] = frozenset()
    media: str = "xml"
    accepts: Callable[[Any], bool] | None = None
    terms: frozenset[str] | None = None  # the term ids it can hold, for the loss account
    # XML syntaxes of the engine: the tree ``write`` serialises, which a conversion reads
    # back without parsing its own output again
    build: Callable[[Invoice], Any] | None = None


SYNTAXES: dict[str, Syntax] = {
    "ubl": Syntax(
        "ubl",
        "OASIS UBL 2.1 Invoice / CreditNote",
        ubl.read,
        ubl.write,
        frozenset(ubl.ROOTS),
        build=ubl.build,
    ),
    "cii": Syntax(
        "cii",
        "UN/CEFACT Cross Industry Invoice D16B",
        cii.read,
        cii.write,
        frozenset({cii.ROOT_TAG}),
        build=cii.build,
    ),
}


@cache
def syntaxes() -> dict[str, Syntax]:
    """Every syntax by name: the engine's, then those the national profiles add."""
    found = dict(SYNTAXES)
    for cc in registry.countries():
        if "einvoice" not in registry.capabilities(cc):
            continue
        for syntax in getattr(registry.profile(cc, "einvoice"), "SYNTAXES", ()):
            if syntax.name in found:
                raise ValueError(f"invoice syntax {syntax.name} is defined twice")
            found[syntax.name] = syntax
    return found


@cache
def _by_root() -> dict[str, str]:
    return {root: s.name for s in syntaxes().values() for root in s.roots}


@cache
def _by_local() -> dict[str, str]:
    return {root.rpartition("}")[2]: root for root in _by_root()}


def get(name: str) -> Syntax:
    """The syntax called ``name`` (``ubl``, ``cii``, ...); ``LookupFailed`` if none is."""
    found = syntaxes().get(name.lower()) if isinstance(name, str) else None
    if found is None:
        raise LookupFailed(
            Issue(
                "einvoice.unknown_syntax",
                f"no invoice syntax {name!r:.40}; known: {', '.join(sorted(syntaxes()))}",
                loc="syntax",
            )
        )
    return found


def detect_json(value: Any) -> str:
    """The name of the JSON syntax whose documents look like ``value``."""
    for syntax in syntaxes().values():
        if syntax.media == "json" and syntax.accepts is not None and syntax.accepts(value):
            return syntax.name
    raise InputRejected(
        Issue(
            "einvoice.unknown_syntax",
            "the JSON document is not one of a known invoice syntax "
            f"({', '.join(sorted(s.name for s in syntaxes().values() if s.media == 'json'))})",
            loc="/",
        )
    )


def detect(root: etree._Element) -> str:
    """The name of the syntax whose document element ``root`` is.

    A known root name in a foreign namespace is ``xml.wrong_namespace``; any other root is
    ``einvoice.unknown_syntax``.
    """
    tag = root.tag
    if isinstance(tag, str):
        found = _by_root().get(tag)
        if found is not None:
            return found
        ns, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
        expected = _by_local().get(local)
        if expected is not None:
            raise InputRejected(
                Issue(
                    "xml.wrong_namespace",
                    f"{local} is expected in namespace {expected[1:].partition('}')[0]}, "
                    f"not {ns!r:.80}",
                    loc=f"/{local}",
                )
            )
        name = local
    else:
        name = "?"
    raise InputRejected(
        Issue(
            "einvoice.unknown_syntax",
            f"the document element {name!r:.60} is not that of a known invoice syntax "
            f"(known: {', '.join(sorted(syntaxes()))})",
            loc=f"/{name[:60]}",
        )
    )
