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

from lxml import etree

from defa import data
from defa.einvoice.model import Invoice
from defa.einvoice.rules.en16931 import EN16931

__all__ = ["RESTRICTIONS", "Index", "index", "kids", "loc", "restriction_hits"]

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
class _Node:
    """A trie node of the rows anchored at the root: one element step."""

    children: dict[str, _Node] = field(default_factory=dict)  # by Clark tag
    rows: list[Restriction] = field(default_factory=list)  # rows ending at this element
    attrs: dict[str, list[Restriction]] = field(default_factory=dict)  # rows on its attributes


Suffix = tuple[str, ...]  # Clark tags, outermost first


@dataclass(slots=True)
class _Matcher:
    """The table as lookups: a trie of root-anchored paths, and "//" rows by last step."""

    trie: _Node = field(default_factory=_Node)
    elements: dict[str, list[tuple[Suffix, Restriction]]] = field(default_factory=dict)
    # attribute name -> owner's Clark tag ("" for any owner) -> rows
    attributes: dict[str, dict[str, list[tuple[Suffix, Restriction]]]] = field(default_factory=dict)
    element_tags: tuple[str, ...] = ()


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
    for row in rows:
        anywhere = row.path.startswith("//")
        for key in _expand(row.path.lstrip("/").split("/")):
            attr = key[-1][1:] if key[-1].startswith("@") else None
            tags = tuple(_clark(step) for step in (key[:-1] if attr else key))
            if anywhere and attr:
                owner = tags[-1] if tags else ""
                m.attributes.setdefault(attr, {}).setdefault(owner, []).append((tags, row))
            elif anywhere:
                m.elements.setdefault(tags[-1], []).append((tags, row))
            else:
                node = m.trie
                for tag in tags:
                    node = node.children.setdefault(tag, _Node())
                if attr:
                    node.attrs.setdefault(attr, []).append(row)
                else:
                    node.rows.append(row)
    m.element_tags = tuple(m.elements)
    return m


def _load() -> tuple[tuple[Restriction, ...], _Matcher]:
    table = data.load("en16931-ubl-restrictions", EN16931.valid_from).content
    rows = tuple(Restriction(*row) for row in table["restrictions"]["rules"])
    return rows, _compile(rows)


RESTRICTIONS, _MATCHER = _load()

# -- finding the rows that fire ----------------------------------------------------------------


def loc(el: Any) -> str:
    """A readable path of ``el``: prefixed names, with a position among same-named siblings."""
    parts: list[str] = []
    node = el
    while node is not None:
        parent = node.getparent()
        name = _name(node.tag) or "?"
        if parent is not None:
            same = list(parent.iterchildren(node.tag))
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


# -- an element index shared by the UBL rules ------------------------------------------------

_STEPS: dict[str, tuple[str, ...]] = {}


def _steps(path: str) -> tuple[str, ...]:
    found = _STEPS.get(path)
    if found is None:
        found = _STEPS[path] = tuple(_clark(step) for step in path.split("/"))
    return found


def kids(el: Any, path: str) -> list[Any]:
    """The elements at a child path (``cac:A/cbc:B``) below ``el``."""
    cached = _index_last
    children = cached[1].children_of if cached is not None else _children_of
    steps = _steps(path)
    found: list[Any] = children(el).get(steps[0], [])
    for tag in steps[1:]:
        if not found:
            break
        step: list[Any] = []
        for parent in found:
            step.extend(children(parent).get(tag, ()))
        found = step
    return found


def _children_of(el: Any) -> dict[Any, list[Any]]:
    """``el``'s children by tag."""
    by_tag: dict[Any, list[Any]] = {}
    for child in el:
        found = by_tag.get(child.tag)
        if found is None:
            by_tag[child.tag] = [child]
        else:
            found.append(child)
    return by_tag


class Index:
    """One document's elements by tag and its restriction findings, from one walk (``_walk``),
    shared by every UBL rule."""

    __slots__ = ("_children", "amounts", "binary_objects", "by_tag", "hits")

    def __init__(self, root: Any) -> None:
        self.hits, by_tag = _walk(root)
        # Children by tag are bucketed the first time a rule steps into an element.
        self._children: dict[Any, dict[Any, list[Any]]] = {}
        self.by_tag = by_tag
        tags = [t for t in by_tag if isinstance(t, str)]
        # UBL-DT-01: names ending in Amount, but not PriceAmount; UBL-DT-06/07: BinaryObject.
        self.amounts = [
            el
            for t in tags
            if t.endswith("Amount") and not t.endswith("PriceAmount")
            for el in by_tag[t]
        ]
        self.binary_objects = [el for t in tags if t.endswith("BinaryObject") for el in by_tag[t]]

    def children_of(self, el: Any) -> dict[Any, list[Any]]:
        found = self._children.get(el)
        if found is None:
            found = self._children[el] = _children_of(el)
        return found

    def all(self, tag: str) -> list[Any]:
        return self.by_tag.get(tag, [])


_index_last: tuple[Any, Index] | None = None


def index(root: Any) -> Index:
    """The element index of ``root``'s document, built once (the last document is kept)."""
    global _index_last
    cached = _index_last
    if cached is not None and cached[0] is root:
        return cached[1]
    built = Index(root)
    _index_last = (root, built)
    return built


def _ends_with(el: Any, suffix: Suffix) -> bool:
    """Whether ``el`` and its ancestors end with the tags of ``suffix``."""
    node = el
    for tag in reversed(suffix):
        if node is None or node.tag != tag:
            return False
        node = node.getparent()
    return True


_DOCUMENT_TYPE_CODE = _clark("cbc:DocumentTypeCode")
# Every attribute of the document in one C-level query; only a few are then looked at.
_ALL_ATTRIBUTES = etree.XPath("//@*")


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


def _walk(root: Any) -> tuple[dict[str, str], dict[Any, list[Any]]]:
    """The one walk over a document: every element by tag, and for every restriction row that
    fires, the location of the first element or attribute that breaks it."""
    m = _MATCHER
    hits: dict[str, str] = {}
    by_tag: dict[Any, list[Any]] = {root.tag: [root]}
    root_name = _name(root.tag) or ""

    def note(rows: list[Restriction], el: Any, attr: str = "") -> None:
        for row in rows:
            if row.rule_id not in hits and _condition_holds(row, el, root_name):
                hits[row.rule_id] = loc(el) + (f"/@{attr}" if attr else "")

    # Every element is bucketed by tag; rows anchored at the root are followed down the trie
    # on the way (``node`` is None off the trie).
    def descend(el: Any, node: _Node | None) -> None:
        for child in el:
            tag = child.tag
            bucket = by_tag.get(tag)
            if bucket is None:
                by_tag[tag] = [child]
            else:
                bucket.append(child)
            sub = node.children.get(tag) if node is not None else None
            if sub is not None:
                if sub.rows:
                    note(sub.rows, child)
                for attr, rows in sub.attrs.items():
                    if child.get(attr) is not None:
                        note(rows, child, attr)
                if len(child):
                    descend(child, sub if sub.children else None)
            elif len(child):
                descend(child, None)

    descend(root, m.trie)
    # "//" element rows: only elements with one of their last tags, found in C.
    for el in root.iter(*m.element_tags):
        for suffix, row in m.elements[el.tag]:
            if _ends_with(el, suffix):
                note([row], el)
    # "//" attribute rows: every attribute, kept only if its name is in the table.
    attributes: Any = _ALL_ATTRIBUTES(root)  # attribute results: .attrname, .getparent()
    for value in attributes:
        by_owner = m.attributes.get(value.attrname)
        if by_owner:
            owner = value.getparent()
            for key in (owner.tag, ""):
                for suffix, row in by_owner.get(key, ()):
                    if _ends_with(owner, suffix):
                        note([row], owner, value.attrname)
    return hits, by_tag


# Rules of one document run one after another: the search is done by the first and reused.
_last: tuple[Any, dict[str, str]] = (None, {})


def restriction_hits(tree: Any) -> dict[str, str]:
    """Rule id -> location, for every restriction row that fires on ``tree`` (cached)."""
    global _last
    cached = _last
    if cached[0] is tree:
        return cached[1]
    hits = index(_root(tree)).hits if tree is not None else {}
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


def _restriction_check(rule_id: str) -> Callable[[Invoice], Iterable[str]]:
    # Called once per rule and document: kept to a cache probe and a dict lookup.
    def check(doc: Invoice) -> Iterable[str]:
        cached = _last
        hits = cached[1] if cached[0] is doc.tree else restriction_hits(doc.tree)
        found = hits.get(rule_id)
        return (found,) if found is not None else ()

    return check


def _restriction_findings(doc: Invoice) -> Iterable[tuple[str, str]]:
    """Every restriction row that fires, with its location: the whole table in one call."""
    return restriction_hits(doc.tree).items()


# The engine runs the table as one family; each row stays a rule of its own.
EN16931.family("ubl-restrictions", _restriction_findings, syntax="ubl")
for _row in RESTRICTIONS:
    EN16931.member("ubl-restrictions", _row.rule_id, _row.flag, _restriction_message(_row))(
        _restriction_check(_row.rule_id)
    )

# Cardinality, data type and binary object rules live in their own module.
from defa.einvoice.rules.en16931 import syntax_ubl_sr  # noqa: E402

__all__ += ["syntax_ubl_sr"]
