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

A *family* is one check that finds the failures of many rules in one pass (a table of
restrictions, a code-list table): each member is still a rule of its own (id, severity,
message, rule set), but :func:`run` calls the family's check once per document instead of
each member's. The family check yields ``(rule_id, finding)`` pairs::

    EN16931.family("ubl-restrictions", restriction_findings, syntax="ubl")

    @EN16931.member("ubl-restrictions", "UBL-CR-001", "warning", "...")
    def ubl_cr_001(doc: Invoice) -> Findings: ...  # still callable on its own

Per rule set and syntax, the rules to run are worked out once (a *plan*) and reused. A rule
stated differently per syntax may word its message per syntax (:meth:`RuleSet.message_for`):
the plan carries the worded rule.

Where two rule sets state the same rule (a billing and a self-billing flavour that differ only
in the identifiers they require), :func:`rule_on` registers one check on each of them::

    @rule_on((MY_PINT, MY_PINT_SELFBILLING), "ibr-02-my", "fatal", "...", syntax="ubl")
    def ibr_02_my(doc: Invoice) -> Findings: ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeAlias

from mypy_extensions import mypyc_attr

from defa.einvoice._gc import paused_gc
from defa.einvoice.model import Group, Invoice, Term
from defa.errors import Issue, LookupFailed, NotInForce, Report, Severity

__all__ = [
    "Family",
    "FamilyFindings",
    "FamilyFn",
    "Findings",
    "Rule",
    "RuleSet",
    "rule_on",
    "rule_set",
    "rule_sets",
    "run",
]

Where: TypeAlias = Group | Term | str
Finding: TypeAlias = Where | tuple[Where, Mapping[str, Any]]
Findings: TypeAlias = Iterator[Finding]
CheckFn: TypeAlias = Callable[[Invoice], Iterable[Finding]]
FamilyFindings: TypeAlias = Iterable[tuple[str, Finding]]
FamilyFn: TypeAlias = Callable[[Invoice], FamilyFindings]

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
    family: str | None = None  # run through this family's check (see RuleSet.family)


@dataclass(frozen=True, slots=True)
class Family:
    """One check that reports the failures of many rules (its members) in one pass."""

    id: str
    rule_set: str
    check: FamilyFn = field(repr=False, compare=False)
    syntax: str | None = None  # run only on documents read from this syntax


# A step of a plan: a rule run on its own ``(rule, None, {})``, or a family with its members
# by id, each with its position among them ``(None, family, {rule_id: (position, rule)})``.
_Members: TypeAlias = dict[str, tuple[int, Rule]]
_Step: TypeAlias = tuple[Rule | None, Family | None, _Members]


# A national rule set may subclass it (MyInvois) in a build where this module is compiled.
@mypyc_attr(allow_interpreted_subclasses=True)
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
    families: dict[str, Family] = field(default_factory=dict)
    # syntax -> (rules and families counted when made, the steps): made on first run
    _plans: dict[str, tuple[int, list[_Step]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # rule id -> syntax -> its message on documents of that syntax (see message_for)
    _worded: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

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
        return self._register(rule_id, severity, message, terms, syntax, None)

    def member(
        self,
        family: str,
        rule_id: str,
        severity: str,
        message: str,
        *,
        terms: tuple[str, ...] = (),
    ) -> Callable[[CheckFn], CheckFn]:
        """Decorator: like :meth:`rule`, for a member of ``family`` (see :meth:`family`).

        :func:`run` finds this rule's failures through the family's check; ``func`` stays
        the rule's own check, for direct calls. The rule takes the family's syntax.
        """
        fam = self.families.get(family)
        if fam is None:
            raise ValueError(f"rule {rule_id}: no family {family!r} in {self.id}")
        return self._register(rule_id, severity, message, terms, fam.syntax, family)

    def _register(
        self,
        rule_id: str,
        severity: str,
        message: str,
        terms: tuple[str, ...],
        syntax: str | None,
        family: str | None,
    ) -> Callable[[CheckFn], CheckFn]:
        def register(func: CheckFn) -> CheckFn:
            if rule_id in self.rules:
                raise ValueError(f"rule {rule_id} is defined twice in {self.id}")
            self.rules[rule_id] = Rule(
                rule_id, _SEVERITY[severity], message, terms, self.id, func, syntax, family
            )
            self._plans.clear()
            return func

        return register

    def message_for(self, rule_id: str, syntax: str, message: str) -> None:
        """Word rule ``rule_id``'s message differently on documents of ``syntax`` (a rule
        stated differently per syntax). Plans carry the worded rule: it costs nothing per
        document."""
        if rule_id not in self.rules:
            raise ValueError(f"rule {rule_id} is not in {self.id}")
        self._worded.setdefault(rule_id, {})[syntax] = message
        self._plans.clear()

    def family(self, family_id: str, check: FamilyFn, *, syntax: str | None = None) -> Family:
        """Register a family: ``check`` yields ``(rule_id, finding)`` for its member rules.

        Members are registered afterwards with :meth:`member`; a finding
        for a rule that is not a member is a programming error (``ValueError`` in
        :func:`run`).
        """
        if family_id in self.families:
            raise ValueError(f"family {family_id} is defined twice in {self.id}")
        fam = self.families[family_id] = Family(family_id, self.id, check, syntax)
        self._plans.clear()
        return fam

    def plan(self, syntax: str) -> list[_Step]:
        """The steps :func:`run` takes for a document of ``syntax``, in registration order.

        Rules bound to another syntax are left out; a family's members are one step, at the
        place of its first member. Made once per syntax; remade if rules were added since.
        """
        size = len(self.rules) + len(self.families)
        cached = self._plans.get(syntax)
        if cached is not None and cached[0] == size:
            return cached[1]
        steps: list[_Step] = []
        members: dict[str, _Members] = {}
        for rule in self.rules.values():
            if rule.syntax is not None and rule.syntax != syntax:
                continue
            worded = self._worded.get(rule.id)
            if worded is not None and syntax in worded:
                rule = replace(rule, message=worded[syntax])
            if rule.family is None:
                steps.append((rule, None, {}))
                continue
            found = members.get(rule.family)
            if found is None:
                found = members[rule.family] = {}
                steps.append((None, self.families[rule.family], found))
            found[rule.id] = (len(found), rule)
        self._plans[syntax] = (size, steps)
        return steps

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


def rule_on(
    sets: Sequence[RuleSet],
    rule_id: str,
    severity: str,
    message: str,
    *,
    terms: tuple[str, ...] = (),
    syntax: str | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Decorator: register ``func`` as the check of rule ``rule_id`` on each of ``sets``.

    Each set gets a rule of its own (its ``rule_set`` is that set's id, so findings name the
    set that reported them); the check is written once. Sets are registered in the order
    given; a rule already in one of them is an error, as for :meth:`RuleSet.rule`.
    """
    if not sets:
        raise ValueError(f"rule {rule_id}: no rule sets to register it on")

    def register(func: CheckFn) -> CheckFn:
        for target in sets:
            target.rule(rule_id, severity, message, terms=terms, syntax=syntax)(func)
        return func

    return register


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


def _family_issues(family: Family, members: _Members, doc: Invoice) -> list[Issue]:
    """The issues of a family's findings, in the order of its members (as rule by rule)."""
    found: list[tuple[int, Issue]] = []
    for rule_id, finding in family.check(doc):
        member = members.get(rule_id)
        if member is None:
            raise ValueError(f"family {family.id} reported {rule_id}, not one of its rules")
        found.append((member[0], _issue(member[1], finding)))
    if len(found) > 1:
        found.sort(key=lambda pair: pair[0])  # stable: one rule's findings keep their order
    return [issue for _, issue in found]


def run(doc: Invoice, sets: Iterable[RuleSet], report: Report | None = None) -> Report:
    """Run every rule of ``sets`` that applies to ``doc``'s syntax; collect the findings."""
    report = report if report is not None else Report()
    add = report.add
    syntax = doc.syntax
    with paused_gc():  # the checks' facts and findings: see defa.einvoice._gc
        for rs in sets:
            for rule, family, members in rs.plan(syntax):
                if rule is not None:
                    for finding in rule.check(doc):
                        add(_issue(rule, finding))
                elif family is not None:
                    for issue in _family_issues(family, members, doc):
                        add(issue)
    return report
