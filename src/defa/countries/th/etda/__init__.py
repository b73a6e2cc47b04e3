"""ETDA e-Tax Invoice 2.0 (Thailand, ขมธอ. 3-2560): XML syntax, binding and schemas.

The six ETDA document types (TaxInvoice, Invoice, Receipt, DebitCreditNote,
CancellationNote, AbbreviatedTaxInvoice) read into and written from the EN 16931 semantic
model, with ETDA's own terms as ``TH-...`` ids; see :mod:`.binding`. ``SYNTAX`` plugs them
into the e-invoice engine's syntax registry as ``etda``.
"""

from __future__ import annotations

from lxml import etree

from defa.countries.th.etda.binding import DOCUMENT_TYPES, DocumentType
from defa.countries.th.etda.reader import read
from defa.countries.th.etda.schema import schema_issues
from defa.countries.th.etda.writer import document_type_of, write
from defa.einvoice.model import Invoice
from defa.einvoice.syntax import Syntax

__all__ = [
    "DOCUMENT_TYPES",
    "ROOTS",
    "SYNTAX",
    "DocumentType",
    "document_type_of",
    "read",
    "schema_issues",
    "write",
]

#: The Clark names of the six document elements.
ROOTS = frozenset(t.root for t in DOCUMENT_TYPES.values())


def _read(root: etree._Element) -> Invoice:
    return read(root)


SYNTAX = Syntax("etda", "ETDA e-Tax Invoice 2.0 (Thailand)", _read, write, ROOTS)
