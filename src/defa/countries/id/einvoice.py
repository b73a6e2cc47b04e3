"""Indonesia: the Coretax e-Faktur XML import format of the Directorate General of Taxes (DJP).

Since 1 January 2025 VAT invoices (Faktur Pajak) are made in DJP's Coretax system. A seller
may import them in bulk as XML: ``TaxInvoiceBulk`` holds the seller's ``TIN`` and a
``ListOfTaxInvoice`` of ``TaxInvoice`` elements, each with its buyer and a
``ListOfGoodService`` of ``GoodService`` lines (DPP ``TaxBase``, DPP Nilai Lain
``OtherTaxBase``, ``VATRate``, ``VAT``, and luxury-goods sales tax ``STLGRate``/``STLG``).

The element names, their order and the values follow DJP's own sample ``Sample Faktur PK
Template v.1.4.xml`` and the Excel template v1.6.1 of converter v1.6 (pajak.go.id, "Template
XML dan Converter Excel ke XML"; see :data:`SOURCE`); the writer writes them in that order,
with the root's ``xsi:noNamespaceSchemaLocation="TaxInvoice.xsd"`` as the sample has it. DJP
does not distribute that XSD.

The model holds one invoice: this reader takes the first ``TaxInvoice`` of a bulk file and
reports any others (``einvoice.unmapped_element``); split a bulk file before reading it.
The Coretax tax invoice number (NSFP) is given by DJP on approval and is not in the import
file; the seller's own reference (``RefDesc``) is read as the invoice number (BT-1).
Values EN 16931 has no term for keep ids of their own (``ID-...``).

``SYNTAXES`` holds the XML syntax ``id-efaktur`` (root ``TaxInvoiceBulk``, no namespace).
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from defa.einvoice.model import Invoice
from defa.einvoice.national import (
    Leaf,
    NationalSyntax,
    Node,
    to_xml,
    write_xml_tree,
    xml_reader,
)
from defa.einvoice.profiles import Format, to_en16931
from defa.einvoice.syntax import Syntax

__all__ = ["BINDING", "FORMATS", "NATIONAL", "NOTES", "ROOT", "SOURCE", "SYNTAXES", "read", "write"]

ROOT = "TaxInvoiceBulk"

SOURCE = (
    "DJP Coretax e-Faktur XML import (pajak.go.id/en/node/112031, 'Template XML dan "
    "Converter Excel ke XML'): the sample 'Sample Faktur PK Template v.1.4.xml' (element "
    "names and order) and the Excel template v1.6.1 of converter v1.6 (2026-01-23; its "
    "Keterangan sheet: mandatory columns and their rules; its REF sheets: code lists), read "
    "as transcribed in nrazgulyaev/management-os docs/CORETAX-EFAKTUR-FORMAT.md @ "
    "5baa470b1eb8a2ce3a3da4178cc38ed30f6899a7 and dharmawipraja/accounting-api "
    "src/coretax/faktur.spec.ts @ a36f2a9bacd5834dda21cf070cda8d8c58691030 (the sample "
    "reproduced byte for byte); PMK 81/2024 (Coretax administration) and PMK 131/2024 (12% "
    "VAT, DPP Nilai Lain 11/12); public integrations (Odoo l10n_id_efaktur_coretax, "
    "tests/results/sample.xml; Solegar01/EFakturCoretax)"
)

NOTES = (
    "Confirmed from DJP's sample v1.4 and template v1.6.1 (through public transcriptions, "
    "not from the files themselves): the element names, their order, TrxCode 01 to 10, "
    "BuyerDocument (TIN, National ID, Passport, Other ID), TaxInvoiceOpt Normal for an "
    "import, Opt A or B, which columns are mandatory, the 0000000000000000 TIN and 000000 "
    "IDTKU of a buyer without a TIN, PPN = rate x DPP Nilai Lain for codes 01, 04 and 09, "
    "AddInfo and FacilityStamp for codes 07 and 08, at most two decimals. Not confirmed: "
    "the XSD (TaxInvoice.xsd is named by the sample but DJP does not distribute it), so "
    "lengths and XSD types are unknown; the REF tables of units (UM.xxxx), goods codes, "
    "AddInfo and FacilityStamp codes are kept verbatim as national terms (ID-...). "
    "BuyerCountry is a three-letter code kept as ID-BUYERCOUNTRY, not converted (DJP's "
    "sample writes IND, which its own REF table gives to India; Indonesia is IDN). Only the "
    "first TaxInvoice of a bulk file is read. The NSFP tax invoice number is not in the "
    "import format (DJP gives it on approval); RefDesc is read as BT-1."
)

_LINE = Node(
    "GoodService",
    (
        Leaf("Opt", "ID-OPT"),  # A goods, B services
        Leaf("Code", "ID-CODE"),  # Coretax goods/services code
        Leaf("Name", "BT-153", at=("BG-31",)),
        Leaf("Unit", "ID-UNIT"),  # Coretax unit code (UM.0001 ...)
        Leaf("Price", "BT-146", at=("BG-29",)),
        Leaf("Qty", "BT-129"),
        Leaf("TotalDiscount", "ID-TOTALDISCOUNT"),
        Leaf("TaxBase", "BT-131"),  # DPP: price x quantity less discount
        Leaf("OtherTaxBase", "ID-OTHERTAXBASE"),  # DPP Nilai Lain (other tax base)
        Leaf("VATRate", "BT-152", at=("BG-30",)),
        Leaf("VAT", "ID-VAT"),
        Leaf("STLGRate", "ID-STLGRATE"),  # PPnBM (luxury-goods sales tax) rate
        Leaf("STLG", "ID-STLG"),
    ),
    group="BG-25",
    repeat=True,
)

_INVOICE = Node(
    "TaxInvoice",
    (
        Leaf("TaxInvoiceDate", "BT-2"),
        Leaf("TaxInvoiceOpt", "ID-TAXINVOICEOPT"),  # Normal for an import (DJP template)
        Leaf("TrxCode", "ID-TRXCODE"),  # transaction code 01..10
        Leaf("AddInfo", "ID-ADDINFO"),
        Leaf("CustomDoc", "ID-CUSTOMDOC"),
        Leaf("CustomDocMonthYear", "ID-CUSTOMDOCMONTHYEAR"),
        Leaf("RefDesc", "BT-1"),
        Leaf("FacilityStamp", "ID-FACILITYSTAMP"),
        Leaf("SellerIDTKU", "ID-IDTKU", at=("BG-4",)),  # seller's place-of-business id
        Leaf("BuyerTin", "BT-48", at=("BG-7",)),
        Leaf("BuyerDocument", "ID-BUYERDOCUMENT", at=("BG-7",)),
        Leaf("BuyerCountry", "ID-BUYERCOUNTRY", at=("BG-7",)),
        Leaf("BuyerDocumentNumber", "ID-BUYERDOCUMENTNUMBER", at=("BG-7",)),
        Leaf("BuyerName", "BT-44", at=("BG-7",)),
        Leaf("BuyerAdress", "BT-50", at=("BG-7", "BG-8")),  # spelled so by DJP
        Leaf("BuyerEmail", "BT-58", at=("BG-7", "BG-9")),
        Leaf("BuyerIDTKU", "ID-IDTKU", at=("BG-7",)),
        Node("ListOfGoodService", (_LINE,)),
    ),
)

BINDING = Node(
    ROOT,
    (
        Leaf("TIN", "BT-31", at=("BG-4",)),  # the seller's NPWP (16 digits)
        Node("ListOfTaxInvoice", (_INVOICE,)),
    ),
)


_XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Reads the document element's binding (the first invoice of a bulk file); unknown elements
# become issues.
read = xml_reader("id-efaktur", ROOT, BINDING)


def write(doc: Invoice) -> bytes:
    """One invoice as a ``TaxInvoiceBulk`` file, its root as DJP's sample writes it."""
    root = etree.Element(ROOT, nsmap={"xsi": _XSI})
    root.set(f"{{{_XSI}}}noNamespaceSchemaLocation", "TaxInvoice.xsd")
    write_xml_tree(root, BINDING, doc)
    return to_xml(root)


NATIONAL = NationalSyntax("id-efaktur", "Coretax e-Faktur XML (Indonesia)", read, write, BINDING)

SYNTAXES = (
    Syntax("id-efaktur", NATIONAL.title, read, write, frozenset({ROOT}), terms=NATIONAL.terms()),
)

FORMATS = (
    Format(
        "id-efaktur",
        "Indonesia Coretax e-Faktur XML import (DJP)",
        "id-efaktur",
        "id-efaktur",
        country="ID",
        version="Coretax 2025 (sample v1.4, template v1.6.1)",
        valid_from=date(2025, 1, 1),
        specificity=10,
        # The binding is written from EN 16931 categories: national codes are mapped first.
        prepare=to_en16931,
        source=SOURCE,
        confidence="public-docs",
        notes=NOTES,
    ),
)
