"""Between MyInvois and PINT MY: the document mappings, one step each way.

Each step is a :data:`~defa.einvoice.profiles.Prepare` in the target format's chain
(:mod:`defa.countries.my.einvoice`).
"""

from __future__ import annotations

from defa.einvoice.model import Invoice

__all__ = ["document_to_myinvois", "document_to_pint"]


def document_to_pint(doc: Invoice) -> Invoice:
    """``doc`` with its document terms where PINT MY states them."""
    return doc


def document_to_myinvois(doc: Invoice) -> Invoice:
    """``doc`` with its document terms where MyInvois states them."""
    return doc
