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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lxml import etree

from defa.einvoice import doctypes, jsonsafe, profiles, xmlsafe
from defa.einvoice._gc import paused_gc
from defa.einvoice.jsonsafe import looks_like_json
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.syntax import detect, detect_json, get, syntaxes
from defa.einvoice.syntax._xmlmap import Leaf, leaves
from defa.einvoice.syntax.cii_binding import ROOT_NODE as CII_ROOT
from defa.einvoice.syntax.ubl_binding import ROOT_NODE as UBL_ROOT
from defa.einvoice.xmlsafe import Source, parse, read_bytes
from defa.errors import DefaError, Issue, LookupFailed, Report, Severity

__all__ = ["Conversion", "Loss", "convert", "read_any", "read_document", "read_format"]

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


def read_format(
    source: etree._Element | Source, syntax: str | None = None, format_id: str | None = None
) -> tuple[profiles.Format | None, Invoice]:
    """Document bytes/text/path or a parsed root, read once by the reader that holds the most.

    A format with a reader of its own (MyInvois XML, PINT MY) is recognised from the parsed
    tree before the document is read: named by ``format_id``, or detected from the
    document's header (the terms of the root's own leaf elements, such as the specification
    id and the type code) and confirmed on the document it read. Then ``(format, document)``;
    otherwise ``(None, document)`` as its syntax reads it, for
    :func:`~defa.einvoice.profiles.identify` to name the format, as before, with no second
    read. Raises what the readers raise for input that cannot be read.
    """
    if isinstance(source, etree._Element):
        root = source
    else:
        data = read_bytes(source)
        chosen = get(syntax) if syntax else None
        if chosen.media == "json" if chosen is not None else looks_like_json(data):
            return None, read_any(data, syntax)
        root = parse(data)
    name = get(syntax).name if syntax else detect(root)
    fmt = _reader_format(root, name, format_id)
    if fmt is not None and fmt.read is not None:
        doc = fmt.read(root)
        if format_id or _detected(doc) is fmt:
            return fmt, doc
    return None, syntaxes()[name].read(root)


def read_document(source: etree._Element | Invoice | Source, syntax: str | None = None) -> Invoice:
    """The document as its format reads it, the way :func:`convert` reads a source.

    A format with a reader of its own (MyInvois XML, PINT MY) reads what it recognises;
    anything else is read by its syntax and re-read by the format
    :func:`~defa.einvoice.profiles.identify` names, where that format has a reader. A model
    is taken as it is. Raises what the readers raise for input that cannot be read.
    """
    return source if isinstance(source, Invoice) else _read_source(source, syntax)[1]


def _read_source(
    source: etree._Element | Invoice | Source, syntax: str | None
) -> tuple[profiles.Format | None, Invoice]:
    """:func:`read_document`'s document, with its detected format (None if none is): the
    format the reading detected and confirmed, not detected again."""
    if isinstance(source, Invoice):
        return _detected(source), source
    known, doc = read_format(source, syntax)
    if known is not None:
        return known, doc  # detected on the document it read, and confirmed
    fmt, read = profiles.identify(doc)
    return (fmt if read is doc else _detected(read)), read


# A bound syntax's header: the term id and group (None: the document) of each leaf of its
# document element, by tag, and the tag patterns that find them among the root's children.
_Header = tuple[dict[str, tuple[str, str | None]], tuple[str, ...]]


@cache
def _header_leaves(syntax: str) -> _Header | None:
    """The leaves of a bound syntax's document element (``cbc:CustomizationID`` -> BT-24 in
    BG-2, ``cbc:InvoiceTypeCode`` -> BT-3, ...), where a format shows; None if it has none
    or no format of it has a reader of its own (nothing to tell apart before reading).

    Found among the root's children by one pattern per namespace (``{ns}*``): an element
    of such a namespace that is no leaf is passed over by its tag, and a matcher of one
    pattern costs lxml less to set up on every call than one of each leaf's name."""
    if syntax not in _BOUND or not any(
        f.read is not None and f.syntax == syntax for f in profiles.formats().values()
    ):
        return None
    table = {tag: (b.id, b.at) for tag, b in _BOUND[syntax].children if type(b) is Leaf}
    patterns = dict.fromkeys(
        f"{tag.partition('}')[0]}}}*" if tag.startswith("{") else tag for tag in table
    )
    return table, tuple(patterns)


def _detected(doc: Invoice) -> profiles.Format | None:
    try:
        return profiles.detect(doc)
    except DefaError:
        return None


def _reader_format(
    root: etree._Element, syntax: str, format_id: str | None
) -> profiles.Format | None:
    """The format with a reader of its own that ``root`` is in, if it is one of those.

    Detected on the document's header: the terms of the root's own leaves, taken straight
    from the tree (the specification id, the type code with its attributes), which is what
    formats are told apart by, at a fraction of a read's cost.
    """
    if format_id:
        key = format_id.strip().lower() if isinstance(format_id, str) else ""
        named = profiles.formats().get(key)  # an unknown id is refused by ``identify``
        return named if named is not None and named.read and named.syntax == syntax else None
    known = _header_leaves(syntax)
    if known is None:
        return None
    table, patterns = known
    header = Invoice(syntax=syntax)
    groups = header.groups
    for child in root.iterchildren(*patterns):  # filtered in lxml: no proxy for aggregates
        leaf = table.get(child.tag)
        if leaf is None:
            continue
        term_id, at = leaf
        if at is None:
            group: Group = header
        else:
            held = groups.get(at)
            if held:
                group = held[0]
            else:
                group = Group(at)
                groups.setdefault(at, []).append(group)
        items: Any = child.items()  # lxml gives str names and values, in document order
        term = Term(term_id, child.text or "", "", dict(items) if items else {})
        group.terms.setdefault(term_id, []).append(term)
    found = _detected(header)
    return found if found is not None and found.read is not None else None


def _bound_terms(target: str) -> frozenset[str]:
    ids: set[str] = set()
    for term_id, _path, leaf in leaves(_BOUND[target]):
        ids.add(term_id)
        ids.update(leaf.attrs.values())
    return frozenset(ids)


_TERMS_OF = {name: _bound_terms(name) for name in _BOUND}


def _index(group: Group, here: str, have: dict[tuple[str, str, str], list[Term]]) -> None:
    """Every term under ``group`` by (group path, id, value), with the path of group ids
    above it (``INVOICE/BG-25/BG-31``), in document-model order: a group's terms, then its
    groups, depth first. A key's list is made on its first term, not by a default
    factory: most keys have one term."""
    for terms in group.terms.values():
        for t in terms:
            key = (here, t.id, t.text)
            found = have.get(key)
            if found is None:
                have[key] = [t]
            else:
                found.append(t)
    for groups in group.groups.values():
        for g in groups:
            _index(g, f"{here}/{g.id}", have)


def _derived(key: str, value: str, currencies: tuple[str | None, ...]) -> bool:
    """Attributes the target puts back by itself: an amount's ``currencyID`` that is the
    document's (BT-5) or tax accounting (BT-6) currency, and notes of the reader (``@...``)."""
    if key.startswith("@"):
        return True
    return key == "currencyID" and value in currencies


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
    CII note's subject code (BT-21), and back. Copy on write: groups and terms that need no
    change (all of them, between formats of one syntax) are shared with ``doc``, which is
    left as it was.
    """
    source = doc.syntax
    currency = doc.value("BT-5") if target == "cii" else None
    bt8 = _BT8.get((source, target), {})
    notes = target != source  # the note groups (BG-1) are rewritten in place: copied

    if currency is None and not bt8 and not notes:
        return doc.reshaped(doc.terms, doc.groups)  # nothing to change
    body = doc.retermed(_recoder(currency, bt8)) if currency is not None or bt8 else doc
    groups = body.groups
    if notes and "BG-1" in groups:  # every binding has the notes under the document
        groups = {**groups, "BG-1": [_note_copy(note, source, target) for note in groups["BG-1"]]}
    return doc.reshaped(body.terms, groups)


# Amounts whose currencyID CII keeps: the VAT total in accounting currency, and its currency.
_CII_CURRENCY_KEPT = frozenset(("BT-110", "BT-111"))


def _recoder(
    currency: str | None, bt8: Mapping[str, str]
) -> Callable[[Group], dict[str, list[Term]] | None]:
    """A :meth:`Group.retermed` change: a group's terms as :func:`_prepare` says them in the
    target syntax, without a ``currencyID`` that is ``currency`` (CII derives it; not on
    BT-110 or BT-111), BT-8 coded by ``bt8``; None when none changed. A term with no attrs
    is passed over in a few steps (most terms, and every term of most groups, have none);
    only the ids that change are copied."""

    def terms_of(group: Group) -> dict[str, list[Term]] | None:
        found = group.terms
        terms: dict[str, list[Term]] | None = None
        if currency is not None:
            for tid, occurrences in found.items():
                for t in occurrences:
                    attrs = t.attrs
                    if attrs and attrs.get("currencyID") == currency:
                        if tid not in _CII_CURRENCY_KEPT:
                            terms = terms if terms is not None else dict(found)
                            terms[tid] = _stripped(occurrences, currency)
                        break
        if bt8 and "BT-8" in found:
            coded = _coded((terms or found)["BT-8"], bt8)
            if coded is not None:
                terms = terms if terms is not None else dict(found)
                terms["BT-8"] = coded
        return terms

    return terms_of


def _stripped(found: list[Term], currency: str) -> list[Term]:
    """The occurrences of a term, each whose ``currencyID`` is ``currency`` a copy without
    it, the others as they are."""
    out = list(found)
    for i, t in enumerate(found):
        attrs = t.attrs
        if attrs and attrs.get("currencyID") == currency:
            attrs = dict(attrs)
            del attrs["currencyID"]
            out[i] = Term(t.id, t.text, t.loc, attrs)
    return out


def _coded(found: list[Term], bt8: Mapping[str, str]) -> list[Term] | None:
    """BT-8's occurrences with their codes translated by ``bt8`` (each that changes a
    copy, attrs copied too); None when none changes."""
    out: list[Term] | None = None
    for i, t in enumerate(found):
        text = bt8.get(t.text.strip(), t.text)
        if text is not t.text:
            out = out if out is not None else list(found)
            out[i] = Term(t.id, text, t.loc, dict(t.attrs))
    return out


def _note_copy(note: Group, source: str, target: str) -> Group:
    """A copy of a note (BG-1, its terms copied too) with its subject as the target says it."""
    into = Group(note.id, note.loc)
    for tid, found in note.terms.items():
        into.terms[tid] = [Term(t.id, t.text, t.loc, dict(t.attrs)) for t in found]
    into.groups = note.groups
    _move_note_subject(into, source, target)
    return into


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


def _same(a: Group, b: Group, kinds: dict[str, bool]) -> bool:
    """Whether ``b`` holds exactly what ``a`` holds: the same groups in the same order, and
    in each the same occurrences of the same terms (text and attrs), each term id either
    always or never read from an attribute (``kinds``). Then the loss account of ``a``
    against ``b`` pairs every term with its own twin and finds nothing: no need to index."""
    a_terms = a.terms
    b_terms = b.terms
    # the same term ids (compared in C): each twin list is then found by subscript
    if a_terms.keys() != b_terms.keys() or len(a.groups) != len(b.groups):
        return False
    for tid, found in a_terms.items():
        others = b_terms[tid]
        if len(found) == 1:  # most terms: compared without a loop
            if len(others) != 1:
                return False
            t = found[0]
            u = others[0]
            if t.text != u.text or t.attrs != u.attrs:
                return False
            sub = "@" in t.loc and "/@" in t.loc  # a one-character search first: cheaper
            if kinds.setdefault(tid, sub) is not sub:
                return False
            continue
        if len(others) != len(found):
            return False
        for t, u in zip(found, others, strict=True):
            if t.text != u.text or t.attrs != u.attrs:
                return False
            sub = "@" in t.loc and "/@" in t.loc
            if kinds.setdefault(tid, sub) is not sub:
                return False
    b_groups = b.groups
    for gid, subs in a.groups.items():
        others_g = b_groups.get(gid)
        if others_g is None or len(others_g) != len(subs):
            return False
        if len(subs) == 1:  # most groups: compared without a zip
            g = subs[0]
            h = others_g[0]
            if g.id != h.id or not _same(g, h, kinds):
                return False
            continue
        for g, h in zip(subs, others_g, strict=True):
            if g.id != h.id or not _same(g, h, kinds):
                return False
    return True


def losses(
    source: Invoice, result: Invoice, target: str, terms: frozenset[str] | None = None
) -> list[Loss]:
    """Every value of ``source`` that ``result`` (read back from the target) lacks.

    Terms are matched by group path, id and value. Sub-terms read from attributes go
    with their term: when the term is lost, so is its attribute, whatever equal value
    another occurrence may have left in the result.
    """
    if source.id == result.id and _same(source, result, {}):
        return []  # every term is its twin's: what the account below would find
    return _full_losses(source, result, target, terms)


def _account(
    group: Group,
    here: str,
    have_get: Callable[[tuple[str, str, str]], list[Term] | None],
    subs: list[tuple[str, Term]],
    paired: Callable[[Term, Term], None],
    lost: Callable[[Term, str], None],
) -> None:
    """:func:`_full_losses` on the terms under ``group``, in :func:`_index`'s order: each
    paired with its twin (most with nothing left to say) or ``lost``; the sub-terms put in
    ``subs``, since whether their term is carried is known only after the walk."""
    for occurrences in group.terms.values():
        for t in occurrences:
            if "@" in t.loc and "/@" in t.loc:  # a one-character search first: cheaper
                subs.append((here, t))
                continue
            matches = have_get((here, t.id, t.text))
            if not matches:
                lost(t, "")
            elif t.attrs:
                twin = matches.pop(0)
                if twin.attrs != t.attrs:  # equal attrs: nothing to say, no call
                    paired(t, twin)
            else:
                del matches[0]
    for groups in group.groups.values():
        for g in groups:
            _account(g, f"{here}/{g.id}", have_get, subs, paired, lost)


def _full_losses(
    source: Invoice, result: Invoice, target: str, terms: frozenset[str] | None
) -> list[Loss]:
    """The account :func:`losses` gives, term by term: the terms in :func:`_index`'s
    order, then the sub-terms that hang on them (loc ``.../@name``), each paired with the
    first term of the result not yet paired that has its group path, id and value."""
    have: dict[tuple[str, str, str], list[Term]] = {}
    _index(result, result.id, have)
    have_get = have.get
    bound = _TERMS_OF.get(target) or terms or frozenset()
    name = target.upper()
    currencies = (source.value("BT-5"), source.value("BT-6"))  # derived again by the target
    found: list[Loss] = []
    lost_locs: dict[str, str] = {}  # loc -> id of the terms not carried
    subs: list[tuple[str, Term]] = []  # (group path, sub-term), for after the terms

    def paired(t: Term, twin: Term) -> None:
        for key, value in t.attrs.items():
            if twin.attrs.get(key) != value and not _derived(key, value, currencies):
                reason = f"{name} has no place for the {key!r} of {t.id}"
                found.append(Loss(f"{t.id}@{key}", t.loc, value, reason))

    def lost(t: Term, base: str) -> None:
        if t.loc:
            lost_locs[t.loc] = t.id
        if t.id not in bound:
            reason = f"the {name} binding of EN 16931 has no element for {t.id}"
        elif base and base in lost_locs:
            reason = f"{t.id} qualifies {lost_locs[base]}, which is not carried"
        else:
            reason = f"{name} holds {t.id} in fewer places or occurrences than the source"
        found.append(Loss(t.id, t.loc, t.text, reason))

    _account(source, source.id, have_get, subs, paired, lost)
    for path, t in subs:
        base = t.loc.rpartition("/@")[0]
        matches = None if base and base in lost_locs else have_get((path, t.id, t.text))
        if not matches:
            lost(t, base)
        elif t.attrs:
            twin = matches.pop(0)
            if twin.attrs != t.attrs:
                paired(t, twin)
        else:
            del matches[0]
    return found


@paused_gc()  # one pause for the read, the write, the read-back and the loss account
def convert(
    source: etree._Element | Invoice | Source,
    to: str = "ubl",
    *,
    syntax: str | None = None,
    self_billed: bool | None = None,
    tax_categories: Mapping[str, str] | None = None,
) -> Conversion:
    """Convert an invoice to format ``to`` (``"ubl"``, ``"cii"``, ``"peppol-bis3"``, a
    national format id such as ``"sg-pint"``; see :func:`defa.einvoice.profiles.format_ids`).

    ``source`` is an :class:`Invoice`, a parsed root, or document bytes/text/path in any
    known syntax (``syntax`` names it; by default it is detected). The model is adapted to
    the target syntax and format, written, read back, and every source value the result
    lacks is a :class:`Loss`. Raises the reader's :class:`~defa.errors.InputRejected` for
    input that cannot be read at all, ``LookupFailed`` for an unknown target.

    ``self_billed`` asks for a self-billed (True) or a billing (False) document; None keeps
    the source's own, and a self-billing format (``my-pint-selfbilling``) writes
    self-billed types (see :mod:`defa.einvoice.doctypes`). ``tax_categories`` settles tax
    categories the crosswalk leaves open (``{"S": "SR"}``), each checked against the
    target's category scheme (see :func:`defa.einvoice.profiles.with_tax_choices`).
    """
    fmt = profiles.get(to)
    target = get(fmt.syntax)
    billed = doctypes.self_billing_choice(fmt.id, self_billed)
    step = fmt.prepare
    if tax_categories:
        if step is None or not profiles.tax_schemes(step):
            raise LookupFailed(
                Issue(
                    "einvoice.tax_category_choice",
                    f"{fmt.id} maps no tax categories: there is nothing to choose",
                    loc="tax_categories",
                    ctx={"to": fmt.id},
                )
            )
        step = profiles.with_tax_choices(step, dict(tax_categories))
    # all the source format holds, not only its syntax, read once
    origin, doc = _read_source(source, syntax)  # origin: whose type codes BT-3 is in
    prepared = _prepare(doc, target.name)
    # BT-3 in UNTDID 1001, the model's scheme, for the format's own steps; a MyInvois
    # target states its own types after them. A binding with no element for BT-3 (vn-gdt,
    # ph-eis, id-efaktur) loses any type code: the loss account says so, once, not also
    # that the target has no code for this type
    scheme = doctypes.scheme_of(fmt.id)
    holds_type = "BT-3" in (_TERMS_OF.get(target.name) or target.terms or frozenset())
    prepared = doctypes.retype(
        prepared,
        doctypes.UNTDID_1001,
        billed,
        allowed=doctypes.SELF_BILLING_ONLY.get(fmt.id),
        target=fmt.id,
        report=holds_type and scheme == doctypes.UNTDID_1001,
        source=doctypes.scheme_of(origin.id) if origin is not None else None,
    )
    if step is not None:
        prepared = step(prepared)
    if scheme != doctypes.UNTDID_1001:
        prepared = doctypes.retype(prepared, scheme, billed, target=fmt.id, report=holds_type)
    # written as text (the engine's syntaxes straight from the binding walk) and parsed
    # once by the hardened parser: what is read back is what the document says
    document = (fmt.write or target.write)(prepared)
    if fmt.read is not None:
        back = fmt.read(xmlsafe.parse_written(document))
    elif target.media == "xml":
        back = target.read(xmlsafe.parse_written(document))
    else:
        back = read_any(document, target.name)
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
