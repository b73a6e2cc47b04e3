"""Peppol BIS Billing 3.0 rules (May 2025 release, 3.0.19), on top of EN 16931, native.

Written from the published Schematron (``specs/einvoice/peppol-bis3``:
``PEPPOL-EN16931-UBL.sch`` and ``PEPPOL-EN16931-CII.sch``); rule ids and severities are
upstream's verbatim (``fatal`` is reported as an error), messages are our own.

Peppol states these rules against syntax paths (a UBL and a CII Schematron with the same
ids), and its unit tests judge path-level detail (elements outside their usual parent,
attributes, empty elements), so each rule has an implementation per syntax, reading the
parsed tree through one shared, indexed view (``defa.einvoice.rules._tree``); the rule
dispatches on the document's syntax (see docs/adr/0002-peppol-rules-on-the-syntax-tree.md):

- ``document``: process and specification ids, parties, tax totals, currencies, dates.
- ``lines``: allowances and charges, invoice lines, line periods, prices.
- ``codelists``: code list rules (CL*) and type-code and exemption-reason rules (P*).
- ``identifiers``: identifier formats by ICD/EAS scheme (PEPPOL-COMMON-R040 ... R050).
- ``national_*``: the country rules of the release (NO, DK, SE, IS, IT, GR, NL, DE).
- ``syntax_cii``, ``syntax_cii_lines``: the same rules' CII statements, for CII documents,
  and ``syntax_cii_national`` (NO, DK, IT, SE, NL: the countries the CII artefact covers).

The release was published in May 2025 and is mandatory in the Peppol network from
25 August 2025, which is its ``valid_from``.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TypeAlias

from defa.einvoice.model import Invoice
from defa.einvoice.rules.engine import CheckFn, Finding, RuleSet

PEPPOL_BIS3 = RuleSet(
    "peppol-bis3",
    "3.0.19",
    title="Peppol BIS Billing 3.0 rules and code lists (May 2025 release, 2025-Q2)",
    source="OpenPEPPOL/peppol-bis-invoice-3, release 3.0.19 (2025-Q2): rules/sch/"
    "PEPPOL-EN16931-UBL.sch, PEPPOL-EN16931-CII.sch and rules/codelist; "
    "https://docs.peppol.eu/poacc/billing/3.0/2025-Q2/",
    valid_from=date(2025, 8, 25),
    bases=("en16931",),
)

# A rule's scope: a cheap test of the document that holds whenever the rule can find
# anything in it (a national rule's country). Out of scope, the family skips the rule.
Scope: TypeAlias = Callable[[Invoice], bool]

# syntax -> its implementation, per rule id
_IMPLEMENTATIONS: dict[str, dict[str, CheckFn]] = {}
# rule id -> syntax -> the scope of that implementation (unscoped implementations absent)
_SCOPES: dict[str, dict[str, Scope]] = {}
# syntax -> runs of consecutive implementations sharing a scope (None: unscoped), each run
# its (rule id, implementation) pairs in registration order: what the family runs
_BY_SYNTAX: dict[str, list[tuple[Scope | None, list[tuple[str, CheckFn]]]]] = {}


def _findings(doc: Invoice) -> Iterator[tuple[str, Finding]]:
    """The findings of every Peppol rule implemented for ``doc``'s syntax, in one call.

    Rules with no implementation for the syntax are not visited at all, nor rules whose
    scope does not hold for ``doc`` (each scope is asked once per document).
    """
    verdicts: dict[Scope, bool] = {}
    for scope, rules in _BY_SYNTAX.get(doc.syntax, ()):
        if scope is not None:
            inside = verdicts.get(scope)
            if inside is None:
                inside = verdicts[scope] = scope(doc)
            if not inside:
                continue
        for rule_id, impl in rules:
            for finding in impl(doc):
                yield rule_id, finding


# The engine runs the Peppol rules as one family; each stays a rule of its own, and its own
# check (the dispatch below) still works when called directly.
PEPPOL_BIS3.family("peppol-bis3", _findings)


def rule(
    rule_id: str,
    severity: str,
    message: str,
    *,
    terms: tuple[str, ...] = (),
    syntax: str,
    scope: Scope | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Decorator: register ``syntax``'s implementation of the Peppol rule ``rule_id``.

    Peppol states each rule once per syntax (a UBL and a CII Schematron, same ids). The rule
    set holds one rule per id; its check runs the implementation for the document's syntax
    and finds nothing on a syntax the rule has no implementation for. Severity and message
    are those of the first registration (the UBL modules are imported before the CII ones,
    which may leave the message empty).

    ``scope``, when given, must be a necessary condition of any finding of the
    implementation: the family run skips the rule for documents it is false for (direct
    calls of the rule's check do not consult it). Rules of one scope registered one after
    the other share one test per document.
    """

    def register(func: CheckFn) -> CheckFn:
        impls = _IMPLEMENTATIONS.get(rule_id)
        if impls is None:
            if not message:
                raise ValueError(f"{rule_id}: the first implementation must give the message")
            impls = _IMPLEMENTATIONS[rule_id] = {}
            chosen = impls

            def check(doc: Invoice) -> Iterable[Finding]:
                found = chosen.get(doc.syntax)
                return found(doc) if found is not None else ()

            check.__name__ = f"{rule_id}:dispatch"
            PEPPOL_BIS3.member("peppol-bis3", rule_id, severity, message, terms=terms)(check)
        if syntax in impls:
            raise ValueError(f"{rule_id} has two {syntax} implementations")
        impls[syntax] = func
        if scope is not None:
            _SCOPES.setdefault(rule_id, {})[syntax] = scope
        runs = _BY_SYNTAX.setdefault(syntax, [])
        if runs and runs[-1][0] is scope:
            runs[-1][1].append((rule_id, func))
        else:
            runs.append((scope, [(rule_id, func)]))
        return func

    return register


def scope_of(rule_id: str, syntax: str) -> Scope | None:
    """The scope of rule ``rule_id``'s implementation for ``syntax``; None when unscoped."""
    return _SCOPES.get(rule_id, {}).get(syntax)


def syntaxes(rule_id: str) -> frozenset[str]:
    """The syntaxes rule ``rule_id`` is implemented for (``ubl``, ``cii``)."""
    return frozenset(_IMPLEMENTATIONS.get(rule_id, ()))


# The rule modules register themselves on PEPPOL_BIS3 when imported.
from defa.einvoice.rules.peppol import (  # noqa: E402
    codelists,
    document,
    identifiers,
    lines,
    national_de,
    national_it_gr,
    national_nl,
    national_no_dk,
    national_se_is,
    syntax_cii,
    syntax_cii_lines,
    syntax_cii_national,
)

__all__ = [
    "PEPPOL_BIS3",
    "Scope",
    "codelists",
    "document",
    "identifiers",
    "lines",
    "national_de",
    "national_it_gr",
    "national_nl",
    "national_no_dk",
    "national_se_is",
    "rule",
    "scope_of",
    "syntax_cii",
    "syntax_cii_lines",
    "syntax_cii_national",
    "syntaxes",
]
