"""EN 16931 code-list rules: BR-CL-*.

Each rule says which business terms (or which scheme/list attributes of them) must take a
value from one code list. The lists are packaged data (``en16931-codelists``, stated from the
CEN/TC 434 validation artefacts 1.3.16) loaded once as frozensets; the rules are rows of
:data:`CODE_RULES`, checked in one pass over the document's terms whose result every rule
shares.

A value is compared the way the artefacts compare it: whitespace collapsed, then it must be
one code of the list with no spaces inside (VAT exemption reason codes are upper-cased first;
MIME codes are compared verbatim). Attribute-level terms are read as their own sub-terms
(``BT-29-1``) or, when a reader kept them on the term, from the term's attributes
(``schemeID`` of ``BT-29``). Currency attributes are checked on every term that carries one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from defa import data
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.rules.en16931 import EN16931
from defa.einvoice.rules.engine import Findings

__all__ = ["CODE_LISTS", "CODE_RULES", "CodeRule", "code_list"]

Compare = Literal["normal", "upper", "verbatim"]


def _load() -> dict[str, frozenset[str]]:
    lists = data.load("en16931-codelists", EN16931.valid_from).content["lists"]
    return {key: frozenset(entry["codes"]) for key, entry in lists.items()}


CODE_LISTS: dict[str, frozenset[str]] = _load()


def code_list(key: str) -> frozenset[str]:
    """One packaged code list by key (``iso4217``, ``uncl5305``, ...)."""
    return CODE_LISTS[key]


@dataclass(frozen=True, slots=True)
class CodeRule:
    """A code-list rule: the terms it reads and the list their values must come from."""

    rule_id: str
    codes: str  # key into CODE_LISTS
    terms: tuple[str, ...]  # term ids whose text is the code
    attrs: tuple[tuple[str, str, str], ...]  # (sub-term id, term id, attribute) fallbacks
    what: str  # for our message
    compare: Compare = "normal"
    cii: str = ""  # key of the list the CII artefact uses instead, where it differs


def _sub(*pairs: str) -> tuple[tuple[str, str, str], ...]:
    """``"BT-29-1:schemeID"`` -> (BT-29-1, BT-29, schemeID)."""
    out = []
    for pair in pairs:
        sub, attr = pair.split(":")
        out.append((sub, sub.rsplit("-", 1)[0], attr))
    return tuple(out)


CODE_RULES: tuple[CodeRule, ...] = (
    CodeRule(
        "BR-CL-01",
        "uncl1001_invoice",
        ("BT-3",),
        (),
        "invoice type code (BT-3)",
        cii="cii_uncl1001",
    ),
    CodeRule("BR-CL-03", "iso4217", (), (), "currency of an amount (currencyID)"),
    CodeRule("BR-CL-04", "iso4217", ("BT-5",), (), "invoice currency code (BT-5)"),
    CodeRule("BR-CL-05", "iso4217", ("BT-6",), (), "VAT accounting currency code (BT-6)"),
    CodeRule(
        "BR-CL-06", "uncl2005", ("BT-8",), (), "VAT point date code (BT-8)", cii="cii_untdid2475"
    ),
    CodeRule(
        "BR-CL-07",
        "uncl1153",
        (),
        _sub("BT-18-1:schemeID", "BT-128-1:schemeID"),
        "invoiced object identifier scheme (BT-18-1, BT-128-1)",
    ),
    CodeRule(
        "BR-CL-08",
        "uncl4451",
        ("BT-21",),
        (),
        "invoice note subject code (BT-21)",
        cii="cii_uncl4451",
    ),
    CodeRule(
        "BR-CL-10",
        "iso6523_icd",
        (),
        _sub("BT-29-1:schemeID", "BT-46-1:schemeID", "BT-60-1:schemeID"),
        "party identifier scheme (BT-29-1, BT-46-1, BT-60-1)",
    ),
    CodeRule(
        "BR-CL-11",
        "iso6523_icd",
        (),
        _sub("BT-30-1:schemeID", "BT-47-1:schemeID", "BT-61-1:schemeID"),
        "legal registration identifier scheme (BT-30-1, BT-47-1, BT-61-1)",
    ),
    CodeRule(
        "BR-CL-13",
        "untdid7143",
        (),
        _sub("BT-158-1:listID"),
        "item classification scheme (BT-158-1)",
    ),
    CodeRule(
        "BR-CL-14",
        "iso3166",
        ("BT-40", "BT-55", "BT-69", "BT-80"),
        (),
        "country code (BT-40, BT-55, BT-69, BT-80)",
        cii="cii_iso3166",
    ),
    CodeRule(
        "BR-CL-15", "iso3166", ("BT-159",), (), "item country of origin (BT-159)", cii="cii_iso3166"
    ),
    CodeRule("BR-CL-16", "uncl4461", ("BT-81",), (), "payment means code (BT-81)"),
    CodeRule(
        "BR-CL-17",
        "uncl5305",
        ("BT-95", "BT-102", "BT-118"),
        (),
        "VAT category code (BT-95, BT-102, BT-118)",
    ),
    CodeRule("BR-CL-18", "uncl5305", ("BT-151",), (), "invoiced item VAT category code (BT-151)"),
    CodeRule(
        "BR-CL-19", "uncl5189", ("BT-98", "BT-140"), (), "allowance reason code (BT-98, BT-140)"
    ),
    CodeRule(
        "BR-CL-20", "uncl7161", ("BT-105", "BT-145"), (), "charge reason code (BT-105, BT-145)"
    ),
    CodeRule(
        "BR-CL-21",
        "iso6523_icd",
        (),
        _sub("BT-157-1:schemeID"),
        "item standard identifier scheme (BT-157-1)",
    ),
    CodeRule("BR-CL-22", "vatex", ("BT-121",), (), "VAT exemption reason code (BT-121)", "upper"),
    CodeRule(
        "BR-CL-23",
        "unece_rec20_rec21",
        ("BT-130", "BT-150"),
        (),
        "unit of measure code (BT-130, BT-150)",
    ),
    CodeRule(
        "BR-CL-24",
        "mime",
        (),
        _sub("BT-125-1:mimeCode"),
        "attached document MIME code (BT-125-1)",
        "verbatim",
    ),
    CodeRule(
        "BR-CL-25",
        "cef_eas",
        (),
        _sub("BT-34-1:schemeID", "BT-49-1:schemeID"),
        "electronic address scheme (BT-34-1, BT-49-1)",
    ),
    CodeRule(
        "BR-CL-26",
        "iso6523_icd",
        (),
        _sub("BT-71-1:schemeID"),
        "deliver-to location identifier scheme (BT-71-1)",
    ),
)

# Schemes where the bank assigned creditor identifier may stand in for an ICD (UBL puts it in
# the seller's or payee's PartyIdentification with schemeID "SEPA").
_SEPA_ALLOWED = frozenset({"BT-29-1", "BT-60-1"})
_CREDIT_NOTE_TYPES = "uncl1001_credit_note"


def _accepts(codes: frozenset[str], text: str, compare: Compare, syntax: str) -> bool:
    if compare == "verbatim":
        return text in codes
    value = " ".join(text.split())
    if compare == "upper":
        value = value.upper()
    return bool(value) and " " not in value and value in codes


# -- one pass over the terms -----------------------------------------------------------------

Hit = tuple[Term, str]  # the offending term and the location to report
_BY_TERM: dict[str, list[CodeRule]] = {}
_BY_SUB: dict[str, list[CodeRule]] = {}
_BY_PARENT: dict[str, list[tuple[CodeRule, str, str]]] = {}  # term -> (rule, sub id, attr)
for _rule in CODE_RULES:
    for _tid in _rule.terms:
        _BY_TERM.setdefault(_tid, []).append(_rule)
    for _sub_id, _parent, _attr in _rule.attrs:
        _BY_SUB.setdefault(_sub_id, []).append(_rule)
        _BY_PARENT.setdefault(_parent, []).append((_rule, _sub_id, _attr))
_CURRENCY = next(r for r in CODE_RULES if r.rule_id == "BR-CL-03")
# Every term id some rule reads (the note for UBL's subject code included): others are skipped.
_READ = frozenset({*_BY_TERM, *_BY_SUB, *_BY_PARENT, "BT-22"})


_NOTE = next(r for r in CODE_RULES if r.rule_id == "BR-CL-08")


def _ubl_note_subject(note: str) -> str | None:
    """The subject code UBL puts in a note as ``#AAI#text``: three characters between the
    first two ``#``; None when the note has no such code (then there is nothing to check)."""
    _, hash_, after = note.partition("#")
    code, second, _ = after.partition("#")
    return code if hash_ and second and len(code) == 3 else None


def _list_for(rule: CodeRule, doc: Invoice) -> frozenset[str]:
    """The list a rule checks against for this document: the CII artefact's where it differs;
    for UBL's BT-3, the credit note list in a credit note."""
    if rule.cii and doc.syntax == "cii":
        return CODE_LISTS[rule.cii]
    if rule.rule_id == "BR-CL-01" and doc.kind == "credit-note":
        return CODE_LISTS[_CREDIT_NOTE_TYPES]
    return CODE_LISTS[rule.codes]


def _is_invoiced_object(line: Group) -> bool:
    """Whether a line's object identifier (BT-128) is one: a UBL reader keeps a document type
    code other than 130 on the term, and such a reference is no invoiced object."""
    ref = line.term("BT-128")
    kept = ref.attrs.get("cbc:DocumentTypeCode") if ref is not None else None
    return kept is None or kept.strip() == "130"


def _scan(doc: Invoice) -> dict[str, list[str]]:
    """Rule id -> locations of the values outside their code list."""
    hits: dict[str, list[str]] = {}
    iso4217 = CODE_LISTS[_CURRENCY.codes]
    syntax = doc.syntax

    def fail(rule: CodeRule, where: str) -> None:
        hits.setdefault(rule.rule_id, []).append(where)

    for group in doc.walk():
        for tid, terms in group.terms.items():
            for term in terms:
                currency = term.attrs.get("currencyID") if term.attrs else None
                if currency is not None and not _accepts(iso4217, currency, "normal", syntax):
                    fail(_CURRENCY, f"{term.loc}/@currencyID")
            if tid not in _READ:
                continue
            for rule in _BY_TERM.get(tid, ()):
                codes = _list_for(rule, doc)
                for term in terms:
                    if not _accepts(codes, term.text, rule.compare, syntax):
                        fail(rule, term.loc)
            if tid == "BT-128-1" and not _is_invoiced_object(group):
                continue
            for rule in _BY_SUB.get(tid, ()):
                codes = CODE_LISTS[rule.codes]
                for term in terms:
                    ok = _accepts(codes, term.text, rule.compare, syntax) or (
                        tid in _SEPA_ALLOWED and term.text.strip() == "SEPA"
                    )
                    if not ok:
                        fail(rule, term.loc)
            for rule, sub_id, attr in _BY_PARENT.get(tid, ()):
                if sub_id in group.terms:  # read as a sub-term already
                    continue
                codes = CODE_LISTS[rule.codes]
                for term in terms:
                    value = term.attrs.get(attr)
                    if value is None:
                        continue
                    ok = _accepts(codes, value, rule.compare, syntax) or (
                        sub_id in _SEPA_ALLOWED and value.strip() == "SEPA"
                    )
                    if not ok:
                        fail(rule, f"{term.loc}/@{attr}")
            if tid == "BT-22" and syntax == "ubl" and "BT-21" not in group.terms:
                for term in terms:
                    code = _ubl_note_subject(term.text)
                    if code is not None and code not in CODE_LISTS[_NOTE.codes]:
                        fail(_NOTE, term.loc)
    return hits


# The rules of one document run one after another: the scan is done by the first and reused.
_last: tuple[Invoice, dict[str, list[str]]] | None = None


def code_list_hits(doc: Invoice) -> dict[str, list[str]]:
    """Rule id -> locations of code-list violations in ``doc`` (scanned once per document)."""
    global _last
    cached = _last
    if cached is not None and cached[0] is doc:
        return cached[1]
    hits = _scan(doc)
    _last = (doc, hits)
    return hits


def _check(rule_id: str) -> Callable[[Invoice], Findings]:
    def check(doc: Invoice) -> Findings:
        yield from code_list_hits(doc).get(rule_id, ())

    return check


_TITLES = {
    "uncl1001_invoice": "UNTDID 1001 (invoice or credit note codes)",
    "iso4217": "ISO 4217",
    "uncl2005": "UNTDID 2005 (3, 35 or 432; in CII UNTDID 2475: 5, 29 or 72)",
    "uncl1153": "UNTDID 1153",
    "uncl4451": "UNTDID 4451",
    "iso6523_icd": "ISO/IEC 6523 ICD",
    "untdid7143": "UNTDID 7143",
    "iso3166": "ISO 3166-1 alpha-2",
    "uncl4461": "UNTDID 4461",
    "uncl5305": "UNTDID 5305",
    "uncl5189": "UNTDID 5189",
    "uncl7161": "UNTDID 7161",
    "vatex": "the VATEX list",
    "unece_rec20_rec21": "UN/ECE Recommendations 20 and 21",
    "mime": "the allowed MIME types",
    "cef_eas": "the CEF EAS list",
}


def _code_list_findings(doc: Invoice) -> Iterator[tuple[str, str]]:
    """Every code-list finding of the document in one call (one scan)."""
    for rule_id, found in code_list_hits(doc).items():
        for where in found:
            yield rule_id, where


# The engine runs the code-list rules as one family; each stays a rule of its own.
EN16931.family("code-lists", _code_list_findings)
for _rule in CODE_RULES:
    _extra = " (or SEPA for the seller or payee)" if _rule.rule_id == "BR-CL-10" else ""
    EN16931.member(
        "code-lists",
        _rule.rule_id,
        "fatal",
        f"The {_rule.what} must be a code of {_TITLES[_rule.codes]}{_extra}.",
        terms=_rule.terms + tuple(sub for sub, _, _ in _rule.attrs),
    )(_check(_rule.rule_id))
