"""Thailand: ETDA e-Tax Invoice 2.0 (ขมธอ. 3-2560), the XML of e-Tax Invoice and e-Receipt.

The Electronic Transactions Development Agency (ETDA) published the XML structure of
e-Tax Invoices and e-Receipts as the ETDA Recommendation on ICT Standard for Electronic
Transactions ขมธอ. 3-2560 ("Trade Services Message Standard", version 2.0, B.E. 2560 =
2017); the Revenue Department accepts e-Tax Invoices in it. Documents name the standard in
``GuidelineSpecifiedDocumentContextParameter/ID`` as ``ER3-2560``. Six document types share
one UN/CEFACT-based structure in namespaces of their own: TaxInvoice, Invoice, Receipt,
DebitCreditNote, CancellationNote and AbbreviatedTaxInvoice (see
:mod:`defa.countries.th.etda`).

``SYNTAXES`` holds the XML syntax ``etda``; ``FORMATS`` the format ``th-etda`` checked by the
rule set ``th-etda`` (ETDA's Schematron, native) after the reader's XSD validation. The XSDs
are not shipped (no licence to redistribute them); see :mod:`defa.countries.th.etda.schema`.
:func:`vat_categories` names the Thai VAT treatment a rate can stand for, from the dated
data ``etda-vat-categories``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from defa import data
from defa.countries.th.etda import SYNTAX, document_type_of
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.profiles import Format, chain, control_group, to_en16931

__all__ = ["FORMATS", "GUIDELINE", "NOTES", "SOURCE", "SYNTAXES", "prepare", "vat_categories"]

#: The standard's identifier as documents carry it (BT-24), with its scheme attributes.
GUIDELINE = "ER3-2560"
_GUIDELINE_ATTRS = {"schemeAgencyID": "ETDA", "schemeVersionID": "v2.0"}

SOURCE = (
    "ETDA Recommendation on ICT Standard for Electronic Transactions ขมธอ. 3-2560, Trade "
    "Services Message Standard, version 2.0 (ETDA, B.E. 2560 / 2017); XML schemas and "
    "Schematron from ETDA/XMLValidation @ 5220c21 (XMLSchemaV2)"
)

NOTES = (
    "Built from ETDA's own schemas and Schematron (official artefacts), which ETDA's "
    "validator repository published in 2018; later ETDA revisions of the standard are not "
    "covered. The XSDs are read from DEFA_ETDA_SCHEMAS or the shared specs folder, not "
    "shipped: without them documents are checked by the rules only. ETDA's tax breakdown has "
    "no category code (BT-118): a 7% rate is standard, 0% may be zero-rated or exempt. The "
    "day the standard took effect is not in the artefacts; valid_from is the start of its "
    "year (B.E. 2560). Digital signatures (ds:Signature) are not read."
)

SYNTAXES = (SYNTAX,)

_CENT = Decimal("0.01")
#: EN 16931 credit and debit note codes (UNTDID 1001) -> the codes ETDA uses for them
_NOTE_CODES = {"381": "81", "383": "80"}
#: Document names for type codes (ExchangedDocument/Name) as ETDA's own Schematron messages
#: give them, and for 80 and 81 as ETDA's sample documents do
_NAMES = {
    "80": "ใบเพิ่มหนี้",
    "81": "ใบลดหนี้",
    "388": "ใบกำกับภาษี",
    "T02": "ใบแจ้งหนี้/ใบกำกับภาษี",
    "T03": "ใบเสร็จรับเงิน/ใบกำกับภาษี",
    "T04": "ใบส่งของ/ใบกำกับภาษี",
    "380": "ใบแจ้งหนี้",
    "T05": "ใบกำกับภาษีอย่างย่อ",
    "T06": "ใบเสร็จรับเงิน/ใบกำกับภาษีอย่างย่อ",
}


def prepare(doc: Invoice) -> Invoice:
    """A copy of ``doc`` ready to write as ETDA: the standard's id (BT-24), the ETDA type
    code of a credit or debit note, the document type and, where ETDA names it, the name;
    the creation time ETDA requires (the issue date, when none is given); lines as ETDA
    holds them (see :func:`_line`).

    A shallow copy: only the root's terms, the process-control group (BG-2) and the lines
    that change are new; ``doc`` is left as it was.
    """
    out = doc.reshaped(dict(doc.terms), dict(doc.groups))
    out.groups["BG-2"] = [control_group(doc, GUIDELINE, attrs=_GUIDELINE_ATTRS)]
    code = (doc.value("BT-3") or "").strip()
    if code in _NOTE_CODES:
        code = _NOTE_CODES[code]
        out.terms["BT-3"] = [Term("BT-3", code)]
    out.terms["TH-DOCUMENT"] = [Term("TH-DOCUMENT", document_type_of(out).name)]
    issued = doc.term("BT-2")
    if not doc.has("TH-CREATION-DATETIME") and issued is not None:
        # ETDA requires the document's creation time; the issue date is the nearest fact
        out.terms["TH-CREATION-DATETIME"] = [Term("TH-CREATION-DATETIME", issued.text)]
    if "BG-25" in doc.groups:
        out.groups["BG-25"] = [_line(g) for g in doc.groups["BG-25"]]
    if not out.has("TH-DOCUMENT-NAME") and code in _NAMES:
        out.terms["TH-DOCUMENT-NAME"] = [Term("TH-DOCUMENT-NAME", _NAMES[code])]
    return out


def _line_tax(line: Group) -> dict[str, str]:
    """ETDA's line tax amounts a model lacks, from the line's net amount and VAT rate.

    ETDA requires a line's tax basis and tax (``ApplicableTradeTax/BasisAmount`` and
    ``CalculatedAmount``) and its total with tax; EN 16931 carries only the net amount
    (BT-131) and the rate (BT-152). Basis = net amount; tax = basis x rate / 100, rounded
    half up to 2 decimals; total = basis + tax.
    """
    vat = line.child("BG-30")
    net = line.decimal("BT-131")
    rate = vat.decimal("BT-152") if vat is not None else None
    if net is None:
        return {}
    found: dict[str, str] = {}
    tax = None
    if vat is not None and rate is not None and not vat.has("TH-LINE-TAX-AMOUNT"):
        tax = (net * rate / 100).quantize(_CENT, ROUND_HALF_UP)
        found["TH-LINE-TAX-BASIS"] = str(net)
        found["TH-LINE-TAX-AMOUNT"] = str(tax)
    if tax is None and vat is not None:
        tax = vat.decimal("TH-LINE-TAX-AMOUNT")  # a line read from ETDA has it already
    if not line.has("TH-LINE-TOTAL-WITH-TAX") and tax is not None:
        found["TH-LINE-TOTAL-WITH-TAX"] = str(net + tax)
    return found


def _line(line: Group) -> Group:
    """A line as ETDA can hold it (a copy where anything changes).

    ETDA's only price is the gross price (``GrossPriceProductTradePrice/ChargeAmount``,
    required there): a line with a net price only (BT-146) has it as its gross price, which
    EN 16931 makes the same when there is no price discount (BT-147). ETDA holds one item
    classification (BT-158); the others are left for the conversion to report as lost. The
    line tax amounts ETDA requires are computed (:func:`_line_tax`).
    """
    price = line.child("BG-29")
    item = line.child("BG-31")
    fill_gross = price is not None and not price.has("BT-148") and price.has("BT-146")
    trim_classes = item is not None and len(item.all("BT-158")) > 1
    taxes = _line_tax(line)
    if not (fill_gross or trim_classes or taxes):
        return line
    out = Group(line.id, line.loc, dict(line.terms), dict(line.groups))
    if fill_gross and price is not None:
        net = price.all("BT-146")[0]
        copy = Group(price.id, price.loc, dict(price.terms), dict(price.groups))
        copy.terms["BT-148"] = [Term("BT-148", net.text, net.loc, dict(net.attrs))]
        out.groups["BG-29"] = [copy, *line.groups["BG-29"][1:]]
    if trim_classes and item is not None:
        copy = Group(item.id, item.loc, dict(item.terms), dict(item.groups))
        copy.terms["BT-158"] = item.all("BT-158")[:1]
        for sub in ("BT-158-1", "BT-158-2"):
            if sub in item.terms:
                copy.terms[sub] = item.terms[sub][:1]
        out.groups["BG-31"] = [copy, *line.groups["BG-31"][1:]]
    vat = line.child("BG-30")
    if vat is not None and "TH-LINE-TAX-AMOUNT" in taxes:
        copy = Group(vat.id, vat.loc, dict(vat.terms), dict(vat.groups))
        for term_id in ("TH-LINE-TAX-BASIS", "TH-LINE-TAX-AMOUNT"):
            copy.terms[term_id] = [Term(term_id, taxes[term_id])]
        out.groups["BG-30"] = [copy, *line.groups["BG-30"][1:]]
    if "TH-LINE-TOTAL-WITH-TAX" in taxes:
        out.terms["TH-LINE-TOTAL-WITH-TAX"] = [
            Term("TH-LINE-TOTAL-WITH-TAX", taxes["TH-LINE-TOTAL-WITH-TAX"])
        ]
    return out


FORMATS = (
    Format(
        "th-etda",
        "Thailand ETDA e-Tax Invoice 2.0 (ขมธอ. 3-2560)",
        "etda",
        "th-etda",
        country="TH",
        version="2.0",
        valid_from=date(2017, 1, 1),
        specificity=10,
        # The ETDA binding carries EN 16931 categories: national codes are mapped first.
        prepare=chain(to_en16931, prepare),
        source=SOURCE,
        confidence="official",
        notes=NOTES,
    ),
)


@cache
def _categories(on: date) -> Mapping[str, Any]:
    found: Mapping[str, Any] = data.load("etda-vat-categories", on).content["categories"]
    return found


def vat_categories(rate: Decimal | str, on: date) -> tuple[str, ...]:
    """The Thai VAT treatments (``standard``, ``zero``, ``exempt``) a rate can stand for.

    ETDA documents carry only a rate: 0 is ``("zero", "exempt")`` (the rate does not tell
    them apart); the standard rate in force on ``on`` is ``("standard",)``; any other rate,
    ``()``. The names are those of the crosswalk's ``th-vat`` scheme.
    """
    try:
        value = Decimal(str(rate).strip())
    except InvalidOperation:
        return ()
    if not value.is_finite():
        return ()
    if value == 0:
        return ("zero", "exempt")
    for entry in _categories(on)["standard"].get("rates", ()):
        ends = entry.get("valid_to")
        in_force = entry["valid_from"] <= on and (ends is None or on <= ends)
        if in_force and Decimal(entry["rate"]) == value:
            return ("standard",)
    return ()
