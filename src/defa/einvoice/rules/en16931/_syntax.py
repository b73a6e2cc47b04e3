"""The machinery the syntax-bound rules of the EN 16931 artefacts share, whatever the syntax.

Two kinds of rule read the parsed tree (``doc.tree``) rather than the semantic model:

* **Restriction tables** (UBL-CR-*, UBL-DT-08..28; CII-SR-*/CII-DT-* of the form
  ``not(...)``): rows of a packaged data table, each an element or attribute that should not
  be there (rule id, flag, path, condition). :class:`Binding` compiles a table once into
  lookups by path and finds every row that fires in one walk over a document, the same walk
  that indexes its elements by tag (:class:`Index`), which the other syntax rules read.
* **Context rules** (UBL-SR-*, the CII-SR counts): a test evaluated on each element of some
  kind (the invoice, a line, a payment means, ...). :class:`ContextRules` evaluates all of a
  syntax's context rules together, once per document, and each rule reads its own failures.

Each becomes one family of the rule set (see :meth:`RuleSet.family`): one call per document.

Path notation of the tables: steps from the root separated by ``/`` (the root's own step left
out); a leading ``//`` matches the steps anywhere; ``a|b`` is either element at that step;
``ns:*Suffix`` is any element of that namespace whose name ends with ``Suffix`` (``*:*Suffix``:
of any namespace; only in ``//`` paths); a final ``@name`` is an attribute of the element
before it. A rule may have several rows (its context is a union of paths). A row whose
condition is ``unreachable`` is registered as a rule but never fires (the artefact's rule
context is shadowed by an earlier rule of its pattern).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from lxml import etree

from defa import data
from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import RuleSet

__all__ = [
    "Binding",
    "ContextRules",
    "Element",
    "Index",
    "Restriction",
    "Wild",
    "restriction_message",
    "root_of",
    "string_value",
]

Element = Any  # an lxml element; lxml's stubs do not type the generic element API usefully


def root_of(tree: Any) -> Element | None:
    """The root element of a parsed document (an element tree or an element)."""
    if tree is None:
        return None
    return tree.getroot() if hasattr(tree, "getroot") else tree


def string_value(el: Element) -> str:
    """The XPath string value: the element's text with its descendants'."""
    return "".join(el.itertext()) if len(el) else (el.text or "")


class Restriction(NamedTuple):
    """One row of a restriction table: an element or attribute that should not appear.

    A tuple of strings, which the cyclic garbage collector stops tracking: the tables' rows
    add nothing to the collections that run between documents."""

    rule_id: str
    flag: str
    path: str
    condition: str


class Wild(NamedTuple):
    """A path step that takes any element whose local name ends with ``suffix``, in the
    namespace ``ns`` (``{uri}``) or, when it is None, in any namespace."""

    ns: str | None
    suffix: str

    def matches(self, tag: object) -> bool:
        if not isinstance(tag, str):
            return False
        if self.ns is None:
            local = tag.rpartition("}")[2]
        elif tag.startswith(self.ns):
            local = tag[len(self.ns) :]
        else:
            return False
        return local.endswith(self.suffix)


Step = str | Wild  # a Clark tag, or a wildcard
Suffix = tuple[Step, ...]  # steps outermost first
Key = tuple[str, ...]


@dataclass(slots=True)
class _Node:
    """A trie node of the rows anchored at the root: one element step."""

    children: dict[str, _Node] = field(default_factory=dict)  # by Clark tag
    rows: list[Restriction] = field(default_factory=list)  # rows ending at this element
    attrs: dict[str, list[Restriction]] = field(default_factory=dict)  # rows on its attributes


@dataclass(slots=True)
class _Matcher:
    """A table as lookups: a trie of root-anchored paths, and "//" rows by last step."""

    trie: _Node = field(default_factory=_Node)
    elements: dict[str, list[tuple[Suffix, Restriction]]] = field(default_factory=dict)
    # attribute name -> owner's Clark tag ("" for any owner) -> rows
    attributes: dict[str, dict[str, list[tuple[Suffix, Restriction]]]] = field(default_factory=dict)
    # attribute name -> rows whose owner step is a wildcard
    wild_attributes: dict[str, list[tuple[Suffix, Restriction]]] = field(default_factory=dict)
    # every attribute name of the "//" attribute rows
    attribute_names: frozenset[str] = frozenset()


def _expand(steps: list[str]) -> Iterator[Key]:
    """Every concrete key of a path whose steps may hold alternatives (``a|b``)."""
    if not steps:
        yield ()
        return
    for head in steps[0].split("|"):
        for rest in _expand(steps[1:]):
            yield (head, *rest)


def _ends_with(el: Element, suffix: Suffix) -> bool:
    """Whether ``el`` and its ancestors end with the steps of ``suffix``."""
    node = el
    for step in reversed(suffix):
        if node is None:
            return False
        if step.__class__ is str:
            if node.tag != step:
                return False
        elif not step.matches(node.tag):  # type: ignore[union-attr]
            return False
        node = node.getparent()
    return True


# Every attribute of the whole document, for a root inside a larger tree (see Binding.walk).
_ALL_ATTRIBUTES = etree.XPath("//@*")

# Whether a row fires on the element it names (or the owner of its attribute), in a document
# with this root element.
Condition = Callable[[Restriction, Element, Element], bool]


class Index:
    """One document's elements by tag and its restriction findings, from one walk, shared by
    every syntax rule of the document."""

    __slots__ = ("_children", "by_tag", "hits")

    def __init__(self, root: Element, binding: Binding[Any]) -> None:
        self.hits, self.by_tag = binding.walk(root)
        # Children by tag are bucketed the first time a rule steps into an element.
        self._children: dict[Element, dict[Any, list[Element]]] = {}

    def children_of(self, el: Element) -> dict[Any, list[Element]]:
        found = self._children.get(el)
        if found is None:
            found = self._children[el] = _children_of(el)
        return found

    def all(self, tag: str) -> list[Element]:
        return self.by_tag.get(tag, [])


def _children_of(el: Element) -> dict[Any, list[Element]]:
    """``el``'s children by tag."""
    by_tag: dict[Any, list[Element]] = {}
    for child in el:
        found = by_tag.get(child.tag)
        if found is None:
            by_tag[child.tag] = [child]
        else:
            found.append(child)
    return by_tag


IndexT = TypeVar("IndexT", bound=Index)


class Binding(Generic[IndexT]):
    """One syntax's restriction table and element index: names, the compiled table, and the
    caches that let the rules of one run share a document's walk."""

    def __init__(
        self,
        namespaces: Mapping[str, str],
        table_id: str,
        valid_from: date,
        condition: Condition,
        index: type[IndexT],
    ) -> None:
        self.namespaces = dict(namespaces)
        self._prefix = {f"{{{uri}}}": prefix for prefix, uri in namespaces.items()}
        self._condition = condition
        self._index_type = index
        self._steps: dict[str, tuple[str, ...]] = {}
        self._index_last: tuple[Element, IndexT] | None = None
        # Rules of one document run one after another: the search is done by the first.
        self.last_hits: tuple[Any, dict[str, str]] = (None, {})
        table = data.load(table_id, valid_from).content
        self.table_id = table_id
        self.rows = tuple(Restriction(*row) for row in table["restrictions"]["rules"])
        self._matcher = self._compile(r for r in self.rows if r.condition != "unreachable")

    # -- names -----------------------------------------------------------------------------

    def name(self, tag: object) -> str | None:
        """``{ns}Local`` as ``prefix:Local`` for the known namespaces, ``Local`` otherwise."""
        if not isinstance(tag, str):  # comments and processing instructions
            return None
        if tag[0] != "{":
            return tag
        end = tag.index("}") + 1
        prefix = self._prefix.get(tag[:end])
        return f"{prefix}:{tag[end:]}" if prefix else tag[end:]

    def clark(self, name: str) -> str:
        """``prefix:Local`` as ``{ns}Local``."""
        prefix, local = name.split(":")
        return f"{{{self.namespaces[prefix]}}}{local}"

    def _step(self, name: str) -> Step:
        prefix, local = name.split(":")
        if local.startswith("*"):
            return Wild(None if prefix == "*" else f"{{{self.namespaces[prefix]}}}", local[1:])
        return self.clark(name)

    def loc(self, el: Element) -> str:
        """A readable path of ``el``: prefixed names, with a position among same-named
        siblings."""
        parts: list[str] = []
        node = el
        while node is not None:
            parent = node.getparent()
            name = self.name(node.tag) or "?"
            if parent is not None:
                same = list(parent.iterchildren(node.tag))
                if len(same) > 1:
                    name += f"[{same.index(node) + 1}]"
            parts.append(name)
            node = parent
        return "/" + "/".join(reversed(parts))

    # -- the table, compiled once ------------------------------------------------------------

    def _compile(self, rows: Iterable[Restriction]) -> _Matcher:
        m = _Matcher()
        for row in rows:
            anywhere = row.path.startswith("//")
            for key in _expand(row.path.lstrip("/").split("/")):
                attr = key[-1][1:] if key[-1].startswith("@") else None
                steps = tuple(self._step(s) for s in (key[:-1] if attr else key))
                if anywhere and attr:
                    owner = steps[-1] if steps else ""
                    if isinstance(owner, Wild):
                        m.wild_attributes.setdefault(attr, []).append((steps, row))
                    else:
                        by_owner = m.attributes.setdefault(attr, {})
                        by_owner.setdefault(owner, []).append((steps, row))
                elif anywhere:
                    last = steps[-1]
                    if isinstance(last, Wild):
                        raise ValueError(f"{row.rule_id}: a wildcard must not end an element path")
                    m.elements.setdefault(last, []).append((steps, row))
                else:
                    node = m.trie
                    for tag in steps:
                        if isinstance(tag, Wild):
                            raise ValueError(f"{row.rule_id}: wildcards only in '//' paths")
                        node = node.children.setdefault(tag, _Node())
                    if attr:
                        node.attrs.setdefault(attr, []).append(row)
                    else:
                        node.rows.append(row)
        m.attribute_names = frozenset((*m.attributes, *m.wild_attributes))
        return m

    # -- finding the rows that fire ------------------------------------------------------------

    def walk(self, root: Element) -> tuple[dict[str, str], dict[Any, list[Element]]]:
        """The one walk over a document: every element by tag, and for every restriction row
        that fires, the location of the first element or attribute that breaks it."""
        m = self._matcher
        holds = self._condition
        loc = self.loc
        hits: dict[str, str] = {}
        by_tag: dict[Any, list[Element]] = {}

        def note(rows: list[Restriction], el: Element, attr: str = "") -> None:
            for row in rows:
                if row.rule_id not in hits and (not row.condition or holds(row, el, root)):
                    hits[row.rule_id] = loc(el) + (f"/@{attr}" if attr else "")

        for attr, rows in m.trie.attrs.items():  # attributes of the root itself
            if root.get(attr) is not None:
                note(rows, root, attr)
        # One flat pass in document order (lxml's iter(): much cheaper than a recursive walk
        # in Python). Every node is bucketed by tag; rows anchored at the root are followed
        # down the trie through the parent's node. The "//" rows are noted after the trie's
        # (a rule's first location is the trie's), so their candidates are kept for later.
        below: dict[Element, _Node] = {root: m.trie}  # elements whose children are on the trie
        ends = m.elements
        names = m.attribute_names
        ending: list[Element] = []  # elements with the last tag of some "//" element row
        owners: list[tuple[Element, str]] = []  # attributes named by some "//" row
        for el in root.iter():
            tag = el.tag
            bucket = by_tag.get(tag)
            if bucket is None:
                by_tag[tag] = [el]
            else:
                bucket.append(el)
            node = below.get(el.getparent())
            if node is not None:
                sub = node.children.get(tag)
                if sub is not None:
                    if sub.rows:
                        note(sub.rows, el)
                    for attr, rows in sub.attrs.items():
                        if el.get(attr) is not None:
                            note(rows, el, attr)
                    if sub.children:
                        below[el] = sub
            if tag in ends:
                ending.append(el)
            if names:
                for name in el.keys():  # noqa: SIM118 (an element: iterating it gives its children)
                    if name in names:
                        owners.append((el, name))
        for el in ending:
            for suffix, row in ends[el.tag]:
                if _ends_with(el, suffix):
                    note([row], el)
        if names and root.getparent() is not None:
            # A root inside a larger tree: "//" takes the attributes of the whole document.
            attributes: Any = _ALL_ATTRIBUTES(root)  # attribute results: .attrname, .getparent()
            owners = [(v.getparent(), v.attrname) for v in attributes if v.attrname in names]
        for owner, name in owners:
            by_owner = m.attributes.get(name)
            if by_owner:
                for key in (owner.tag, ""):
                    for suffix, row in by_owner.get(key, ()):
                        if _ends_with(owner, suffix):
                            note([row], owner, name)
            wild = m.wild_attributes.get(name)
            if wild:
                for suffix, row in wild:
                    if _ends_with(owner, suffix):
                        note([row], owner, name)
        return hits, by_tag

    def index(self, root: Element) -> IndexT:
        """The element index of ``root``'s document, built once (the last document is kept)."""
        cached = self._index_last
        if cached is not None and cached[0] is root:
            return cached[1]
        built = self._index_type(root, self)
        self._index_last = (root, built)
        return built

    def indexed(self, root: Element) -> IndexT | None:
        """The element index of ``root``'s document if it has been built, else None."""
        cached = self._index_last
        return cached[1] if cached is not None and cached[0] is root else None

    def hits(self, tree: Any) -> dict[str, str]:
        """Rule id -> location, for every restriction row that fires on ``tree`` (cached)."""
        cached = self.last_hits
        if cached[0] is tree:
            return cached[1]
        root = root_of(tree)
        found = self.index(root).hits if root is not None else {}
        self.last_hits = (tree, found)
        return found

    def kids(self, el: Element, path: str) -> list[Element]:
        """The elements at a child path (``cac:A/cbc:B``) below ``el``, through the current
        document's index."""
        cached = self._index_last
        children = cached[1].children_of if cached is not None else _children_of
        steps = self._steps.get(path)
        if steps is None:
            steps = self._steps[path] = tuple(self.clark(s) for s in path.split("/"))
        found: list[Element] = children(el).get(steps[0], [])
        for tag in steps[1:]:
            if not found:
                break
            step: list[Element] = []
            for parent in found:
                step.extend(children(parent).get(tag, ()))
            found = step
        return found

    # -- the rules -----------------------------------------------------------------------------

    def register(
        self,
        rule_set: RuleSet,
        family_id: str,
        syntax: str,
        message: Callable[[list[Restriction]], str],
    ) -> None:
        """Register the table on ``rule_set`` as one family: a member rule per rule id (with
        the message made from its rows), found through one walk per document."""
        by_id: dict[str, list[Restriction]] = {}
        for row in self.rows:
            by_id.setdefault(row.rule_id, []).append(row)

        def findings(doc: Invoice) -> Iterable[tuple[str, str]]:
            return self.hits(doc.tree).items()

        rule_set.family(family_id, findings, syntax=syntax)
        for rule_id, rows in by_id.items():
            if len({r.flag for r in rows}) != 1:
                raise ValueError(f"{self.table_id}: {rule_id} has rows of different flags")
            rule_set.member(family_id, rule_id, rows[0].flag, message(rows))(
                _TableCheck(self, rule_id)
            )


class _TableCheck:
    """A table rule's own check, for direct calls: the walk's finding for its id. One small
    object per rule (not a closure and its cells), so the rule tables add few objects for
    the garbage collector to walk between documents."""

    __slots__ = ("_binding", "_rule_id")

    def __init__(self, binding: Binding[Any], rule_id: str) -> None:
        self._binding = binding
        self._rule_id = rule_id

    def __call__(self, doc: Invoice) -> Iterable[str]:
        found = self._binding.hits(doc.tree).get(self._rule_id)
        return (found,) if found is not None else ()


def restriction_message(rows: list[Restriction], document: str, extras: Mapping[str, str]) -> str:
    """Our message for a restriction rule from its rows (``document`` names the syntax,
    ``extras`` phrase the conditions)."""
    what = rows[0].path.lstrip("/").split("/")
    target = what[-1].replace("|", " or ")
    kind = "attribute" if target.startswith("@") else "element"
    places: list[str] = []
    for row in rows:
        steps = row.path.lstrip("/").split("/")[:-1]
        if steps:
            places.append("/".join(steps).replace("|", " or "))
    where = " on " if kind == "attribute" else " under "
    place = f"{where}{' or '.join(places)}" if places else ""
    scope = "anywhere in" if rows[0].path.startswith("//") else "in"
    verb = "must" if rows[0].flag == "fatal" else "should"
    extra = extras.get(rows[0].condition, "")
    return f"The {kind} {target.lstrip('@')}{place} {verb} not be used {scope} {document}{extra}."


# -- context rules ---------------------------------------------------------------------------

Contexts = Callable[[Element], list[Element]]
Test = Callable[[Element], bool]
# (Clark tag, most): the rule can only fail when the document has more than ``most`` elements
# with this tag (an "at most N" count of them below some context)
Guard = tuple[str, int] | None


class ContextRules:
    """A syntax's context rules as one family: every rule is ``test`` on each element its
    ``contexts`` select; the rules sharing a kind of context are evaluated together, once per
    document, and each rule then reads its own failures."""

    def __init__(
        self, rule_set: RuleSet, family_id: str, syntax: str, binding: Binding[Any]
    ) -> None:
        self._rule_set = rule_set
        self._family = family_id
        self._binding = binding
        self._by_context: dict[Contexts, list[tuple[str, Test, Guard]]] = {}
        self._results: tuple[Element, dict[str, list[Element]]] | None = None
        rule_set.family(family_id, self._findings, syntax=syntax)

    def evaluate(self, root: Element) -> dict[str, list[Element]]:
        """Rule id -> the context elements it fails on, for ``root``'s document (cached)."""
        cached = self._results
        if cached is not None and cached[0] is root:
            return cached[1]
        by_tag = self._binding.index(root).by_tag  # also makes it the index kids() reads
        failures: dict[str, list[Element]] = {}
        for contexts, rules in self._by_context.items():
            # A count that cannot exceed its limit anywhere in the document is not evaluated;
            # a context no rule is left for is not even looked for.
            live = [
                (rule_id, test)
                for rule_id, test, guard in rules
                if guard is None or len(by_tag.get(guard[0], ())) > guard[1]
            ]
            if not live:
                continue
            for ctx in contexts(root):
                for rule_id, test in live:
                    if not test(ctx):
                        failures.setdefault(rule_id, []).append(ctx)
        self._results = (root, failures)
        return failures

    def _findings(self, doc: Invoice) -> Iterable[tuple[str, str]]:
        root = root_of(doc.tree)
        if root is None:
            return ()
        loc = self._binding.loc
        return [(rid, loc(ctx)) for rid, failed in self.evaluate(root).items() for ctx in failed]

    def register(
        self,
        rule_id: str,
        flag: str,
        message: str,
        contexts: Contexts,
        test: Test,
        guard: Guard = None,
    ) -> None:
        """Add a rule: it fails on every element of ``contexts`` where ``test`` is false."""
        self._by_context.setdefault(contexts, []).append((rule_id, test, guard))
        self._rule_set.member(self._family, rule_id, flag, message)(_ContextCheck(self, rule_id))

    def failures(self, doc: Invoice, rule_id: str) -> list[str]:
        """Where rule ``rule_id`` fails on ``doc`` (its context elements' locations)."""
        root = root_of(doc.tree)
        if root is None:
            return []
        failed = self.evaluate(root).get(rule_id)
        return [self._binding.loc(ctx) for ctx in failed] if failed else []


class _ContextCheck:
    """A context rule's own check, for direct calls (one small object per rule)."""

    __slots__ = ("_rule_id", "_rules")

    def __init__(self, rules: ContextRules, rule_id: str) -> None:
        self._rules = rules
        self._rule_id = rule_id

    def __call__(self, doc: Invoice) -> Iterable[str]:
        return self._rules.failures(doc, self._rule_id)
