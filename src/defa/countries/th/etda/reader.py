"""Reading ETDA e-Tax Invoice 2.0 XML into the semantic model.

The document element names the document type (``rsm:TaxInvoice_CrossIndustryInvoice``, ...);
the type's table (:mod:`.binding`) maps its elements onto EN 16931 terms and ETDA's own
(``TH-...``). The type is kept as the term ``TH-DOCUMENT`` so that rules and the writer know
it. A document of another syntax (UBL, UN/CEFACT CII) is refused with an issue that says
what it looks like.

When the ETDA schemas can be found (:mod:`.schema`), the document is also validated against
its type's XSD and every departure is listed in ``Invoice.issues`` (``einvoice.schema``).
"""

from __future__ import annotations

import re

from lxml import etree

from defa.countries.th.etda import binding
from defa.countries.th.etda.schema import schema_issues
from defa.einvoice.model import Invoice
from defa.einvoice.syntax._read import Reader
from defa.einvoice.xmlsafe import Source, parse
from defa.errors import InputRejected, Issue

__all__ = ["SYNTAX", "read"]

SYNTAX = "etda"

# xs:dateTime's date, then the rest (time and zone) kept verbatim
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})(T.*)", re.DOTALL)
_ETDA_NS = re.compile(r"urn:etda:uncefact:data:standard:(\w+?)_CrossIndustryInvoice:\d+")
_KNOWN = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "a UBL invoice",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "a UBL credit note",
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100": "a UN/CEFACT CII invoice",
}
_SUFFIX = "_CrossIndustryInvoice"


def _refuse(root: etree._Element) -> InputRejected:
    """The issue for a root that is no ETDA document type: say what it looks like."""
    tag = root.tag if isinstance(root.tag, str) else ""
    ns, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    expected = ", ".join(t.name + _SUFFIX for t in binding.DOCUMENT_TYPES.values())
    looks = _KNOWN.get(ns)
    if looks is not None:
        return InputRejected(
            Issue(
                "xml.wrong_root",
                f"this looks like {looks} ({local[:40]}), not an ETDA e-Tax Invoice document; "
                f"read it with its own syntax",
                loc=f"/{local[:60]}",
                ctx={"looks_like": looks},
            )
        )
    named = binding.DOCUMENT_TYPES.get(local.removesuffix(_SUFFIX))
    if named is not None:
        return InputRejected(
            Issue(
                "xml.wrong_namespace",
                f"an ETDA {local} must be in namespace {named.rsm}, not {ns!r:.80}",
                loc=f"/{local[:60]}",
            )
        )
    if _ETDA_NS.fullmatch(ns):
        return InputRejected(
            Issue(
                "xml.wrong_root",
                f"{local[:60]!r} is not an ETDA document element; expected one of {expected}",
                loc=f"/{local[:60]}",
            )
        )
    return InputRejected(
        Issue(
            "xml.wrong_root",
            f"the document element {local[:60]!r} is not an ETDA e-Tax Invoice ({expected})",
            loc=f"/{local[:60]}",
        )
    )


def _split_datetimes(doc: Invoice) -> None:
    """``xs:dateTime`` terms: the date as the value, the time kept in ``attrs['@time']``."""
    wanted = binding.DATETIME_TERMS
    for group in doc.walk():
        terms = group.terms
        if wanted.isdisjoint(terms):  # most groups: no set made
            continue
        for term_id in wanted.intersection(terms):
            for term in terms[term_id]:
                found = _DATETIME.fullmatch(term.text.strip())
                if found is not None:
                    term.text = found.group(1)
                    term.attrs["@time"] = found.group(2)


def read(source: etree._Element | Source, *, validate: bool = True) -> Invoice:
    """Read an ETDA e-Tax Invoice 2.0 document (an lxml element, or XML bytes/text/path).

    Raises :class:`~defa.errors.InputRejected` for hostile or non-XML input and for a root
    that is no ETDA document type (naming what it looks like instead); never for missing or
    unexpected content, which ``Invoice.issues`` lists (with the XSD's findings when
    ``validate`` and the schemas are found).
    """
    root = source if isinstance(source, etree._Element) else parse(source)
    dtype = binding.by_root(root.tag) if isinstance(root.tag, str) else None
    if dtype is None:
        raise _refuse(root)
    doc = Invoice(syntax=SYNTAX, tree=root)
    doc.loc = f"/rsm:{dtype.name}{_SUFFIX}"
    doc.set("TH-DOCUMENT", dtype.name, doc.loc)
    reader = Reader(doc, binding.prefixes(dtype))
    reader.children(root, binding.root_node(dtype.name), doc, doc.loc)
    reader.finish()
    _split_datetimes(doc)
    doc.issues = reader.issues
    if validate:
        doc.issues.extend(schema_issues(root, dtype.name))
    # 81 is a credit note (UNTDID 1001); 80, a debit note, is an invoice in EN 16931 terms
    doc.kind = "credit-note" if (doc.value("BT-3") or "").strip() == "81" else "invoice"
    return doc
