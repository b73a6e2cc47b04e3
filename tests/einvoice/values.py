"""A model's values counted by where they sit, for tests that compare two documents."""

from __future__ import annotations

from collections import Counter, defaultdict

from defa.einvoice.convert import _index
from defa.einvoice.model import Group, Term


def values(group: Group) -> Counter[tuple[str, str, str]]:
    """How often each (group path, term id, text) occurs under ``group``, paths starting
    with its id (``INVOICE/BG-25/BG-31``): what the loss account matches terms by."""
    found: defaultdict[tuple[str, str, str], list[Term]] = defaultdict(list)
    _index(group, group.id, found)
    return Counter({key: len(terms) for key, terms in found.items()})
