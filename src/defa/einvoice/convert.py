"""Conversion between invoice syntaxes: read -> model -> write, and an account of every loss.

A value the target syntax cannot hold is never dropped silently. After writing, the result
is read back and compared with the source model term by term (by group path, term id and
value); each source value with no counterpart is a :class:`Loss`, and so is each syntax
attribute or syntax value kept on a term (``Term.attrs``) that did not survive. Values the
target derives again are not losses: an amount's ``currencyID`` that is the document
currency, and the note of which of two elements carried a term (``attrs["@element"]``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

from defa.einvoice import jsonsafe, profiles
from defa.einvoice.jsonsafe import looks_like_json
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.syntax import detect, detect_json, get, syntaxes
from defa.einvoice.syntax._write import to_xml
from defa.einvoice.syntax._xmlmap import leaves
from defa.einvoice.syntax.cii_binding import ROOT_NODE as CII_ROOT
from defa.einvoice.syntax.ubl_binding import ROOT_NODE as UBL_ROOT
from defa.einvoice.xmlsafe import Source, parse, read_bytes
from defa.errors import Issue, Report, Severity

__all__ = ["Conversion", "Loss", "convert", "read_any"]

_BOUND = {"ubl": UBL_ROOT, "cii": CII_ROOT}


@dataclass(frozen=True, slots=True)
class Loss:
    """A value of the source that the target document does not hold."""

    term: str  # the business term id; "BT-32@cac:TaxScheme/cbc:ID" for a syntax value
    path: str  # where the value is in the source (its ``loc``)
    value: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"term": self.term, "path": self.path, "value": self.value, "reason": self.reason}


@dataclass(slots=True)
class Conversion:
    """The converted document, what it could not carry, and the findings on the way."""

    document: bytes
    losses: list[Loss] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    output: Invoice | None = None  # the converted document, read back
    format: str = ""  # the target format id
    check: Report | None = None  # the target format's rules run on the output


def read_any(source: etree._Element | Invoice | Source, syntax: str | None = None) -> Invoice:
    """An :class:`Invoice` from a model, a parsed root, or document bytes/text/path.

    XML documents are parsed once, hardened (:mod:`~defa.einvoice.xmlsafe`); JSON documents
    (first significant character ``{`` or ``[``) go to the JSON syntax that accepts them.
    """
    if isinstance(source, Invoice):
        return source
    if isinstance(source, etree._Element):
        return get(syntax).read(source) if syntax else syntaxes()[detect(source)].read(source)
    data = read_bytes(source)
    chosen = get(syntax) if syntax else None
    is_json = chosen.media == "json" if chosen is not None else looks_like_json(data)
    if is_json:
        if chosen is None:
            chosen = syntaxes()[detect_json(jsonsafe.loads(data))]
        return chosen.read(data)
    root = parse(data)
    return (chosen or syntaxes()[detect(root)]).read(root)


def _bound_terms(target: str) -> frozenset[str]:
    ids: set[str] = set()
    for term_id, _path, leaf in leaves(_BOUND[target]):
        ids.add(term_id)
        ids.update(leaf.attrs.values())
    return frozenset(ids)


_TERMS_OF = {name: _bound_terms(name) for name in _BOUND}


def _flatten(group: Group, path: str = "") -> list[tuple[str, Term]]:
    """Every term with the path of group ids above it (``INVOICE/BG-25/BG-31``), in
    document-model order (a group's terms, then its groups, depth first)."""
    out: list[tuple[str, Term]] = []
    _collect(group, f"{path}/{group.id}" if path else group.id, out)
    return out


def _collect(group: Group, here: str, out: list[tuple[str, Term]]) -> None:
    # a list built by one recursion: cheaper than nested generators on every conversion
    for terms in group.terms.values():
        out.extend([(here, t) for t in terms])
    for groups in group.groups.values():
        for g in groups:
            _collect(g, f"{here}/{g.id}", out)


def _derived(doc: Invoice, term: Term, key: str, value: str) -> bool:
    """Attributes the target puts back by itself."""
    if key.startswith("@"):
        return True
    if key == "currencyID":
        return value in {doc.value("BT-5"), doc.value("BT-6")}
    return False


# BT-8 is coded from UNTDID 2005 in UBL and from UNTDID 2475 in CII (EN 16931-3-3): the
# same three meanings, invoice date, delivery date and payment date.
_BT8_UBL_TO_CII = {"3": "5", "35": "29", "432": "72"}
_BT8 = {
    ("ubl", "cii"): _BT8_UBL_TO_CII,
    ("cii", "ubl"): {v: k for k, v in _BT8_UBL_TO_CII.items()},
}
# UBL has no element for the note subject (BT-21); the EN 16931 artefacts read it from the
# note text as "#CODE#text" (BR-CL-08), which is how it crosses between the syntaxes.
_UBL_NOTE = re.compile(r"#([A-Za-z0-9]{3})#(.*)", re.DOTALL)


def _prepare(doc: Invoice, target: str) -> Invoice:
    """A copy of ``doc`` as the target syntax says the same things.

    CII amounts carry no ``currencyID`` (the document currency is derived); BT-8's code
    is translated between the syntaxes' code lists; a UBL note's ``#CODE#`` prefix is the
    CII note's subject code (BT-21), and back.
    """
    source = doc.syntax
    currency = doc.value("BT-5") if target == "cii" else None
    bt8 = _BT8.get((source, target), {})

    def copy(g: Group, into: Group) -> None:
        for tid, terms in g.terms.items():
            derived = currency is not None and tid not in ("BT-110", "BT-111")
            coded = tid == "BT-8"
            for t in terms:
                attrs = dict(t.attrs) if t.attrs else {}
                if derived and attrs.get("currencyID") == currency:
                    del attrs["currencyID"]
                text = bt8.get(t.text.strip(), t.text) if coded else t.text
                into.add(Term(t.id, text, t.loc, attrs))
        for groups in g.groups.values():
            for sub in groups:
                copy(sub, into.new_group(sub.id, sub.loc))
        if g.id == "BG-1" and target != source:
            _move_note_subject(into, source, target)

    out = Invoice(kind=doc.kind, syntax=doc.syntax, tree=doc.tree)
    out.loc = doc.loc
    copy(doc, out)
    return out


def _move_note_subject(note: Group, source: str, target: str) -> None:
    """BT-21 into UBL's note text (``#CODE#``), or out of it for CII."""
    text = note.term("BT-22")
    subject = note.term("BT-21")
    if target == "ubl" and subject is not None and text is not None and len(note.all("BT-21")) == 1:
        text.text = f"#{subject.text}#{text.text}"
        del note.terms["BT-21"]
    elif source == "ubl" and target == "cii" and text is not None and subject is None:
        found = _UBL_NOTE.fullmatch(text.text)
        if found is not None and len(note.all("BT-22")) == 1:
            note.terms["BT-21"] = [Term("BT-21", found.group(1), text.loc, {})]
            text.text = found.group(2)


def losses(
    source: Invoice, result: Invoice, target: str, terms: frozenset[str] | None = None
) -> list[Loss]:
    """Every value of ``source`` that ``result`` (read back from the target) lacks.

    Terms are matched by group path, id and value. Sub-terms read from attributes go
    with their term: when the term is lost, so is its attribute, whatever equal value
    another occurrence may have left in the result.
    """
    have: dict[tuple[str, str, str], list[Term]] = defaultdict(list)
    for path, t in _flatten(result):
        have[(path, t.id, t.text)].append(t)
    have_get = have.get
    bound = _TERMS_OF.get(target) or terms or frozenset()
    found: list[Loss] = []
    lost_locs: dict[str, str] = {}  # loc -> id of the terms not carried
    flat = _flatten(source)
    # terms first, then the sub-terms that hang on them (loc ".../@name")
    subs = [x for x in flat if "/@" in x[1].loc]
    ordered = [x for x in flat if "/@" not in x[1].loc] + subs if subs else flat
    for path, t in ordered:
        base = t.loc.rpartition("/@")[0] if "/@" in t.loc else ""
        matches = None if base and base in lost_locs else have_get((path, t.id, t.text))
        if matches:
            twin = matches.pop(0)
            if not t.attrs:
                continue
            for key, value in t.attrs.items():
                if twin.attrs.get(key) != value and not _derived(source, t, key, value):
                    found.append(
                        Loss(
                            f"{t.id}@{key}",
                            t.loc,
                            value,
                            f"{target.upper()} has no place for the {key!r} of {t.id}",
                        )
                    )
            continue
        if t.loc:
            lost_locs[t.loc] = t.id
        if t.id not in bound:
            reason = f"the {target.upper()} binding of EN 16931 has no element for {t.id}"
        elif base and base in lost_locs:
            reason = f"{t.id} qualifies {lost_locs[base]}, which is not carried"
        else:
            reason = f"{target.upper()} holds {t.id} in fewer places or occurrences than the source"
        found.append(Loss(t.id, t.loc, t.text, reason))
    return found


def convert(
    source: etree._Element | Invoice | Source, to: str = "ubl", *, syntax: str | None = None
) -> Conversion:
    """Convert an invoice to format ``to`` (``"ubl"``, ``"cii"``, ``"peppol-bis3"``, a
    national format id such as ``"sg-pint"``; see :func:`defa.einvoice.profiles.format_ids`).

    ``source`` is an :class:`Invoice`, a parsed root, or document bytes/text/path in any
    known syntax (``syntax`` names it; by default it is detected). The model is adapted to
    the target syntax and format, written, read back, and every source value the result
    lacks is a :class:`Loss`. Raises the reader's :class:`~defa.errors.InputRejected` for
    input that cannot be read at all, ``LookupFailed`` for an unknown target.
    """
    fmt = profiles.get(to)
    target = get(fmt.syntax)
    doc = read_any(source, syntax)
    if not isinstance(source, Invoice):
        doc = profiles.identify(doc)[1]  # all the source format holds, not only its syntax
    prepared = _prepare(doc, target.name)
    if fmt.prepare is not None:
        prepared = fmt.prepare(prepared)
    if fmt.write is None and target.build is not None:
        # the written tree is read back as it is: the document is its serialisation, so
        # parsing that again would only rebuild the same elements
        tree = target.build(prepared)
        document = to_xml(tree)
        back = fmt.read(tree) if fmt.read else target.read(tree)
    else:
        document = (fmt.write or target.write)(prepared)
        back = fmt.read(parse(document)) if fmt.read else read_any(document, target.name)
    lost = losses(prepared, back, target.name, target.terms)
    report = Report(
        meta={
            "from": doc.syntax or None,
            "to": fmt.id,
            "syntax": target.name,
            "kind": doc.kind,
            "losses": len(lost),
        }
    )
    report.extend(doc.issues)
    report.extend(prepared.issues)  # what the format's prepare steps could not map
    for loss in lost:
        report.add(
            Issue(
                "einvoice.value_not_carried",
                f"{loss.term} {loss.value!r:.60} not carried: {loss.reason}",
                loc=loss.path,
                severity=Severity.WARNING,
                ctx={"term": loss.term, "value": loss.value, "to": fmt.id},
            )
        )
    return Conversion(document, lost, report, output=back, format=fmt.id)
