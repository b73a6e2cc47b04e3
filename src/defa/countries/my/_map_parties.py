"""Between MyInvois and PINT MY: the parties mappings, one step each way.

Each step is a :data:`~defa.einvoice.profiles.Prepare` in the target format's chain
(:mod:`defa.countries.my.einvoice`).
"""

from __future__ import annotations

from defa.einvoice.model import Invoice

__all__ = ["parties_to_myinvois", "parties_to_pint"]


def parties_to_pint(doc: Invoice) -> Invoice:
    """``doc`` with its parties terms where PINT MY states them."""
    return doc


def parties_to_myinvois(doc: Invoice) -> Invoice:
    """``doc`` with its parties terms where MyInvois states them."""
    return doc
