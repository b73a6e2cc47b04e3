"""Malaysia: e-invoice formats.

* ``PINT_FORMATS``: Peppol PINT MY (billing and self-billing), UBL.
* ``MYINVOIS_FORMATS``: LHDN's MyInvois documents, versions 1.0 and 1.1, in XML
  (``my-myinvois-xml``, UBL 2.1) and JSON (``my-myinvois-json``, UBL 2.1 JSON); rule set
  ``my-myinvois``. Reading and writing: :mod:`defa.countries.my.myinvois`; the v1.1
  signature: :mod:`defa.countries.my.myinvois.signature`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lxml import etree

from defa.countries.my._map_document import document_to_myinvois, document_to_pint
from defa.countries.my._map_parties import parties_to_myinvois, parties_to_pint
from defa.countries.my.myinvois import json_syntax, xml_syntax
from defa.countries.my.myinvois.profile import is_myinvois, prepare
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.profiles import (
    COUNTRY_TERMS,
    Format,
    Prepare,
    chain,
    country_codes,
    map_tax_categories,
    set_customization,
)
from defa.einvoice.rules.pint.formats import pint_format
from defa.einvoice.rules.pint_my import (
    MY_CUSTOMIZATION,
    MY_PROCESS,
    MY_SELFBILLING_CUSTOMIZATION,
    MY_SELFBILLING_PROCESS,
)
from defa.einvoice.syntax import Syntax, ubl

_UBL_ROOTS = frozenset(
    {
        "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
        "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote",
    }
)

__all__ = ["FORMATS", "MYINVOIS_FORMATS", "PINT_FORMATS", "SYNTAXES"]

_PINT_SOURCE = (
    "Malaysia Peppol Authority (MDEC), PINT MY 1.3.1 billing and self-billing (release of "
    "2026-06-08): BIS, Schematron (PINT-UBL-validation-preprocessed.sch, "
    "PINT-jurisdiction-aligned-rules.sch), code lists and examples; as redistributed in "
    "phax/phive-rules @ 432f0e9"
)


# PINT MY documents carry MyInvois fields too (LHDN's own PINT MY samples hold the MSIC
# code, state, issue time, line tax totals, ...), so invoices and credit notes are read and
# written with the MyInvois layer over UBL; any other root goes to the engine's UBL syntax,
# which says what it is.
def _read_pint(root: etree._Element) -> Invoice:
    return xml_syntax.read_ubl(root) if root.tag in _UBL_ROOTS else ubl.read(root)


def _write_pint(doc: Invoice) -> bytes:
    return xml_syntax.write_ubl(doc)


# The syntax value of a category's tax scheme as the engine's UBL binding keeps it on the
# category term when it is not VAT.
_TAX_SCHEME = "cac:TaxScheme/cbc:ID"
_SCHEME_TERM = "MY-TAX-SCHEME"


def _breakdown_scheme(doc: Invoice) -> Invoice:
    """A copy of ``doc`` whose tax breakdowns (BG-23) state their tax scheme as the term
    the MyInvois binding writes (``MY-TAX-SCHEME``).

    A document read by the engine's UBL binding leaves the scheme implicit (``VAT``) or
    keeps another one on BT-118; written through the MyInvois binding without the term, a
    breakdown would have no scheme at all. The kept scheme is used, else ``AAL`` for
    tourism tax (TTX, which PINT MY states under AAL: data ``pint-my-tax-categories``)
    and ``VAT`` for any other category.
    """
    breakdowns = doc.children("BG-23")
    if all(g.has(_SCHEME_TERM) or not g.has("BT-118") for g in breakdowns):
        return doc
    out = doc.reshaped(groups=dict(doc.groups), issues=list(doc.issues))
    out.groups["BG-23"] = [_with_scheme(g) for g in breakdowns]
    return out


def _with_scheme(breakdown: Group) -> Group:
    category = breakdown.term("BT-118")
    if category is None or breakdown.has(_SCHEME_TERM):
        return breakdown
    out = breakdown.copy()
    attrs = dict(category.attrs)
    default = "AAL" if category.text.strip() == "TTX" else "VAT"
    scheme = attrs.pop(_TAX_SCHEME, default)
    out.terms["BT-118"] = [
        Term("BT-118", category.text, category.loc, attrs),
        *breakdown.all("BT-118")[1:],
    ]
    out.terms[_SCHEME_TERM] = [Term(_SCHEME_TERM, scheme)]
    return out


# The country terms, and MyInvois's shipping recipient country: PINT MY states them in
# ISO 3166-1 alpha-2, MyInvois in alpha-3.
_COUNTRY_TERMS = COUNTRY_TERMS | {"MY-SHIP-COUNTRY"}


def _pint_prepare(customization: str, process: str) -> Prepare:
    """PINT MY states tax categories in Malaysia's codes (aligned-ibrp-cl-01-my) under the
    VAT scheme id (aligned-ibrp-047): EN 16931 E and O and MyInvois E and 06 map one to one;
    a category with no single Malaysian code (S: sales tax or service tax?) is listed. Each
    breakdown's scheme is made a term the MyInvois binding writes."""
    return chain(
        set_customization(customization, process),
        map_tax_categories("my-sst"),
        country_codes(2, _COUNTRY_TERMS),
        _breakdown_scheme,
        parties_to_pint,
        document_to_pint,
    )


_PINT_BASE: tuple[Format, ...] = (
    pint_format(
        "my-pint",
        "PINT MY 1.3.1 billing (Peppol), UBL invoice and credit note",
        rules="my-pint",
        country="MY",
        version="1.3.1",
        valid_from=date(2026, 6, 8),
        customization=MY_CUSTOMIZATION,
        process=MY_PROCESS,
        source=_PINT_SOURCE,
        read=_read_pint,
        write=_write_pint,
    ),
    pint_format(
        "my-pint-selfbilling",
        "PINT MY 1.3.1 self-billing (Peppol), UBL invoice and credit note",
        rules="my-pint-selfbilling",
        country="MY",
        version="1.3.1",
        valid_from=date(2026, 6, 8),
        customization=MY_SELFBILLING_CUSTOMIZATION,
        process=MY_SELFBILLING_PROCESS,
        source=_PINT_SOURCE,
        read=_read_pint,
        write=_write_pint,
        notes="No official self-billing example is published with the release; the rules "
        "are checked against mutated billing examples only. A conversion into it sets the "
        "identifiers and the self-billing type codes (an Invoice 389, a CreditNote 261); a "
        "type it cannot state (a self-billed debit note) is kept and reported.",
    ),
)
_PINT_IDS = {
    "my-pint": (MY_CUSTOMIZATION, MY_PROCESS),
    "my-pint-selfbilling": (MY_SELFBILLING_CUSTOMIZATION, MY_SELFBILLING_PROCESS),
}
PINT_FORMATS: tuple[Format, ...] = tuple(
    replace(fmt, prepare=_pint_prepare(*_PINT_IDS[fmt.id])) for fmt in _PINT_BASE
)

_MYINVOIS_SOURCE = (
    "MyInvois SDK documentation (LHDN, https://sdk.myinvois.hasil.gov.my/): Document Types "
    "v1.0/v1.1, Code Tables, Signature, Document validation rules, and the official sample "
    "documents; as compiled in deadboy18/myinvois-docs @ ec243d7"
)
_MYINVOIS_NOTES = (
    "Built from LHDN's public SDK documentation and samples. LHDN publishes no rule ids or "
    "machine-readable rules: the my-myinvois rules are written from the field tables, with "
    "ids of our own, and checks against LHDN's registers (TINs, referenced documents, "
    "duplicates) are not made. Version 1.1 must be signed: sign the written document with "
    "defa.countries.my.myinvois.signature.sign. The signed-properties digest is computed "
    "over the properties as LHDN's reference tooling serialises them; six of the seven "
    "signed 1.1 samples verify completely (the seventh's signing time was edited after "
    "signing)."
)

# MyInvois states tax types (01 sales tax, 02 service tax, ..., E exempt, 06 not
# applicable): EN 16931 E and O map one to one; S does not (sales or service tax?).
_myinvois_prepare = chain(
    prepare,
    map_tax_categories("myinvois"),
    country_codes(3, _COUNTRY_TERMS),
    parties_to_myinvois,
    document_to_myinvois,
)

MYINVOIS_FORMATS: tuple[Format, ...] = (
    Format(
        "my-myinvois-xml",
        "MyInvois e-Invoice v1.0/v1.1, XML (UBL 2.1) (LHDN Malaysia)",
        "ubl",
        "my-myinvois",
        country="MY",
        version="1.0, 1.1",
        valid_from=date(2024, 1, 1),
        specificity=20,
        matches=is_myinvois,
        prepare=_myinvois_prepare,
        read=xml_syntax.read_xml,
        write=xml_syntax.write_xml,
        source=_MYINVOIS_SOURCE,
        confidence="public-docs",
        notes=_MYINVOIS_NOTES,
    ),
    Format(
        "my-myinvois-json",
        "MyInvois e-Invoice v1.0/v1.1, JSON (UBL 2.1 JSON) (LHDN Malaysia)",
        "myinvois-json",
        "my-myinvois",
        country="MY",
        version="1.0, 1.1",
        valid_from=date(2024, 1, 1),
        specificity=20,
        matches=is_myinvois,
        prepare=_myinvois_prepare,
        source=_MYINVOIS_SOURCE,
        confidence="public-docs",
        notes=_MYINVOIS_NOTES,
    ),
)

FORMATS: tuple[Format, ...] = (*PINT_FORMATS, *MYINVOIS_FORMATS)


def _is_ubl_json(value: object) -> bool:
    """A UBL JSON document (the OASIS alternative representation) holding an Invoice."""
    return isinstance(value, dict) and "_D" in value and isinstance(value.get("Invoice"), list)


SYNTAXES: tuple[Syntax, ...] = (
    Syntax(
        "myinvois-json",
        "MyInvois UBL 2.1 JSON (LHDN Malaysia)",
        json_syntax.read_json,
        json_syntax.write_json,
        media="json",
        accepts=_is_ubl_json,
    ),
)
