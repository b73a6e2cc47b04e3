"""Tax and business identifiers: one interface for every member's schemes.

A scheme (Singapore's UEN, Thailand's TIN, the Philippine TIN, ...) offers the four
functions python-stdnum made familiar, plus a report-returning ``check``:

- ``compact(value)``: the value without separators, upper-cased;
- ``validate(value)``: the compact value, or ``ValidationError`` saying why it is invalid;
- ``is_valid(value)``: ``validate`` as a boolean;
- ``format(value)``: the value as printed by its issuer;
- ``check(value)``: a :class:`~defa.errors.Report` that never raises.

Schemes come in three kinds, all built on :class:`Scheme`:

- :class:`StdnumScheme` wraps a python-stdnum module (checksums where the issuer has one);
- :class:`PatternScheme` checks a published national format that has no check digit;
- :class:`UnpublishedScheme` is for identifiers whose format no public source states: it
  accepts any plausible value with an ``id.format_unpublished`` warning, and never invents
  a check digit.

Each country profile (``defa.countries.<cc>.ids``) lists its schemes in ``SCHEMES`` and
names the tax and business-registration ones in ``ROLES`` (``{"tin": ..., "brn": ...}``);
:func:`scheme` resolves ``(country, name_or_role)`` to a scheme.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from stdnum import exceptions as stdnum_exc

from defa import registry
from defa.errors import Issue, LookupFailed, Report, Severity, ValidationError

__all__ = [
    "MAX_INPUT",
    "PatternScheme",
    "Scheme",
    "StdnumScheme",
    "UnpublishedScheme",
    "all_schemes",
    "scheme",
    "schemes",
]

#: Inputs longer than this (in characters) are not read at all: no identifier comes close.
MAX_INPUT = 256

# Separators people write inside identifiers; removed by the default compaction.
_SEPARATORS = re.compile(r"[\s\-./:_,]+")
_ALNUM = re.compile(r"[0-9A-Z]+")


@dataclass(frozen=True)
class Scheme(ABC):
    """An identifier scheme of one country. Subclasses implement :meth:`_problems`."""

    country: str  # ISO 3166 alpha-2, upper case
    name: str  # short id within the country: "uen", "tin", "nib", ...
    title: str  # the issuer's own name for it
    source: str  # where the format comes from (law, issuer page, spec)
    verified: bool = field(default=True, init=False)  # False: no published format to check

    # -- the public functions -------------------------------------------------------------

    def compact(self, value: str) -> str:
        """Remove separators and upper-case; raise only for input that is not text."""
        text = self._accept(value)
        return self._compact(text)

    def check(self, value: object) -> Report:
        """Every issue with ``value``; ``meta`` holds ``compact`` and ``formatted`` if valid."""
        report = Report(meta={"country": self.country, "scheme": self.name})
        try:
            compacted = self.compact(value)  # type: ignore[arg-type]
        except ValidationError as exc:
            report.extend(exc.issues)
            return report
        report.extend(self._pre_issues(compacted) or self._problems(compacted))
        if report.valid:
            report.meta["compact"] = compacted
            report.meta["formatted"] = self._format(compacted)
        return report

    def validate(self, value: str) -> str:
        """Return the compact value, or raise ``ValidationError`` with every issue."""
        report = self.check(value)
        report.raise_for_errors()
        return str(report.meta["compact"])

    def is_valid(self, value: str) -> bool:
        return self.check(value).valid

    def format(self, value: str) -> str:
        """The value in its issuer's printed form; raises ``ValidationError`` if invalid."""
        return self._format(self.validate(value))

    def describe(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "scheme": self.name,
            "title": self.title,
            "verified": self.verified,
            "source": self.source,
        }

    # -- for subclasses ------------------------------------------------------------------

    def _compact(self, text: str) -> str:
        return _SEPARATORS.sub("", text).upper()

    @abstractmethod
    def _problems(self, compacted: str) -> list[Issue]:
        """The issues with an already compacted, non-empty, ASCII alphanumeric value."""

    def _format(self, compacted: str) -> str:
        return compacted

    def issue(self, code: str, msg: str, severity: Severity = Severity.ERROR) -> Issue:
        return Issue(
            code,
            f"{self.country} {self.title}: {msg}",
            loc="value",
            severity=severity,
            country=self.country,
            spec=self.source,
        )

    # -- shared guards -------------------------------------------------------------------

    def _accept(self, value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(self.issue("id.invalid_format", "the value must be text"))
        if len(value) > MAX_INPUT:
            raise ValidationError(
                self.issue("id.too_long", f"{len(value)} characters; at most {MAX_INPUT} are read")
            )
        return value

    def _pre_issues(self, compacted: str) -> list[Issue]:
        if not compacted:
            return [self.issue("id.empty", "no characters left after removing separators")]
        if not _ALNUM.fullmatch(compacted):
            return [
                self.issue("id.invalid_characters", "only the letters A-Z and digits may occur")
            ]
        return []


# stdnum's exception classes mapped to our stable codes, most specific first.
_STDNUM_CODES: tuple[tuple[type[Exception], str], ...] = (
    (stdnum_exc.InvalidChecksum, "id.invalid_checksum"),
    (stdnum_exc.InvalidLength, "id.invalid_length"),
    (stdnum_exc.InvalidComponent, "id.invalid_component"),
    (stdnum_exc.InvalidFormat, "id.invalid_format"),
)


@dataclass(frozen=True)
class StdnumScheme(Scheme):
    """A scheme checked by a python-stdnum module (``validate``/``format``/``compact``)."""

    module: ModuleType | None = None

    def _mod(self) -> ModuleType:
        assert self.module is not None, "StdnumScheme needs a module"
        return self.module

    def _compact(self, text: str) -> str:
        # stdnum's own compaction knows which characters its scheme keeps.
        return str(self._mod().compact(text)).upper()

    def _problems(self, compacted: str) -> list[Issue]:
        try:
            self._mod().validate(compacted)
        except stdnum_exc.ValidationError as exc:
            code = next((c for t, c in _STDNUM_CODES if isinstance(exc, t)), "id.invalid_format")
            return [self.issue(code, str(exc).rstrip(".").lower())]
        except (ValueError, LookupError, TypeError, ArithmeticError):
            # A stdnum module that trips over a value it should have refused must not let
            # a foreign exception escape our API: the value is reported as malformed.
            return [self.issue("id.invalid_format", "the value cannot be read as this scheme")]
        return []

    def _format(self, compacted: str) -> str:
        formatter: Callable[[str], str] | None = getattr(self._mod(), "format", None)
        return str(formatter(compacted)) if formatter else compacted


@dataclass(frozen=True)
class PatternScheme(Scheme):
    """A published national format with no check digit: lengths and a regular expression.

    ``pattern`` is matched against the compact value; ``lengths`` (if given) are checked
    first so the error says what is wrong; ``layout`` prints the value: each ``#`` takes
    the next character (e.g. ``"###-###-###-#####"``), the rest is literal, and it applies
    only when the value has as many characters as the layout has ``#``.
    ``extra`` adds scheme-specific checks (a component that must be in a code list, ...).
    """

    pattern: str = ""
    lengths: tuple[int, ...] = ()
    layouts: tuple[str, ...] = ()
    extra: Callable[[Scheme, str], list[Issue]] | None = None
    _compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", re.compile(self.pattern))

    def _problems(self, compacted: str) -> list[Issue]:
        if self.lengths and len(compacted) not in self.lengths:
            allowed = " or ".join(str(n) for n in self.lengths)
            return [
                self.issue("id.invalid_length", f"{len(compacted)} characters, expected {allowed}")
            ]
        if not self._compiled.fullmatch(compacted):
            return [self.issue("id.invalid_format", "does not match the published format")]
        return self.extra(self, compacted) if self.extra else []

    def _format(self, compacted: str) -> str:
        return _apply_layout(self.layouts, compacted)


def _apply_layout(layouts: tuple[str, ...], compacted: str) -> str:
    """Print ``compacted`` through the first layout with as many ``#`` as it has characters."""
    for layout in layouts:
        if layout.count("#") == len(compacted):
            chars = iter(compacted)
            return "".join(next(chars) if c == "#" else c for c in layout)
    return compacted


@dataclass(frozen=True)
class UnpublishedScheme(Scheme):
    """An identifier whose format no public source states.

    Any value of plausible length made of letters and digits is accepted with an
    ``id.format_unpublished`` warning; nothing is checked that the issuer has not published.
    ``layouts`` (as in :class:`PatternScheme`) only changes how ``format`` prints a value
    whose length matches the way the issuer is seen to print it; it never makes a value
    valid or invalid.
    """

    max_length: int = 20
    layouts: tuple[str, ...] = ()
    verified: bool = field(default=False, init=False)

    def _problems(self, compacted: str) -> list[Issue]:
        if len(compacted) > self.max_length:
            return [
                self.issue(
                    "id.invalid_length",
                    f"{len(compacted)} characters; no identifier of this kind exceeds "
                    f"{self.max_length}",
                )
            ]
        return [
            self.issue(
                "id.format_unpublished",
                "no official format is published; the value was accepted without verification",
                Severity.WARNING,
            )
        ]

    def _format(self, compacted: str) -> str:
        return _apply_layout(self.layouts, compacted)


# -- lookup through the country profiles ---------------------------------------------------


def schemes(cc: str) -> Mapping[str, Scheme]:
    """The schemes of a country, by name."""
    module = registry.profile(cc, "ids")
    found: Mapping[str, Scheme] = module.SCHEMES
    return found


def roles(cc: str) -> Mapping[str, str]:
    """Which scheme serves as the country's ``tin`` and (if any) ``brn``."""
    found: Mapping[str, str] = registry.profile(cc, "ids").ROLES
    return found


def scheme(cc: str, name: str = "tin") -> Scheme:
    """The scheme ``name`` of country ``cc``; ``tin`` and ``brn`` name the role's scheme."""
    by_name = schemes(cc)
    key = name.strip().lower() if isinstance(name, str) else ""
    key = roles(cc).get(key, key)
    if key not in by_name:
        country = registry.normalize_country(cc).upper()
        offered = sorted({*by_name, *roles(cc)})
        raise LookupFailed(
            Issue(
                "registry.unknown_scheme",
                f"{country} has no identifier scheme {name!r:.40}; it has: {', '.join(offered)}",
                loc="scheme",
                country=country,
                ctx={"offered": offered},
            )
        )
    return by_name[key]


def all_schemes() -> list[Scheme]:
    """Every scheme of every country profile that offers identifiers."""
    return [
        s
        for cc in registry.countries()
        if "ids" in registry.capabilities(cc)
        for s in schemes(cc).values()
    ]
