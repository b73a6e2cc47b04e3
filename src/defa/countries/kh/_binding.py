"""The CamInvoice binding: the engine's UBL 2.1 binding plus the tax exchange rate.

GDT's developer portal (developer.e-invoice.gov.kh, "Invoice Structure", Invoice and
CreditNote, ``cac:TaxExchangeRate``) requires the exchange rate applied to the tax amounts
when the document currency is not the tax currency, KHR. EN 16931 has no business term for
``cac:TaxExchangeRate`` (its UBL binding has no place for it, and UBL-CR-490 warns when it is
present), so the engine's UBL binding does not read it. This module derives a table from the
engine's (:mod:`defa.einvoice.syntax.ubl_binding`) with the element bound to model terms of
its own, placed where UBL 2.1's schema order puts it (an Invoice's after
``cac:AllowanceCharge``; a CreditNote's children are sorted by
:data:`~defa.einvoice.syntax.ubl_binding.CREDIT_NOTE_ORDER`, which puts it before):

=======================  ===============================================================
``KH-EXCHANGE``          ``cac:TaxExchangeRate`` (portal: [1..1] when the currency is
                         not KHR), a group
``KH-EXCHANGE-SOURCE``   ``cbc:SourceCurrencyCode`` [1..1]: the currency the exchange is
                         made from (the document currency)
``KH-EXCHANGE-TARGET``   ``cbc:TargetCurrencyCode`` [1..1]: the currency it is made to
                         (KHR)
``KH-EXCHANGE-RATE``     ``cbc:CalculationRate`` [1..1]: the factor applied to the
                         source currency to give the target currency (portal example:
                         USD to KHR at 4100)
=======================  ===============================================================

The other children UBL's ``ExchangeRateType`` allows (base rates, market, operator, date)
are not in the portal's table: they are reported as unmapped elements, as any element the
binding does not know. Reading and writing use the engine's machinery
(:mod:`defa.einvoice.syntax._read`, :mod:`defa.einvoice.syntax._write`); documents read here
have the syntax ``ubl``, so UBL-bound rules apply to them.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from defa.einvoice._gc import paused_gc
from defa.einvoice.model import Invoice
from defa.einvoice.syntax import ubl
from defa.einvoice.syntax import ubl_binding as binding
from defa.einvoice.syntax._read import Reader
from defa.einvoice.syntax._xmlmap import Leaf, Node

__all__ = [
    "EXCHANGE",
    "EXCHANGE_RATE",
    "EXCHANGE_SOURCE",
    "EXCHANGE_TARGET",
    "EXTENSION_IDS",
    "ROOT_NODE",
    "TAX_EXCHANGE_RATE",
    "has_exchange_rate",
    "read",
    "write",
]

a, b, N = binding.a, binding.b, binding.N

EXCHANGE = "KH-EXCHANGE"
EXCHANGE_SOURCE = "KH-EXCHANGE-SOURCE"
EXCHANGE_TARGET = "KH-EXCHANGE-TARGET"
EXCHANGE_RATE = "KH-EXCHANGE-RATE"

#: The Clark name of the element, a child of the document element.
TAX_EXCHANGE_RATE = a("TaxExchangeRate")

_EXCHANGE_NODE = N(
    EXCHANGE,
    (b("SourceCurrencyCode"), Leaf(EXCHANGE_SOURCE)),
    (b("TargetCurrencyCode"), Leaf(EXCHANGE_TARGET)),
    (b("CalculationRate"), Leaf(EXCHANGE_RATE)),
)


def _build_root() -> Node:
    kids = list(binding.ROOT_NODE.children)
    at = next(i for i, (tag, _) in enumerate(kids) if tag == a("AllowanceCharge")) + 1
    kids[at:at] = [(TAX_EXCHANGE_RATE, _EXCHANGE_NODE)]
    return replace(binding.ROOT_NODE, children=tuple(kids))


#: The document element's children of a CamInvoice document, in UBL 2.1 Invoice order.
ROOT_NODE = _build_root()

#: Every extension term and group id the binding uses.
EXTENSION_IDS = frozenset({EXCHANGE, EXCHANGE_SOURCE, EXCHANGE_TARGET, EXCHANGE_RATE})


def has_exchange_rate(root: etree._Element) -> bool:
    """Whether a document's tree states a tax exchange rate: the one element this reader
    reads that the engine's UBL reader does not."""
    return root.find(TAX_EXCHANGE_RATE) is not None


def read(root: etree._Element) -> Invoice:
    """Read a UBL 2.1 Invoice or CreditNote (a parsed root) with the CamInvoice terms.

    Any other root goes to the engine's UBL reader, which raises
    :class:`~defa.errors.InputRejected` saying what it is; missing or unexpected content is
    never raised but listed in ``Invoice.issues``.
    """
    kind = ubl.ROOTS.get(root.tag) if isinstance(root.tag, str) else None
    if kind is None:
        return ubl.read(root)
    doc = Invoice(kind=kind, syntax=ubl.SYNTAX, tree=root)  # type: ignore[arg-type]
    doc.loc = "/Invoice" if kind == "invoice" else "/CreditNote"
    reader = Reader(doc, binding.PREFIXES)
    with paused_gc():  # as the engine's UBL reader: an allocation burst without cycles
        reader.children(root, ROOT_NODE, doc, doc.loc)
        reader.finish()
    doc.issues = reader.issues
    return doc


def write(doc: Invoice) -> bytes:
    """The UBL 2.1 document (Invoice, or CreditNote by ``doc.kind``) holding ``doc``'s terms
    with the CamInvoice ones, its children in schema order."""
    return ubl.write_bound(doc, ROOT_NODE)
