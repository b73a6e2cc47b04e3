"""Invoice syntaxes bound to the EN 16931 semantic model: UBL 2.1 and UN/CEFACT CII D16B.

Each syntax module offers ``read(root_or_source) -> Invoice`` and ``write(Invoice) ->
bytes``; :func:`detect` names the syntax of a parsed document by its root element.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from defa.einvoice.model import Invoice
from defa.einvoice.syntax import cii, ubl
from defa.errors import InputRejected, Issue, LookupFailed

__all__ = ["SYNTAXES", "Syntax", "detect", "get"]


@dataclass(frozen=True, slots=True)
class Syntax:
    """A syntax: its name, reader and writer, and the roots it takes (Clark names)."""

    name: str
    title: str
    read: Callable[[etree._Element], Invoice]
    write: Callable[[Invoice], bytes]
    roots: frozenset[str]


SYNTAXES: dict[str, Syntax] = {
    "ubl": Syntax(
        "ubl",
        "OASIS UBL 2.1 Invoice / CreditNote",
        ubl.read,
        ubl.write,
        frozenset(ubl.ROOTS),
    ),
    "cii": Syntax(
        "cii",
        "UN/CEFACT Cross Industry Invoice D16B",
        cii.read,
        cii.write,
        frozenset({cii.ROOT_TAG}),
    ),
}

_BY_ROOT = {root: s.name for s in SYNTAXES.values() for root in s.roots}
_BY_LOCAL = {root.rpartition("}")[2]: root for root in _BY_ROOT}


def get(name: str) -> Syntax:
    """The syntax called ``name`` (``ubl``, ``cii``); ``LookupFailed`` if none is."""
    found = SYNTAXES.get(name.lower()) if isinstance(name, str) else None
    if found is None:
        raise LookupFailed(
            Issue(
                "einvoice.unknown_syntax",
                f"no invoice syntax {name!r:.40}; known: {', '.join(sorted(SYNTAXES))}",
                loc="syntax",
            )
        )
    return found


def detect(root: etree._Element) -> str:
    """The name of the syntax whose document element ``root`` is.

    A known root name in a foreign namespace is ``xml.wrong_namespace``; any other root is
    ``einvoice.unknown_syntax``.
    """
    tag = root.tag
    if isinstance(tag, str):
        found = _BY_ROOT.get(tag)
        if found is not None:
            return found
        ns, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
        expected = _BY_LOCAL.get(local)
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
            f"(UBL Invoice or CreditNote, CII CrossIndustryInvoice)",
            loc=f"/{name[:60]}",
        )
    )
