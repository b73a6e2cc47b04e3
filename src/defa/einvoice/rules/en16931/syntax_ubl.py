"""UBL syntax-bound rules of the EN 16931 artefacts: UBL-CR-*, UBL-SR-*, UBL-DT-*.

These rules read the parsed UBL tree (``doc.tree``) and run only on documents read from UBL.

* UBL-CR-* ("this element should not be present", about 680 rules) and the attribute rules
  UBL-DT-08..28 are rows of a data table (``en16931-ubl-restrictions``: rule id, flag, element
  path). The table is compiled once into lookups by path, and one walk over the tree finds
  every row that fires; each rule then only asks the walk's result.
* UBL-SR-* (cardinalities the UBL schema allows but EN 16931 does not) and UBL-DT-01/06/07
  (amount decimals, binary object attributes) are written below; the plain "at most one"
  counts are a small table of their own.

Findings point at the first offending element, by its path in the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from defa import data
from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.engine import Findings

__all__ = ["RESTRICTIONS", "restriction_hits"]

_NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
_PREFIX = {f"{{{uri}}}": prefix for prefix, uri in _NS.items()}


def _name(tag: object) -> str | None:
    """``{ns}Local`` as ``prefix:Local`` for the UBL namespaces, ``Local`` for the root's."""
    if not isinstance(tag, str):  # comments and processing instructions
        return None
    if tag[0] != "{":
        return tag
    end = tag.index("}") + 1
    prefix = _PREFIX.get(tag[:end])
    return f"{prefix}:{tag[end:]}" if prefix else tag[end:]


def _clark(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


# -- the restriction table, compiled once ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restriction:
    """One row of the table: an element or attribute that should not appear."""

    rule_id: str
    flag: str
    path: str
    condition: str


Key = tuple[str, ...]


@dataclass(slots=True)
class _Matcher:
    """The table as lookups: by full path from the root, and by path suffix ("//...")."""

    anchored: dict[Key, list[Restriction]] = field(default_factory=dict)
    anywhere: dict[Key, list[Restriction]] = field(default_factory=dict)
    lengths: tuple[int, ...] = ()  # suffix lengths used by "anywhere" rows, longest first
    last_steps: frozenset[str] = frozenset()  # final steps of "anywhere" rows
    attributes: frozenset[str] = frozenset()  # attribute names any row mentions


def _expand(steps: list[str]) -> Iterator[Key]:
    """Every concrete key of a path whose steps may hold alternatives (``a|b``)."""
    if not steps:
        yield ()
        return
    for head in steps[0].split("|"):
        for rest in _expand(steps[1:]):
            yield (head, *rest)


def _compile(rows: Iterable[Restriction]) -> _Matcher:
    m = _Matcher()
    lengths: set[int] = set()
    last: set[str] = set()
    attrs: set[str] = set()
    for row in rows:
        anywhere = row.path.startswith("//")
        steps = row.path.lstrip("/").split("/")
        if steps[-1].startswith("@"):
            attrs.add(steps[-1][1:])
        for key in _expand(steps):
            target = m.anywhere if anywhere else m.anchored
            target.setdefault(key, []).append(row)
            if anywhere:
                lengths.add(len(key))
                last.add(key[-1])
    m.lengths = tuple(sorted(lengths, reverse=True))
    m.last_steps = frozenset(last)
    m.attributes = frozenset(attrs)
    return m


def _load() -> tuple[tuple[Restriction, ...], _Matcher]:
    table = data.load("en16931-ubl-restrictions", EN16931.valid_from).content
    rows = tuple(Restriction(*row) for row in table["restrictions"]["rules"])
    return rows, _compile(rows)


RESTRICTIONS, _MATCHER = _load()

# -- the one walk ----------------------------------------------------------------------------


_DOCUMENT_TYPE_CODE = _clark("cbc:DocumentTypeCode")


def _condition_holds(row: Restriction, el: Any, root_name: str) -> bool:
    cond = row.condition
    if not cond:
        return True
    if cond == "text-not-2.1":
        return bool(el.text != "2.1")
    if cond == "invoice-only":
        return root_name != "CreditNote"
    if cond.startswith("doctype-"):
        # The row's element (or attribute owner) sits directly in an AdditionalDocumentReference.
        ref = el.getparent()
        is_130 = ref is not None and any(
            c.text == "130" for c in ref.iterchildren(_DOCUMENT_TYPE_CODE)
        )
        return is_130 if cond == "doctype-130" else not is_130
    if cond.startswith("not-on-"):
        return _name(el.tag) != cond[len("not-on-") :]
    raise ValueError(f"unknown condition {cond!r} in en16931-ubl-restrictions")


def _walk(root: Any) -> dict[str, str]:
    """Rule id -> location of the first element or attribute that breaks it."""
    m = _MATCHER
    hits: dict[str, str] = {}
    root_name = _name(root.tag) or ""

    def note(rows: list[Restriction], el: Any, loc: str) -> None:
        for row in rows:
            if row.rule_id not in hits and _condition_holds(row, el, root_name):
                hits[row.rule_id] = loc

    def visit(el: Any, key: Key, loc: str) -> None:
        rows = m.anchored.get(key)
        if rows:
            note(rows, el, loc)
        if key and key[-1] in m.last_steps:
            for n in m.lengths:
                if n <= len(key):
                    rows = m.anywhere.get(key[-n:])
                    if rows:
                        note(rows, el, loc)
        if el.attrib:
            for attr in el.attrib:
                if attr in m.attributes:
                    akey = (*key, "@" + attr)
                    aloc = f"{loc}/@{attr}"
                    rows = m.anchored.get(akey)
                    if rows:
                        note(rows, el, aloc)
                    for n in m.lengths:
                        if n <= len(akey):
                            rows = m.anywhere.get(akey[-n:])
                            if rows:
                                note(rows, el, aloc)
        for child in el:
            name = _name(child.tag)
            if name is not None:
                visit(child, (*key, name), f"{loc}/{name}")

    visit(root, (), f"/{root_name}")
    return hits


# Rules of one document run one after another: the walk is done by the first and reused.
_last: tuple[Any, dict[str, str]] | None = None


def restriction_hits(tree: Any) -> dict[str, str]:
    """Rule id -> location, for every restriction row that fires on ``tree`` (cached)."""
    global _last
    cached = _last
    if cached is not None and cached[0] is tree:
        return cached[1]
    hits = _walk(_root(tree)) if tree is not None else {}
    _last = (tree, hits)
    return hits


def _root(tree: Any) -> Any:
    return tree.getroot() if hasattr(tree, "getroot") else tree


def _restriction_message(row: Restriction) -> str:
    what = row.path.lstrip("/").split("/")
    target = what[-1].replace("|", " or ")
    where = "/".join(what[:-1]).replace("|", " or ")
    scope = "anywhere in" if row.path.startswith("//") else "in"
    kind = "attribute" if target.startswith("@") else "element"
    place = f" under {where}" if where else ""
    verb = "must" if row.flag == "fatal" else "should"
    extra = {
        "text-not-2.1": " unless it is 2.1",
        "invoice-only": " of an invoice",
        "doctype-130": " when it references the invoiced object (document type 130)",
        "doctype-not-130": " unless it references the invoiced object (document type 130)",
        "not-on-cbc:PaymentMeansCode": " (except on cbc:PaymentMeansCode)",
    }.get(row.condition, "")
    return (
        f"The {kind} {target.lstrip('@')}{place} {verb} not be used {scope} an EN 16931 UBL "
        f"document{extra}."
    )


def _restriction_check(rule_id: str) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        loc = restriction_hits(doc.tree).get(rule_id)
        if loc is not None:
            yield loc

    return check


for _row in RESTRICTIONS:
    EN16931.rule(
        _row.rule_id,
        _row.flag,
        _restriction_message(_row),
        syntax="ubl",
    )(_restriction_check(_row.rule_id))

# Cardinality, data type and binary object rules live in their own module.
from defa.einvoice.rules.en16931 import syntax_ubl_sr  # noqa: E402

__all__ += ["syntax_ubl_sr"]
