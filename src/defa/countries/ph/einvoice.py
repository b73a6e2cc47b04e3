"""Philippines: the sales-data JSON of the BIR Electronic Invoicing System (EIS).

Under Revenue Regulations 8-2022 and 11-2025 (Sections 237 and 237-A of the Tax Code, as
amended by the TRAIN and EOPT laws), covered taxpayers transmit the data of each invoice to
the Bureau of Internal Revenue's EIS as JSON. One document holds the company's invoice
number ``CompInvoiceId``, the issue date ``IssueDtm``, the EIS unique id, the seller
``SellerInfo`` and buyer ``BuyerInfo``, the ``ItemList``, discounts and the VAT and
withholding amounts.

BIR gives the authoritative EIS technical specification to taxpayers through the EIS
Certification portal; it is not published openly. The field names here are those public
integrations use (see :data:`SOURCE`), so this format's confidence is ``unconfirmed``.

This is a JSON syntax: :func:`read_json` takes bytes and returns an
:class:`~defa.einvoice.model.Invoice`, :func:`write_json` returns bytes (the engine
registers JSON syntaxes itself); ``SYNTAXES`` is empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from defa.einvoice.model import Group, Invoice
from defa.einvoice.national import (
    Codec,
    Leaf,
    NationalSyntax,
    Node,
    dump_json,
    json_document,
    read_json_tree,
    write_json_tree,
)
from defa.einvoice.profiles import Format, to_en16931
from defa.einvoice.syntax import Syntax
from defa.einvoice.xmlsafe import Source

__all__ = [
    "BINDING",
    "FORMATS",
    "NATIONAL",
    "NOTES",
    "SOURCE",
    "SYNTAXES",
    "read_json",
    "write_json",
]

SOURCE = (
    "BIR Revenue Regulations 8-2022 and 11-2025 (EIS); the EIS sales-data JSON as used by "
    "public integrations (e.g. GitHub repositories of EIS middleware: Django CAS model "
    "with CompInvoiceId/SellerInfo/ItemList, a .NET EIS client TransactionFields), since the "
    "BIR technical specification is given through the EIS Certification portal only"
)

NOTES = (
    "Unconfirmed: every field name and nesting comes from public integrations, not from "
    "BIR's specification (distributed through the EIS Certification portal). Not confirmed: "
    "IssueDtm's form (YYYYMMDD is read as a date; other forms are kept verbatim), the "
    "DocType and TransClass code lists, whether amounts are in PHP when ForCur is given "
    "(no document currency BT-5 is read), and the fields some versions add (VatSales, "
    "ExemptSales, ZeroSales, TotSalesAmt, LocalTax, ServiceCharge, Min, Msn), which are "
    "reported as unmapped. Encryption and JWS signing of the transmission are out of scope. "
    "BIR's specification was not found in public code or web pages (searched 2026-11-28)."
)


def _date_read(text: str) -> Mapping[str, str]:
    if len(text) == 8 and text.isdigit():
        return {"BT-2": f"{text[:4]}-{text[4:6]}-{text[6:]}"}
    return {"BT-2": text}


def _date_write(group: Group) -> str | None:
    value = group.value("BT-2")
    if value is None:
        return None
    text = value.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return text.replace("-", "")
    return text


_ISSUE_DATE = Codec(_date_read, _date_write, ("BT-2",))

_SELLER = Node(
    "SellerInfo",
    (
        Leaf("Tin", "BT-32"),  # TIN: the seller's tax registration, VAT or not
        Leaf("BranchCd", "PH-BRANCHCD"),
        Leaf("Type", "PH-SELLERTYPE"),
        Leaf("RegNm", "BT-27"),
        Leaf("BusinessNm", "BT-28"),
        Leaf("Email", "BT-43", at=("BG-6",)),
        Leaf("RegAddr", "BT-35", at=("BG-5",)),
    ),
    group="BG-4",
)

_BUYER = Node(
    "BuyerInfo",
    (
        Leaf("Tin", "PH-TIN"),  # EN 16931 has a buyer VAT id only; a TIN may be non-VAT
        Leaf("BranchCd", "PH-BRANCHCD"),
        Leaf("RegNm", "BT-44"),
        Leaf("BusinessNm", "BT-45"),
        Leaf("Email", "BT-58", at=("BG-9",)),
        Leaf("RegAddr", "BT-50", at=("BG-8",)),
        Leaf("DevAddr", "PH-DEVADDR"),
        Leaf("AirNum", "PH-AIRNUM"),
        Leaf("AirNumDt", "PH-AIRNUMDT"),
        Leaf("LadNum", "PH-LADNUM"),
        Leaf("LadNumDt", "PH-LADNUMDT"),
    ),
    group="BG-7",
)

_ITEM = Node(
    "ItemList",
    (
        Leaf("Nm", "BT-153", at=("BG-31",)),
        Leaf("Desc", "BT-154", at=("BG-31",)),
        Leaf("Qty", "BT-129", number=True),
        Leaf("Unit", "PH-UNIT"),
        Leaf("UnitCost", "BT-146", at=("BG-29",), number=True),
        Leaf("SalesAmt", "PH-SALESAMT", number=True),
        Leaf("RegDscntAmt", "PH-REGDSCNTAMT", number=True),
        Leaf("SpeDscntAmt", "PH-SPEDSCNTAMT", number=True),
        Leaf("NetSales", "BT-131", number=True),
    ),
    group="BG-25",
    repeat=True,
)


def _amount(name: str, term: str, *at: str) -> Leaf:
    return Leaf(name, term, at=at, number=True)


BINDING = Node(
    "EIS",
    (
        Leaf("CompInvoiceId", "BT-1"),
        Leaf("IssueDtm", codec=_ISSUE_DATE),
        Leaf("EisUniqueId", "PH-EISUNIQUEID"),
        Leaf("DocType", "PH-DOCTYPE"),
        Leaf("TransClass", "PH-TRANSCLASS"),
        Leaf("CorrYN", "PH-CORRYN"),
        Leaf("CorrectionCd", "PH-CORRECTIONCD"),
        Leaf("PrevUniqueId", "PH-PREVUNIQUEID"),
        Leaf("Rmk1", "BT-22", at=("BG-1",)),
        _SELLER,
        _BUYER,
        _ITEM,
        _amount("TotNetItemSales", "BT-106", "BG-22"),
        Node(
            "Discount",
            (
                _amount("ScAmt", "PH-SCAMT"),  # senior citizen discount
                _amount("PwdAmt", "PH-PWDAMT"),  # persons with disability discount
                _amount("RegAmt", "PH-REGAMT"),
                _amount("SpeAmt", "PH-SPEAMT"),
                Leaf("Rmk2", "PH-RMK2"),
            ),
        ),
        _amount("OtherTaxRev", "PH-OTHERTAXREV"),
        _amount("TotNetSalesAftDisct", "BT-109", "BG-22"),
        _amount("VATAmt", "BT-110", "BG-22"),
        _amount("WithholdIncome", "PH-WITHHOLDINCOME"),
        _amount("WithholdBusVAT", "PH-WITHHOLDBUSVAT"),
        _amount("WithholdBusPT", "PH-WITHHOLDBUSPT"),
        _amount("OtherNonTaxCharge", "PH-OTHERNONTAXCHARGE"),
        _amount("NetAmtPay", "BT-115", "BG-22"),
        Node(
            "ForCur",
            (
                Leaf("Currency", "PH-FORCUR"),
                _amount("ForexAmt", "PH-FOREXAMT"),
                _amount("ConvRate", "PH-CONVRATE"),
            ),
        ),
        Leaf("PtuNum", "PH-PTUNUM"),
    ),
)


def read_json(source: Source | dict[str, Any]) -> Invoice:
    """Read EIS invoice JSON (bytes, text, a path, or a parsed object) into the model.

    Raises :class:`~defa.errors.InputRejected` (``json.*``, ``input.too_large``) for input
    that is not JSON; members the binding does not know are listed in ``Invoice.issues``.
    """
    doc = Invoice(syntax="ph-eis")
    doc.loc = ""
    read_json_tree(json_document(source), BINDING, doc, doc, "")
    return doc


def write_json(doc: Invoice) -> bytes:
    """The document as EIS invoice JSON (unsigned and unencrypted)."""
    return dump_json(write_json_tree(BINDING, doc))


NATIONAL = NationalSyntax(
    "ph-eis", "BIR EIS invoice JSON (Philippines)", read_json, write_json, BINDING
)


def _is_eis_invoice(value: object) -> bool:
    """An EIS invoice object: it names the invoice id and the issue date-time."""
    return isinstance(value, dict) and "CompInvoiceId" in value and "IssueDtm" in value


SYNTAXES: tuple[Syntax, ...] = (
    Syntax(
        "ph-eis",
        NATIONAL.title,
        read_json,
        write_json,
        media="json",
        accepts=_is_eis_invoice,
        terms=NATIONAL.terms(),
    ),
)

FORMATS = (
    Format(
        "ph-eis",
        "Philippines BIR EIS invoice JSON",
        "ph-eis",
        "ph-eis",
        country="PH",
        version="EIS (RR 8-2022, RR 11-2025)",
        valid_from=date(2022, 7, 1),
        specificity=10,
        # The binding is written from EN 16931 categories: national codes are mapped first.
        prepare=to_en16931,
        source=SOURCE,
        confidence="unconfirmed",
        notes=NOTES,
    ),
)
