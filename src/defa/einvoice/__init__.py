"""Interoperable e-invoicing: the EN 16931 semantic model, syntaxes and rule packs.

Every syntax is read into one model keyed by EN 16931 business terms, checked by rule sets
written against that model, and written back from it::

    from defa import einvoice

    doc = einvoice.read(xml_bytes)                      # UBL or CII, detected
    doc.value("BT-1"), doc.children("BG-25")[0].decimal("BT-131")
    report = einvoice.check(xml_bytes, rules="peppol-bis3")
    result = einvoice.convert(xml_bytes, to="cii")      # result.document, result.losses

``check`` never raises on bad input: a hostile, unreadable or unrecognised document gives
a report holding the issue. ``validate`` raises :class:`~defa.errors.ValidationError`
carrying the same issues.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from lxml import etree

from defa.einvoice import profiles
from defa.einvoice._gc import paused_gc
from defa.einvoice.convert import Conversion, Loss, read_any, read_format
from defa.einvoice.convert import convert as _convert
from defa.einvoice.model import Group, Invoice, Term
from defa.einvoice.syntax import get
from defa.einvoice.xmlsafe import Source
from defa.errors import DefaError, Issue, LookupFailed, NotInForce, Report, Severity

if TYPE_CHECKING:
    from defa.einvoice.rules.engine import RuleSet

__all__ = [
    "Conversion",
    "Group",
    "Invoice",
    "Loss",
    "Term",
    "check",
    "convert",
    "formats",
    "read",
    "validate",
    "write",
]


#: No rule set named: ``check`` detects the document's format and applies its rules.
DEFAULT_RULES: str | None = None


def formats() -> list[str]:
    """The format ids :func:`convert` takes as ``to`` (and ``check`` detects)."""
    return profiles.format_ids()


def read(source: etree._Element | Source, syntax: str | None = None) -> Invoice:
    """Read an invoice (XML bytes, text, a path, or a parsed root) into the model.

    The syntax is detected from the document element unless ``syntax`` names it. Raises
    :class:`~defa.errors.InputRejected` (``xml.*``, ``input.too_large``,
    ``einvoice.unknown_syntax``) for input that cannot be read; elements that map to no
    business term are listed in ``Invoice.issues``, not raised.
    """
    return read_any(source, syntax)


def write(invoice: Invoice, syntax: str = "ubl") -> bytes:
    """The document in ``syntax`` (``"ubl"`` or ``"cii"``) holding the invoice's terms."""
    return get(syntax).write(invoice)


@paused_gc()  # one pause for the conversion and the output's check: see defa.einvoice._gc
def convert(
    source: etree._Element | Invoice | Source,
    to: str = "ubl",
    *,
    syntax: str | None = None,
    as_of: date | None = None,
    self_billed: bool | None = None,
    tax_categories: Mapping[str, str] | None = None,
) -> Conversion:
    """Convert an invoice to format ``to`` (see :func:`formats`).

    The result holds the document, every value not carried (``losses``, also listed as
    warnings in ``report``), and ``check``: the target format's rules run on the output
    (for ``as_of``, default the invoice's issue date).

    ``self_billed=True`` writes a self-billed document (MyInvois types 11 to 14, UNTDID
    389, 261, 527), ``False`` a billing one; by default the source's own is kept, and
    ``my-pint-selfbilling`` writes self-billed types. ``tax_categories`` maps source tax
    categories the crosswalk cannot map one to one to a code of the target's scheme
    (``{"S": "SR"}`` into ``sg-pint``); an unknown code raises
    :class:`~defa.errors.LookupFailed` (``einvoice.unknown_tax_category``), one the
    crosswalk does not give for that source code ``einvoice.tax_category_choice``.
    """
    result = _convert(
        source, to, syntax=syntax, self_billed=self_billed, tax_categories=tax_categories
    )
    if result.output is not None:
        # the output was read back by the target format's own reader: checked as it is
        fmt = profiles.get(result.format)
        try:
            result.check = _run(result.output, fmt.rules, as_of, {"rules": None, "format": fmt.id})
        except DefaError as exc:  # e.g. the target's rules are not in force on that date
            result.check = Report(list(exc.issues), {"format": result.format})
    return result


# (rules, date) -> the rule sets looked at, and why none were in force (no issues: they are
# the sets to run). Resolved once; an entry holds while its sets are the ones registered.
_RESOLVED: dict[tuple[str, date], tuple[list[RuleSet], tuple[Issue, ...]]] = {}


def _rule_sets(rules: str, on: date) -> list[RuleSet]:
    import defa.einvoice.rules  # noqa: F401  # registers every rule set (lazy: no cycle)
    from defa.einvoice.rules.engine import _chain, resolve, rule_sets

    known = rule_sets()
    found = _RESOLVED.get((rules, on))
    if found is None or any(known.get(rs.id) is not rs for rs in found[0]):
        try:
            found = (resolve(rules, on), ())
        except NotInForce as exc:
            chain: dict[str, RuleSet] = {}
            _chain(rules, chain)
            found = (list(chain.values()), exc.issues)
        if len(_RESOLVED) >= 1024:  # dates come from documents: bounded
            _RESOLVED.clear()
        _RESOLVED[rules, on] = found
    if found[1]:
        raise NotInForce(found[1])
    return list(found[0])


def _as_of(doc: Invoice, as_of: date | None) -> date:
    if as_of is not None:
        return as_of
    issued = doc.term("BT-2")
    found = issued.date() if issued is not None else None
    return found or date.today()


@paused_gc()  # one pause for the read and the run: see defa.einvoice._gc
def check(
    source: etree._Element | Invoice | Source,
    *,
    rules: str | None = DEFAULT_RULES,
    as_of: date | None = None,
    syntax: str | None = None,
    format: str | None = None,
) -> Report:
    """Read and check an invoice; never raises on bad input.

    Without ``rules``, the document's format is detected (or taken from ``format``) and
    its profile's rule sets are applied, and only those; ``rules`` names a rule set to run
    instead (with its bases). The rules in force on ``as_of`` are used; by default on the
    invoice's issue date (BT-2), and when no version we hold was in force then, today's,
    with an ``einvoice.rules_not_in_force`` warning. What cannot be read is reported. A
    rule set that does not exist, or is not in force on an explicit ``as_of``, is not a
    fault of the input and raises :class:`~defa.errors.LookupFailed` or
    :class:`~defa.errors.NotInForce`.
    ``report.meta`` names the format, syntax, rule sets with their versions, and the date.
    """
    if rules is not None and not rules.strip():
        # An empty id names no rule set: running none would pass any invoice.
        raise LookupFailed(
            Issue("einvoice.unknown_rules", "no rule set named: the rules id is empty", loc="rules")
        )
    meta: dict[str, Any] = {"rules": rules}
    known: profiles.Format | None = None
    try:
        if rules is None and not isinstance(source, Invoice):
            known, doc = read_format(source, syntax, format)  # read once, by its format
        else:
            doc = read_any(source, syntax)
    except DefaError as exc:
        if as_of is not None:
            meta["as_of"] = as_of.isoformat()
        return Report(list(exc.issues), meta)
    if rules is None:
        if known is None:
            known, doc = profiles.identify(doc, format)
        meta["format"] = known.id
        rules = known.rules
    return _run(doc, rules, as_of, meta)


def _run(doc: Invoice, rules: str | None, as_of: date | None, meta: dict[str, Any]) -> Report:
    """Run ``rules`` (with their bases) in force on ``as_of`` on a document read."""
    report = Report(list(doc.issues), meta)
    on = _as_of(doc, as_of)
    sets: list[RuleSet] = []
    if rules:
        try:
            sets = _rule_sets(rules, on)
        except NotInForce:
            if as_of is not None:
                raise
            # Dated by the document: it predates (or outlives) every version we hold.
            # Apply today's version and say so, rather than refuse to check it at all.
            today = date.today()
            sets = _rule_sets(rules, today)
            report.add(
                Issue(
                    "einvoice.rules_not_in_force",
                    f"no version of the {rules} rules was in force on the issue date "
                    f"{on.isoformat()}; the version in force on {today.isoformat()} was applied",
                    loc="as_of",
                    severity=Severity.WARNING,
                    ctx={"issue_date": on.isoformat(), "applied_on": today.isoformat()},
                )
            )
            on = today
    from defa.einvoice.rules.engine import run

    run(doc, sets, report)
    meta.update(
        {
            "rules": rules,
            "syntax": doc.syntax,
            "kind": doc.kind,
            "as_of": on.isoformat(),
            "rule_sets": [rs.describe() for rs in sets],
        }
    )
    return report


def validate(
    source: etree._Element | Invoice | Source,
    *,
    rules: str | None = None,
    as_of: date | None = None,
    syntax: str | None = None,
) -> Invoice:
    """Like :func:`check`, but raise :class:`~defa.errors.ValidationError` when invalid.

    Input that cannot be read raises :class:`~defa.errors.InputRejected` (a
    ``ValidationError``) with the issue ``check`` would report. Returns the invoice read
    when it is valid.
    """
    doc = read_any(source, syntax)
    check(doc, rules=rules, as_of=as_of).raise_for_errors()
    return doc
