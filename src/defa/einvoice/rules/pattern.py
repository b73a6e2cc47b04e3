"""First match in a Schematron pattern: which elements an earlier rule of the pattern takes.

Schematron fires, for each node, only the first rule of a pattern whose context matches it;
a later rule of the same pattern never sees that node. Rules written natively must do the same
to agree with the published artefacts: a late catch-all (``ibr-079``, "no empty elements")
skips every element an earlier rule's context already matched. :class:`FirstMatch` holds
those earlier contexts as data, by element tag, so the later rule asks one question::

    EARLIER = FirstMatch(
        anywhere={a("InvoiceLine"), b("IssueDate")},  # //cac:InvoiceLine, //cbc:IssueDate
        under={b("EndpointID"): ((a("Party"), a("AccountingSupplierParty")),)},
    )
    for el in u.empties:
        if not EARLIER.taken(el):
            yield loc(el)

Contexts that depend on more than an element's tag and its ancestors' tags (an attribute
value, the document root) stay with the rule that needs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["FirstMatch"]

Element = Any  # an lxml element, as in defa.einvoice.rules._tree


class FirstMatch:
    """The contexts of a pattern's earlier rules that a later rule is shadowed by.

    ``anywhere``: tags matched wherever they stand (``//cbc:IssueDate``).
    ``under``: tags matched only below given ancestors: each chain lists the parent's tag,
    then the grandparent's, and so on (``cac:Party/cbc:EndpointID`` under
    ``cac:AccountingSupplierParty`` is ``(a("Party"), a("AccountingSupplierParty"))``).
    """

    __slots__ = ("_anywhere", "_under")

    def __init__(
        self,
        anywhere: Iterable[str] = (),
        under: Mapping[str, Iterable[tuple[str, ...]]] | None = None,
    ) -> None:
        self._anywhere = frozenset(anywhere)
        # Frozen into tuples once: the check runs per element of every document.
        self._under = {tag: tuple(chains) for tag, chains in (under or {}).items()}

    def taken(self, el: Element) -> bool:
        """True when an earlier rule's context matches ``el`` (so the later rule skips it)."""
        tag = el.tag
        if tag in self._anywhere:
            return True
        chains = self._under.get(tag)
        return chains is not None and any(_below(el, chain) for chain in chains)


def _below(el: Element, chain: tuple[str, ...]) -> bool:
    """True when ``el``'s parent, grandparent, ... carry the tags of ``chain`` in order."""
    node = el
    for tag in chain:
        node = node.getparent()
        if node is None or node.tag != tag:
            return False
    return True
