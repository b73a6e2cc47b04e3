"""The machinery shared by the XML syntaxes: a binding table read and written in one pass.

A syntax binding is a tree of nodes keyed by element tag (Clark notation, ``{ns}local``),
in schema order:

* :class:`Leaf`: an element whose text is a business term; its attributes may be terms of
  their own (``schemeID`` -> ``BT-29-1``); other attributes are kept in ``Term.attrs``.
* :class:`Node`: an element with children. It opens a business group (``group="BG-4"``) or
  passes through (``group=None``: ``cac:Party``, ``cac:Country``, ...).
* :class:`Switch`: an element whose meaning depends on its content (``cac:AllowanceCharge``
  is BG-20 or BG-21 by its ``cbc:ChargeIndicator``).
* :class:`Fixed`: a syntax element with a constant value and no term (``cac:TaxScheme/
  cbc:ID`` = ``VAT``). A reader consumes it; a different value is kept on a nearby term's
  ``attrs`` under the element's path so that a writer puts it back.

``at`` places a term or group in a semantic group other than the one the syntax nests it
in: the nearest open group with that id, else (for document-level singletons such as BG-22)
one made at the root. The reader walks each element once, dispatching on dicts; the writer
walks the same table in schema order. Sub-terms read from attributes get the ``loc`` of
their element plus ``/@name``, which is how a writer pairs them with their term again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from lxml import etree

if TYPE_CHECKING:
    from defa.einvoice.syntax._read import Reader

__all__ = ["Binding", "Fixed", "Leaf", "Node", "Switch", "leaves"]


@dataclass(frozen=True, slots=True)
class Leaf:
    """An element whose text is the business term ``id``."""

    id: str
    attrs: Mapping[str, str] = field(default_factory=dict)  # attribute -> sub-term id
    at: str | None = None  # semantic group to hold the term, if not the current one
    const: Mapping[str, str] = field(default_factory=dict)  # attributes a writer always puts
    currency: str | None = None  # amounts: the term whose value a writer uses for currencyID
    only: str | None = None  # writer: write only for this document kind
    spread: bool = False  # an ``at`` term repeated once per enclosing group occurrence
    opens: str | None = None  # the element is also a group of its own (``cbc:Note``: BG-1)
    # writer: "scheme" only terms with a scheme sub-term, "plain" only those without,
    # "unmarked" only those not read from a sibling element with a ``mark``
    when: str | None = None
    mark: str | None = None  # one of several elements of one term: noted in attrs["@element"]
    unless: str | None = None  # writer: skip when the document has this group
    date: bool = False  # CII: udt date strings, "102" (YYYYMMDD) read as ISO YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class Fixed:
    """A syntax element with a constant value and no business term of its own."""

    value: str
    carrier: str | None = None  # term in the current group that keeps a different value
    key: str = ""  # the attrs key of the kept value (the element's path)
    pending: bool = False  # the carrier term follows this element
    # the element's absence matters (UBL's line DocumentTypeCode): kept as "" on the
    # carrier, and a writer then leaves the element out
    absent: bool = False


@dataclass(slots=True)
class Node:
    """An element with children; opens group ``group`` or passes through when None."""

    group: str | None
    children: tuple[tuple[str, Binding], ...]
    at: str | None = None
    single: bool = False  # one group per parent: reuse it if it exists
    adopt: bool = False  # reuse a group made on demand (by an ``at`` term read earlier)
    keep: bool = False  # writer: a container the schema requires, written even when empty
    skip_empty: bool = False  # writer: drop the group's element when nothing went into it
    # writer: may be written for its ``at`` content alone when the group is absent
    # (cac:InvoicePeriod for BT-8); not where the schema needs what the group lacks
    hosts: bool = True
    repeat: bool = False  # writer: one element per occurrence of what it holds
    only: str | None = None
    index: dict[str, Binding] = field(default_factory=dict, repr=False)
    foreign: tuple[Leaf | Node, ...] = field(default=(), repr=False)
    structural: bool = field(default=False, repr=False)  # holds only Fixed elements
    absent: tuple[tuple[str, Fixed], ...] = field(default=(), repr=False)
    # tag -> term id for plain leaves (no sub-terms, placement or constants): the fast path
    plain: dict[str, str] = field(default_factory=dict, repr=False)
    # the writer's plan of the children (see defa.einvoice.syntax._write), made on first use
    plan: WritePlan | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.index = dict(self.children)
        self.absent = tuple((t, c) for t, c in self.children if isinstance(c, Fixed) and c.absent)
        self.plain = {
            tag: b.id
            for tag, b in self.children
            if isinstance(b, Leaf)
            and not b.attrs
            and b.at is None
            and b.opens is None
            and not b.const
            and b.only is None
            and b.mark is None
            and not b.date
        }
        self.structural = (
            self.group is None
            and bool(self.children)
            and all(
                isinstance(c, Fixed) or (isinstance(c, Node) and c.structural)
                for _tag, c in self.children
            )
        )
        self.foreign = tuple(_foreign(self))


@dataclass(frozen=True, slots=True)
class Switch:
    """An element bound by its content: ``select`` names the case."""

    select: Callable[[etree._Element, Reader], str]
    cases: Mapping[str, Binding]
    default: str


Binding: TypeAlias = Leaf | Node | Switch | Fixed

# Each child of a node as the writer walks it: (tag, binding, plain term id, currency term,
# its one source id, or its source ids, the walk's method that writes it);
# see defa.einvoice.syntax._write.
WritePlan: TypeAlias = tuple[
    tuple[
        str,
        Binding,
        str | None,
        str | None,
        str | None,
        frozenset[str] | None,
        Callable[..., bool],
    ],
    ...,
]


def _foreign(node: Node) -> Iterable[Leaf | Node]:
    """Bindings below ``node`` (not inside a subgroup) placed elsewhere with ``at``."""
    for _tag, b in node.children:
        cases = b.cases.values() if isinstance(b, Switch) else (b,)
        for c in cases:
            if isinstance(c, Leaf | Node) and c.at is not None:
                yield c
            elif isinstance(c, Node) and c.group is None:
                yield from _foreign(c)


def leaves(node: Node, path: str = "") -> Iterable[tuple[str, str, Leaf]]:
    """Every (term id, path, leaf) of a binding, for catalogues and documentation."""
    for tag, b in node.children:
        cases: Iterable[Binding] = b.cases.values() if isinstance(b, Switch) else (b,)
        for c in cases:
            here = f"{path}/{tag}"
            if isinstance(c, Leaf):
                yield c.id, here, c
            elif isinstance(c, Node):
                yield from leaves(c, here)
