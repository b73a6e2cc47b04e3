"""MyInvois line items, tax breakdown and exemptions ("Document Types", Invoice Line Item)."""

from __future__ import annotations

from collections.abc import Callable

from defa.einvoice.model import Group, Invoice
from defa.einvoice.rules.engine import Findings
from defa.einvoice.rules.myinvois import MYINVOIS
from defa.einvoice.rules.myinvois._access import group_at, lines

__all__: list[str] = []

_EXEMPT = "E"  # the tax type of an exemption (Tax Types code table)


@MYINVOIS.rule(
    "MYINVOIS-60",
    "error",
    "An e-invoice shall have at least one line item (cac:InvoiceLine).",
    terms=("BG-25",),
)
def has_lines(doc: Invoice) -> Findings:
    if not lines(doc):
        yield doc


# (rule id, message, group path below the line, term): mandatory [1-1] / [1-*] line fields
_REQUIRED: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "MYINVOIS-62",
        "A line item shall describe the product or service (cac:Item/cbc:Description).",
        ("BG-31",),
        "BT-154",
    ),
    (
        "MYINVOIS-63",
        "A line item shall have a unit price (cac:Price/cbc:PriceAmount).",
        ("BG-29",),
        "BT-146",
    ),
    (
        "MYINVOIS-64",
        "A line item shall have a tax amount (cac:TaxTotal/cbc:TaxAmount).",
        ("MY-LINE-TAX",),
        "MY-LINE-TAX-AMOUNT",
    ),
    (
        "MYINVOIS-66",
        "A line item shall have a subtotal (cac:ItemPriceExtension/cbc:Amount).",
        (),
        "MY-LINE-SUBTOTAL",
    ),
    (
        "MYINVOIS-67",
        "A line item shall have a total excluding tax (cbc:LineExtensionAmount).",
        (),
        "BT-131",
    ),
)


def _required(path: tuple[str, ...], term: str) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        for line in lines(doc):
            group = group_at(line, *path)
            if group is None or not group.has(term):
                yield group or line

    return check


for _id, _message, _path, _term in _REQUIRED:
    MYINVOIS.rule(_id, "error", _message, terms=(_term,))(_required(_path, _term))


def _classes(line: Group) -> int:
    item = line.child("BG-31")
    if item is None:
        return 0
    schemes = {t.loc: t.text.strip() for t in item.all("BT-158-1")}
    return sum(
        1
        for t in item.all("BT-158")
        if schemes.get(f"{t.loc}/@listID") == "CLASS" and t.text.strip()
    )


@MYINVOIS.rule(
    "MYINVOIS-61",
    "error",
    "A line item shall have at least one classification code "
    "(cac:CommodityClassification/cbc:ItemClassificationCode[@listID='CLASS']).",
    terms=("BT-158", "BT-158-1"),
)
def line_classification(doc: Invoice) -> Findings:
    for line in lines(doc):
        if _classes(line) == 0:
            yield line


@MYINVOIS.rule(
    "MYINVOIS-65",
    "error",
    "A line item shall have at least one tax type "
    "(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID).",
    terms=("MY-LINE-TAX-TYPE",),
)
def line_tax_type(doc: Invoice) -> Findings:
    for line in lines(doc):
        tax = line.child("MY-LINE-TAX")
        subtotals = tax.children("MY-LINE-TAX-SUBTOTAL") if tax is not None else []
        if not any(s.has("MY-LINE-TAX-TYPE") for s in subtotals):
            yield tax or line


@MYINVOIS.rule(
    "MYINVOIS-68",
    "error",
    "A line item's tax exemption (tax type E) shall give the details of the exemption "
    "(cbc:TaxExemptionReason).",
    terms=("MY-LINE-TAX-TYPE", "MY-LINE-TAX-EXEMPTION"),
)
def line_exemption(doc: Invoice) -> Findings:
    for line in lines(doc):
        tax = line.child("MY-LINE-TAX")
        for sub in tax.children("MY-LINE-TAX-SUBTOTAL") if tax is not None else ():
            if (sub.value("MY-LINE-TAX-TYPE") or "").strip() == _EXEMPT and not sub.has(
                "MY-LINE-TAX-EXEMPTION"
            ):
                yield sub


@MYINVOIS.rule(
    "MYINVOIS-69",
    "error",
    "A document-level tax exemption (tax type E) shall give the details of the exemption "
    "(cbc:TaxExemptionReason).",
    terms=("BT-118", "BT-120"),
)
def document_exemption(doc: Invoice) -> Findings:
    for sub in doc.children("BG-23"):
        if (sub.value("BT-118") or "").strip() == _EXEMPT and not sub.has("BT-120"):
            yield sub


@MYINVOIS.rule(
    "MYINVOIS-70",
    "error",
    "An e-invoice shall have at least one tax subtotal with its tax type and tax amount "
    "(cac:TaxTotal/cac:TaxSubtotal: cac:TaxCategory/cbc:ID, cbc:TaxAmount).",
    terms=("BG-23", "BT-117", "BT-118"),
)
def tax_subtotals(doc: Invoice) -> Findings:
    subtotals = doc.children("BG-23")
    if not subtotals:
        yield doc
    for sub in subtotals:
        if not sub.has("BT-117") or not sub.has("BT-118"):
            yield sub
