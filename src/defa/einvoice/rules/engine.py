"""The native rule engine: rules are data with identity, run on the semantic model.

A rule has its upstream id verbatim (``BR-CO-15``, ``PEPPOL-EN16931-R008``, ``UBL-CR-001``),
the upstream severity, our own message, the business terms it reads, and the rule set it
belongs to. Its check is a plain function that takes the document and yields the places
where the rule fails: a :class:`~defa.einvoice.model.Group` or
:class:`~defa.einvoice.model.Term` (its ``loc`` is used), or a ``str`` location, optionally
paired with a context mapping (``(where, {"expected": ...})``)::

    EN16931 = RuleSet("en16931", "1.3.16", valid_from=date(2017, 10, 1), ...)

    @EN16931.rule("BR-01", "error", "An invoice shall have a specification identifier (BT-24).",
                  terms=("BT-24",))
    def br_01(doc: Invoice) -> Findings:
        if not doc.has("BT-24"):
            yield doc

Rules bound to one syntax (UBL-CR-*, CII-SR-*) declare ``syntax="ubl"`` and read
``doc.tree``; they run only on documents read from that syntax.
A rule set may build on others (``bases``): Peppol BIS 3 runs the EN 16931 rules too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

from defa.einvoice.model import Group, Invoice, Term
from defa.errors import Issue, LookupFailed, NotInForce, Report, Severity

__all__ = [
    "Findings",
    "Rule",
    "RuleSet",
    "rule_set",
    "rule_sets",
    "run",
]

Where: TypeAlias = Group | Term | str
Finding: TypeAlias = Where | tuple[Where, Mapping[str, Any]]
Findings: TypeAlias = Iterator[Finding]
CheckFn: TypeAlias = Callable[[Invoice], Iterable[Finding]]

_SEVERITY = {"error": Severity.ERROR, "fatal": Severity.ERROR, "warning": Severity.WARNING}


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: identity, severity, message, and the function that finds failures."""

    id: str
    severity: Severity
    message: str
    terms: tuple[str, ...]
    rule_set: str
    check: CheckFn = field(repr=False, compare=False)
    syntax: str | None = None  # run only on documents read from this syntax


@dataclass(slots=True)
class RuleSet:
    """A versioned, dated collection of rules with a stable id."""

    id: str
    version: str
    title: str
    source: str  # the published artefacts the rules are implemented from
    valid_from: date
    valid_to: date | None = None
    bases: tuple[str, ...] = ()
    rules: dict[str, Rule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _REGISTRY[self.id] = self

    def rule(
        self,
        rule_id: str,
        severity: str,
        message: str,
        *,
        terms: tuple[str, ...] = (),
        syntax: str | None = None,
    ) -> Callable[[CheckFn], CheckFn]:
        """Decorator: register ``func`` as the check of rule ``rule_id``."""

        def register(func: CheckFn) -> CheckFn:
            if rule_id in self.rules:
                raise ValueError(f"rule {rule_id} is defined twice in {self.id}")
            self.rules[rule_id] = Rule(
                rule_id, _SEVERITY[severity], message, terms, self.id, func, syntax
            )
            return func

        return register

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "source": self.source,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "rules": len(self.rules),
        }


_REGISTRY: dict[str, RuleSet] = {}


def rule_sets() -> Mapping[str, RuleSet]:
    """Every rule set defined so far, by id (import the rule pack modules first)."""
    return _REGISTRY


def rule_set(set_id: str) -> RuleSet:
    """The rule set with this id; ``LookupFailed`` (``einvoice.unknown_rules``) if none."""
    found = _REGISTRY.get(set_id)
    if found is None:
        raise LookupFailed(
            Issue(
                "einvoice.unknown_rules",
                f"no rule set {set_id!r:.60}; known: {', '.join(sorted(_REGISTRY))}",
                loc="rules",
            )
        )
    return found


def _chain(set_id: str, seen: dict[str, RuleSet]) -> None:
    """Collect a rule set and its bases, bases first."""
    rs = rule_set(set_id)
    for base in rs.bases:
        _chain(base, seen)
    seen.setdefault(rs.id, rs)


def resolve(set_id: str, on: date) -> list[RuleSet]:
    """The rule sets to run for ``set_id`` on a date: its bases first, then itself."""
    chain: dict[str, RuleSet] = {}
    _chain(set_id, chain)
    stale = [rs for rs in chain.values() if not rs.in_force(on)]
    if stale:
        rs = stale[0]
        raise NotInForce(
            Issue(
                "data.not_in_force",
                f"rule set {rs.id} {rs.version} is in force from {rs.valid_from.isoformat()}"
                f"{' to ' + rs.valid_to.isoformat() if rs.valid_to else ''}, "
                f"not on {on.isoformat()}",
                loc="as_of",
            )
        )
    return list(chain.values())


def _issue(rule: Rule, finding: Finding) -> Issue:
    where, ctx = finding if isinstance(finding, tuple) else (finding, {})
    loc = where if isinstance(where, str) else where.loc
    return Issue(
        "einvoice.rule",
        rule.message,
        loc=loc,
        severity=rule.severity,
        rule_id=rule.id,
        spec=rule.rule_set,
        ctx=ctx,
    )


def run(doc: Invoice, sets: Iterable[RuleSet], report: Report | None = None) -> Report:
    """Run every rule of ``sets`` that applies to ``doc``'s syntax; collect the findings."""
    report = report if report is not None else Report()
    for rs in sets:
        for rule in rs.rules.values():
            if rule.syntax is not None and rule.syntax != doc.syntax:
                continue
            for finding in rule.check(doc):
                report.add(_issue(rule, finding))
    return report
