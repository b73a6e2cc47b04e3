"""E-invoice formats: a syntax plus the profile that says which rules apply and how to write.

A *syntax* (``defa.einvoice.syntax``) reads bytes into the semantic model and writes the
model back (UBL, CII, and national syntaxes such as MyInvois JSON or ETDA XML). A *format*
is what a user names: ``peppol-bis3``, ``sg-pint``, ``my-myinvois-json``, ``th-etda``...
It says which syntax carries it, which rule set checks it, how to recognise a document of it
(``matches``), and how to adapt a model before writing it (``prepare``: set the
customization id, map tax categories, ...).

Formats come from the engine (``ubl``, ``cii``, ``peppol-bis3``) and from the national
profiles: each ``defa.countries.<cc>.einvoice`` module lists ``FORMATS`` (possibly empty,
with a ``STATEMENT`` saying why) and may add ``SYNTAXES`` of its own. Detection tries the
formats of the document's syntax from the most specific down.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from operator import is_
from typing import Any

from defa import registry
from defa.einvoice import crosswalk
from defa.einvoice import terms as catalogue
from defa.einvoice.model import ROOT, Group, GroupTree, Invoice, Term, not_carried
from defa.errors import Issue, LookupFailed

__all__ = [
    "CATEGORY_TERMS",
    "COUNTRY_TERMS",
    "PEPPOL_BIS3_CUSTOMIZATION",
    "Chain",
    "Format",
    "Prepare",
    "TaxCategoryMap",
    "chain",
    "control_group",
    "country_codes",
    "customization_is",
    "detect",
    "format_ids",
    "formats",
    "get",
    "identify",
    "map_tax_categories",
    "set_customization",
    "specification_id",
    "tax_schemes",
    "to_en16931",
    "today",
    "with_tax_choices",
]

PEPPOL_BIS3_CUSTOMIZATION = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
PEPPOL_BILLING_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def specification_id(doc: Invoice) -> str | None:
    """The specification identifier (BT-24, in the process-control group BG-2)."""
    control = doc.child("BG-2")
    return control.value("BT-24") if control is not None else None


Prepare = Callable[[Invoice], Invoice]
"""A ``prepare`` step: a copy of a document adapted to a format (the input is not changed)."""


def _any(_doc: Invoice) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Format:
    """One e-invoice format that ``check`` can recognise and ``convert`` can write.

    ``confidence`` says how the format is known: ``official`` (its publisher's own
    specification and artefacts), ``public-docs`` (built from public documentation, not
    from official artefacts), or ``unconfirmed``; ``notes`` says what could not be confirmed.
    """

    id: str
    title: str
    syntax: str  # the syntax id that reads and writes it
    rules: str | None  # the rule set id ``check`` applies (with its bases); None: none published
    country: str | None = None  # ISO alpha-2 of the national profile, None for international
    version: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    specificity: int = 0  # detection order: higher is tried first
    matches: Callable[[Invoice], bool] = field(default=_any, compare=False)
    prepare: Prepare | None = field(default=None, compare=False)
    # The format's own reader (of a parsed root) and writer, where it carries more than
    # its syntax's (e.g. MyInvois XML: UBL plus MyInvois-only fields).
    read: Callable[[Any], Invoice] | None = field(default=None, compare=False)
    write: Callable[[Invoice], bytes] | None = field(default=None, compare=False)
    # Whether a tree its syntax has read needs ``read`` again (None: always); a reader that
    # adds a few elements to its syntax's says when the tree holds any of them.
    rereads: Callable[[Any], bool] | None = field(default=None, compare=False)
    source: str = ""
    confidence: str = "official"
    notes: str = ""

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "syntax": self.syntax,
            "rules": self.rules,
            "country": self.country,
            "version": self.version,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "source": self.source,
            "confidence": self.confidence,
            "notes": self.notes,
        }


@dataclass(frozen=True, slots=True)
class _CustomizationIs:
    """The test :func:`customization_is` makes; :func:`detect` answers it without a call,
    from the specification id it reads once for every such test of its candidates."""

    prefixes: tuple[str, ...]

    def __call__(self, doc: Invoice) -> bool:
        found = specification_id(doc)
        return found is not None and found.strip().startswith(self.prefixes)


def customization_is(*prefixes: str) -> Callable[[Invoice], bool]:
    """A ``matches`` test: the specification identifier (BT-24) starts with one of these."""
    return _CustomizationIs(prefixes)


def control_group(
    doc: Invoice,
    customization: str,
    process: str | None = None,
    attrs: dict[str, str] | None = None,
) -> Group:
    """A copy of ``doc``'s process-control group (BG-2) with the specification identifier
    BT-24 (with ``attrs``) and, if given, the process BT-23 set."""
    old = doc.child("BG-2")
    control = Group("BG-2", old.loc if old else "")
    if old is not None:
        control.terms = dict(old.terms)
    control.terms["BT-24"] = [Term("BT-24", customization, attrs=dict(attrs or {}))]
    if process is not None:
        control.terms["BT-23"] = [Term("BT-23", process)]
    return control


def set_customization(customization: str, process: str | None = None) -> Prepare:
    """A ``prepare`` step: a copy of the document with BT-24 (and BT-23 if given) set."""

    def prepare(doc: Invoice) -> Invoice:
        # A shallow copy: only the process-control group (BG-2) is replaced.
        out = doc.reshaped(groups=dict(doc.groups), issues=list(doc.issues))
        out.groups["BG-2"] = [control_group(doc, customization, process)]
        return out

    return prepare


_Change = Callable[[str, list[Term]], list[Term] | None]


@cache
def _holders(ids: frozenset[str]) -> GroupTree | None:
    """The groups below a document that hold the terms ``ids``, for a walk to look through
    (:meth:`Group.rewritten`): each term's group and the groups above it, nested as
    EN 16931-1 and the model nest them (:data:`defa.einvoice.terms.MODEL_PARENT`); None,
    every group, when one of them is no EN 16931 term (a national term, held where its
    own binding puts it)."""
    known, groups = catalogue.terms(), catalogue.groups()
    tree: dict[str, Any] = {}
    for tid in sorted(ids):
        found = known.get(tid)
        if found is None:
            return None
        path: list[str] = []
        parent = catalogue.MODEL_PARENT.get(tid, found.parent)
        while parent != ROOT:
            group = groups.get(parent)
            if group is None or parent in path:
                return None
            path.append(parent)
            parent = catalogue.MODEL_PARENT.get(parent, group.parent)
        node = tree
        for gid in reversed(path):
            node = node.setdefault(gid, {})
    return tree


class _TermStep:
    """A ``prepare`` step that replaces occurrences of a few terms wherever they are (one
    :meth:`Group.rewritten` walk): :class:`Chain` runs consecutive such steps in one walk."""

    __slots__ = ()

    @property
    def ids(self) -> frozenset[str]:
        """The term ids the step looks at."""
        raise NotImplementedError

    def change(self, issues: list[Issue]) -> _Change:
        """The :meth:`Group.rewritten` change for one document, recording what it cannot
        carry in ``issues``."""
        raise NotImplementedError

    def __call__(self, doc: Invoice) -> Invoice:
        issues = list(doc.issues)
        # only the groups that can hold the terms are looked through; a group with nothing
        # changed in it (most of a document: parties, lines' items, ...) is shared
        body = doc.rewritten(self.change(issues), self.ids, _holders(self.ids))
        return doc.reshaped(body.terms, body.groups, issues)


@dataclass(frozen=True, slots=True)
class _TermSteps(_TermStep):
    """Term steps of disjoint ids run in one walk: the same output as one after the other,
    each seeing only its own terms (the issues in the order the walk meets the terms)."""

    steps: tuple[_TermStep, ...]
    _ids: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ids", frozenset().union(*(step.ids for step in self.steps)))

    @property
    def ids(self) -> frozenset[str]:
        return self._ids

    def change(self, issues: list[Issue]) -> _Change:
        by_id: dict[str, _Change] = {}
        for step in self.steps:
            found = step.change(issues)
            by_id.update(dict.fromkeys(step.ids, found))

        def change(tid: str, found: list[Term]) -> list[Term] | None:
            return by_id[tid](tid, found)

        return change


def _fused(steps: tuple[Prepare, ...]) -> tuple[Prepare, ...]:
    """``steps`` with each run of term steps of disjoint ids made one step."""
    out: list[Prepare] = []
    for step in steps:
        last = out[-1] if out else None
        if (
            isinstance(step, _TermStep)
            and isinstance(last, _TermStep)
            and last.ids.isdisjoint(step.ids)
        ):
            held = last.steps if isinstance(last, _TermSteps) else (last,)
            out[-1] = _TermSteps((*held, step))
        else:
            out.append(step)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Chain:
    """Prepare steps run in order (see :func:`chain`)."""

    steps: tuple[Prepare, ...]
    # what runs: consecutive term steps (tax categories, country codes) in one walk
    _run: tuple[Prepare, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_run", _fused(self.steps))

    def __call__(self, doc: Invoice) -> Invoice:
        out = doc
        seen: list[Issue] = list(doc.issues)
        # issues are told apart by identity (each step copies the list it was given); the
        # ids are stable, every issue being held in ``seen``
        known = {id(i) for i in seen}
        for step in self._run:
            out = step(out)
            for issue in out.issues:
                if id(issue) not in known:
                    known.add(id(issue))
                    seen.append(issue)
        out.issues = seen
        return out


def chain(*steps: Prepare) -> Prepare:
    """One ``prepare`` step that runs ``steps`` in order, each on the previous one's output.

    The issues each step records on its output (``Invoice.issues``) are kept to the end,
    even when a later step builds a fresh document, so that ``convert`` can report them.
    """
    return Chain(steps)


# The EN 16931 terms that hold a tax category code, each with the term that holds its rate:
# document-level breakdown (BG-23), line (BG-30), allowance (BG-20) and charge (BG-21).
CATEGORY_TERMS = {"BT-118": "BT-119", "BT-151": "BT-152", "BT-95": "BT-96", "BT-102": "BT-103"}
_CATEGORY_IDS = frozenset(CATEGORY_TERMS)
# The syntax value of the category's tax scheme, kept on the category term (UBL binding).
_TAX_SCHEME = "cac:TaxScheme/cbc:ID"
_DEFAULT_SCHEME = "VAT"
# The schemes a source code is read in, most general first: a code is taken to be of the
# first scheme that has it (EN 16931 "E" and MyInvois "E" name the same treatment).
_SOURCE_SCHEMES = ("en16931", "sg-gst", "my-sst", "myinvois")


def _replaced(found: list[Term], each: Callable[[Term], Term]) -> list[Term] | None:
    """``found`` with each occurrence as ``each`` gives it; None when it gives them all back."""
    out: list[Term] | None = None
    for i, term in enumerate(found):
        new = each(term)
        if new is not term:
            if out is None:
                out = list(found)
            out[i] = new
    return out


def _category_issue(term: Term, target: str, reason: str, candidates: tuple[str, ...]) -> Issue:
    return not_carried(
        term,
        f"not carried as a {target} tax category: {reason}",
        to_scheme=target,
        candidates=list(candidates),
    )


# The local day ``today`` holds: its first second and the next day's (timestamps).
_day: tuple[float, float, date] = (0.0, 0.0, date.min)


def today() -> date:
    """Today's local date, as ``date.today()`` gives it, for the steps that follow the data
    in force today. The clock's time is converted to a local date once a day, not once a
    document: the conversion costs more than a small document's tax category mapping. (A
    change of the process's time zone is followed from the next local midnight.)"""
    global _day
    now = time.time()
    start, end, day = _day
    if start <= now < end:
        return day
    day = date.fromtimestamp(now)
    following = day + timedelta(days=1)
    start = datetime(day.year, day.month, day.day).timestamp()
    end = datetime(following.year, following.month, following.day).timestamp()
    _day = (start, end, day)
    return day


_Table = dict[str, frozenset[str]]
_Names = tuple[str, ...]


# Crosswalk answers, once per date they are asked for (the data is packaged). A step's
# ``as_of`` None is resolved to today's date each time it runs, so that a long-running
# process follows a new crosswalk version from its first day; the caches are bounded, a
# process meeting a new date every day.
@lru_cache(maxsize=256)
def _scheme_table(to_scheme: str, from_schemes: _Names, as_of: date) -> tuple[_Table, _Names]:
    table = crosswalk.schemes(as_of)
    if to_scheme not in table:
        crosswalk.map_category("", to_scheme, to_scheme, as_of)  # raises unknown_tax_scheme
    sources = tuple(s for s in from_schemes if s != to_scheme and s in table)
    return table, sources


@lru_cache(maxsize=4096)
def _mapping(code: str, origin: str, to_scheme: str, as_of: date) -> crosswalk.CategoryMapping:
    return crosswalk.map_category(code, origin, to_scheme, as_of)


# codes come from documents (any text): a bounded cache
@lru_cache(maxsize=1024)
def _resolved(
    code: str, to_scheme: str, from_schemes: _Names, as_of: date
) -> tuple[str | None, str, tuple[str, ...]]:
    """A source code not of ``to_scheme``: the code it maps to, or None with why (and the
    candidates), read in the first of ``from_schemes`` that has it."""
    table, sources = _scheme_table(to_scheme, from_schemes, as_of)
    origin = next((s for s in sources if code in table[s]), None)
    if origin is None:
        return None, "no known scheme has it", ()
    found = _mapping(code, origin, to_scheme, as_of)
    if found.value is None:
        reason = "; ".join(dict.fromkeys(found.reasons))  # rows may share a reason
        return None, reason, found.candidates
    return found.value, "", ()


def _choice_issue(code: str, chosen: str, msg: str, ctx: dict[str, Any]) -> LookupFailed:
    return LookupFailed(
        Issue("einvoice.tax_category_choice", msg, loc=f"tax_categories.{code[:20]}", ctx=ctx)
    )


@dataclass(frozen=True, slots=True, eq=False)
class TaxCategoryMap(_TermStep):
    """A ``prepare`` step mapping tax category codes into one crosswalk scheme; see
    :func:`map_tax_categories`. ``choices`` (source code -> target code) settle the
    mappings the crosswalk leaves open; :meth:`choosing` validates and sets them."""

    to_scheme: str
    tax_scheme: str | None = None
    from_schemes: tuple[str, ...] = _SOURCE_SCHEMES
    as_of: date | None = None
    choices: tuple[tuple[str, str], ...] = ()

    def choosing(self, choices: dict[str, str]) -> TaxCategoryMap:
        """This step with the caller's ``choices`` for source categories.

        Each chosen code must be a code of the target scheme (else ``LookupFailed``
        ``einvoice.unknown_tax_category``) and, where the crosswalk has candidates for the
        source code, one of them (else ``einvoice.tax_category_choice``): a standard-rated
        ``S`` may become ``SR`` or ``DS``, never a zero rate.
        """
        as_of = self.as_of or today()
        table, sources = _scheme_table(self.to_scheme, self.from_schemes, as_of)
        targets = table[self.to_scheme]
        kept: dict[str, str] = {}
        for key, value in choices.items():
            code = key.strip() if isinstance(key, str) else ""
            chosen = value.strip() if isinstance(value, str) else ""
            if chosen not in targets:
                raise LookupFailed(
                    Issue(
                        "einvoice.unknown_tax_category",
                        f"{chosen!r:.40} (chosen for {code!r:.20}) is not a {self.to_scheme} "
                        f"code; known: {', '.join(sorted(targets))}",
                        loc=f"tax_categories.{code[:20]}",
                        ctx={"code": code, "chosen": chosen, "to_scheme": self.to_scheme},
                    )
                )
            ctx: dict[str, Any] = {"code": code, "chosen": chosen, "to_scheme": self.to_scheme}
            if not code:
                raise _choice_issue(code, chosen, "a tax category choice names no code", ctx)
            if code in targets:
                if chosen != code:
                    raise _choice_issue(
                        code,
                        chosen,
                        f"{code} is a {self.to_scheme} code and is kept as it is, "
                        f"not made {chosen}",
                        ctx,
                    )
                continue
            origin = next((s for s in sources if code in table[s]), None)
            if origin is not None:
                found = _mapping(code, origin, self.to_scheme, as_of)
                if found.candidates and chosen not in found.candidates:
                    raise _choice_issue(
                        code,
                        chosen,
                        f"{self.to_scheme} {chosen} is not a treatment the crosswalk gives "
                        f"for {origin} {code} (candidates: {', '.join(found.candidates)})",
                        {**ctx, "from_scheme": origin, "candidates": list(found.candidates)},
                    )
            kept[code] = chosen
        return replace(self, choices=tuple(kept.items()))

    @property
    def ids(self) -> frozenset[str]:
        return _CATEGORY_IDS

    def change(self, issues: list[Issue]) -> _Change:
        # today's crosswalk is the one in force on the day the step runs, not on its first
        as_of = self.as_of or today()
        to_scheme, tax_scheme, from_schemes = self.to_scheme, self.tax_scheme, self.from_schemes
        # an unknown scheme is refused whatever the document holds
        targets = _scheme_table(to_scheme, from_schemes, as_of)[0][to_scheme]
        choices = dict(self.choices)
        # the codes a document repeats (a breakdown's and its lines' categories): one look-up
        resolved: dict[str, tuple[str | None, str, tuple[str, ...]]] = {}

        def mapped(term: Term) -> Term:
            code = term.text.strip()
            if code not in targets:
                chosen = choices.get(code)
                if chosen is not None:
                    code = chosen  # the caller's choice (checked by ``choosing``)
                else:
                    found = resolved.get(code)
                    if found is None:
                        found = resolved[code] = _resolved(code, to_scheme, from_schemes, as_of)
                    value, reason, candidates = found
                    if value is None:
                        issues.append(_category_issue(term, to_scheme, reason, candidates))
                        return term
                    code = value
            attrs = term.attrs
            if tax_scheme == _DEFAULT_SCHEME:
                if _TAX_SCHEME in attrs:  # the binding writes VAT when no other id is kept
                    attrs = {k: v for k, v in attrs.items() if k != _TAX_SCHEME}
            elif tax_scheme is not None and attrs.get(_TAX_SCHEME) != tax_scheme:
                attrs = {**attrs, _TAX_SCHEME: tax_scheme}
            if code == term.text and attrs is term.attrs:
                return term
            return Term(term.id, code, term.loc, dict(attrs))

        def change(tid: str, found: list[Term]) -> list[Term] | None:
            return _replaced(found, mapped)

        return change


def map_tax_categories(
    to_scheme: str,
    *,
    tax_scheme: str | None = None,
    from_schemes: tuple[str, ...] = _SOURCE_SCHEMES,
    as_of: date | None = None,
) -> Prepare:
    """A ``prepare`` step: tax category codes (BT-118, BT-151, BT-95, BT-102, in the
    groups EN 16931-1 puts them in) rewritten into the crosswalk scheme ``to_scheme``
    where the mapping is one to one.

    A code the target scheme already has is kept. Otherwise it is read in the first of
    ``from_schemes`` that has it and mapped with :func:`crosswalk.map_category` (the
    crosswalk in force on ``as_of``, by default today's). An ambiguous mapping (several
    candidates, none, or a flagged row) or a code no scheme knows leaves the value as it
    was and records an ``einvoice.value_not_carried`` warning with the candidates: the
    choice is the sender's, never guessed (a caller settles it with
    :func:`with_tax_choices`). ``tax_scheme`` (e.g. ``GST``) is set as the category's tax
    scheme id where the code is, or has become, one of the target's (``VAT``, the UBL
    binding's default, by keeping no other id).
    """
    return TaxCategoryMap(to_scheme, tax_scheme, from_schemes, as_of)


def tax_schemes(step: Prepare | None) -> list[str]:
    """The crosswalk schemes a ``prepare`` step maps tax categories into, in order."""
    if isinstance(step, TaxCategoryMap):
        return [step.to_scheme]
    if isinstance(step, Chain):
        return [s for sub in step.steps for s in tax_schemes(sub)]
    return []


def with_tax_choices(step: Prepare, choices: dict[str, str]) -> Prepare:
    """``step`` with the caller's tax category ``choices`` (source code -> target code) in
    each of its tax category mappings, validated (see :meth:`TaxCategoryMap.choosing`)."""
    if isinstance(step, TaxCategoryMap):
        return step.choosing(choices)
    if isinstance(step, Chain):
        return Chain(tuple(with_tax_choices(s, choices) for s in step.steps))
    return step


# The terms that hold a country code: seller (BT-40), buyer (BT-55), tax representative
# (BT-69), deliver-to (BT-80) addresses and an item's country of origin (BT-159). EN 16931
# and PINT state them in ISO 3166-1 alpha-2; MyInvois writes alpha-3 (``MYS``).
COUNTRY_TERMS = frozenset(("BT-40", "BT-55", "BT-69", "BT-80", "BT-159"))


# codes come from documents (any text): a bounded cache
@lru_cache(maxsize=1024)
def _country_code(code: str, length: int) -> str | None:
    """``code`` (an ISO 3166-1 alpha-2 or alpha-3 code) in the form of ``length`` letters,
    or None when it is already so or is no such code."""
    if len(code) not in (2, 3) or len(code) == length or not code.isalpha() or not code.isascii():
        return None
    import pycountry  # the members' data already depends on it

    try:
        if len(code) == 3:
            found = pycountry.countries.get(alpha_3=code.upper())
        else:
            found = pycountry.countries.get(alpha_2=code.upper())
    except (KeyError, LookupError):
        return None
    value = getattr(found, "alpha_2" if length == 2 else "alpha_3", None)
    return value if isinstance(value, str) else None


def _recoded(length: int) -> Callable[[Term], Term]:
    """An occurrence with its country code in the form of ``length`` letters (the same
    occurrence when it is so already or is no ISO code)."""

    def recoded(term: Term) -> Term:
        code = _country_code(term.text.strip(), length)
        return Term(term.id, code, term.loc, dict(term.attrs)) if code else term

    return recoded


@dataclass(frozen=True, slots=True)
class _CountryCodes(_TermStep):
    """The step :func:`country_codes` makes."""

    which: frozenset[str]
    letters: int

    @property
    def ids(self) -> frozenset[str]:
        return self.which

    def change(self, issues: list[Issue]) -> _Change:
        recoded = _recoded(self.letters)

        def change(tid: str, found: list[Term]) -> list[Term] | None:
            return _replaced(found, recoded)

        return change

    def __call__(self, doc: Invoice) -> Invoice:
        body = doc.rewritten(self.change([]), self.which, _holders(self.which))
        if body is doc:
            return doc
        return doc.reshaped(body.terms, body.groups, list(doc.issues))


def country_codes(letters: int, terms: Iterable[str] = COUNTRY_TERMS) -> Prepare:
    """A ``prepare`` step: ISO 3166-1 country codes in ``terms`` (by default
    :data:`COUNTRY_TERMS`; a format adds its own, such as MyInvois's shipping recipient
    country) written with ``letters`` letters: 2 as EN 16931 and PINT state them (``MY``;
    BR-CL-14, BR-CL-15, PINT ibr-cl-14, ibr-cl-15), 3 as MyInvois does (``MYS``). The change
    is the same country, so it is no loss; a value that is no ISO code is left as it is."""
    if letters not in (2, 3):
        raise ValueError(f"country codes have 2 or 3 letters, not {letters}")
    return _CountryCodes(frozenset(terms), letters)


# EN 16931 documents state VAT categories of UNTDID 5305 (BR-CL-17, BR-CL-18): national
# codes (PINT SG SR, PINT MY E, ...) are mapped where the crosswalk is one to one.
to_en16931 = map_tax_categories("en16931", tax_scheme="VAT")

_BUILT_IN: tuple[Format, ...] = (
    Format(
        "ubl",
        "UBL 2.1 invoice or credit note (EN 16931)",
        "ubl",
        "en16931",
        prepare=to_en16931,
        source="EN 16931-1:2017 and CEN/TS 16931-3-2 (UBL binding)",
    ),
    Format(
        "cii",
        "UN/CEFACT Cross Industry Invoice D16B (EN 16931)",
        "cii",
        "en16931",
        prepare=to_en16931,
        source="EN 16931-1:2017 and CEN/TS 16931-3-3 (CII binding)",
    ),
    Format(
        "peppol-bis3",
        "Peppol BIS Billing 3.0 (UBL)",
        "ubl",
        "peppol-bis3",
        specificity=10,
        matches=customization_is(PEPPOL_BIS3_CUSTOMIZATION),
        prepare=chain(
            set_customization(PEPPOL_BIS3_CUSTOMIZATION, PEPPOL_BILLING_PROCESS), to_en16931
        ),
        source="OpenPeppol BIS Billing 3.0",
    ),
)


def _national() -> Iterable[Format]:
    for cc in registry.countries():
        if "einvoice" in registry.capabilities(cc):
            yield from registry.profile(cc, "einvoice").FORMATS


@cache
def formats() -> dict[str, Format]:
    """Every format, by id: the engine's, then each national profile's."""
    found: dict[str, Format] = {}
    for fmt in (*_BUILT_IN, *_national()):
        if fmt.id in found:
            raise ValueError(f"format id {fmt.id} is defined twice")
        found[fmt.id] = fmt
    return found


def format_ids() -> list[str]:
    return sorted(formats())


def get(format_id: str) -> Format:
    """The format with this id; ``LookupFailed`` (``einvoice.unknown_format``) if none."""
    key = format_id.strip().lower() if isinstance(format_id, str) else ""
    found = formats().get(key)
    if found is None:
        raise LookupFailed(
            Issue(
                "einvoice.unknown_format",
                f"no e-invoice format {format_id!r:.40}; known: {', '.join(format_ids())}",
                loc="format",
            )
        )
    return found


# A syntax's formats in detection order, each with the prefixes of its specification id
# test (``customization_is``) or None, and the registry's formats they were sorted from:
# reused while ``formats()`` holds those very objects in that order.
_Candidates = tuple[tuple[Format, tuple[str, ...] | None], ...]
_ORDER: dict[str, tuple[tuple[Format, ...], _Candidates]] = {}


def _candidates(syntax: str) -> _Candidates:
    """The formats of ``syntax``, the most specific first (stable: registry order among
    equals), sorted once for each state of the registry."""
    every = tuple(formats().values())
    held = _ORDER.get(syntax)
    # compared by identity: formats that are equal may still differ in ``matches``
    if held is not None and len(held[0]) == len(every) and all(map(is_, held[0], every)):
        return held[1]
    order = sorted((f for f in every if f.syntax == syntax), key=lambda f: -f.specificity)
    found = tuple(
        (f, f.matches.prefixes if f.matches.__class__ is _CustomizationIs else None) for f in order
    )
    if len(_ORDER) >= 64:  # syntax names of documents built in code: a bounded set
        _ORDER.clear()
    _ORDER[syntax] = (every, found)
    return found


def detect(doc: Invoice) -> Format:
    """The most specific format of ``doc``'s syntax whose ``matches`` accepts it."""
    spec: str | None = None
    read = False  # whether ``spec`` holds the document's stripped specification id
    for fmt, prefixes in _candidates(doc.syntax):
        if prefixes is None:
            if fmt.matches(doc):
                return fmt
            continue
        # what the ``customization_is`` test answers, with BT-24 found once for all
        if not read:
            found = specification_id(doc)
            spec = found.strip() if found is not None else None
            read = True
        if spec is not None and spec.startswith(prefixes):
            return fmt
    raise LookupFailed(
        Issue(
            "einvoice.unknown_format",
            f"no format is known for documents of syntax {doc.syntax!r}",
            loc="format",
        )
    )


def identify(doc: Invoice, format_id: str | None = None) -> tuple[Format, Invoice]:
    """The document's format (``format_id``, else detected) and the document as that
    format reads it: re-read with the format's own reader where it has one (and, for a
    format that says which trees need it, ``rereads``, where the tree needs it)."""
    fmt = get(format_id) if format_id else detect(doc)
    read, tree, rereads = fmt.read, doc.tree, fmt.rereads
    if (
        read is not None
        and tree is not None
        and doc.syntax == fmt.syntax
        and (rereads is None or rereads(tree))
    ):
        doc = read(tree)
    return fmt, doc
