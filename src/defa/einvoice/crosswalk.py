"""Tax category crosswalk between EN 16931, SG GST, MY SST (PINT MY), MyInvois, TH, VN, ID, PH.

The facts are dated data (``data/einvoice/tax-crosswalk.toml``, id
``einvoice-tax-crosswalk``): each row is one tax treatment with the codes each scheme uses
for it. :func:`map_category` collects every target code of the rows holding the source
code and never picks one silently::

    >>> from datetime import date
    >>> m = map_category("ZR", "sg-gst", "en16931", date(2026, 1, 1))
    >>> m.candidates, m.ambiguous, m.value
    (('Z', 'G'), True, None)
    >>> map_category("S", "en16931", "sg-gst", date(2026, 1, 1)).value is None
    True
    >>> map_category("0%", "vn-vat", "th-vat", date(2026, 1, 1)).value
    'zero'
    >>> map_category("KHAC:5.26%", "vn-vat", "en16931", date(2026, 1, 1)).candidates
    ('S',)

A mapping is ambiguous when there are several candidates, none, or a row on the way is
flagged (``reasons`` says why); ``value`` is the one code only when it is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from defa import data
from defa.errors import Issue, LookupFailed

__all__ = ["CategoryMapping", "map_category", "scheme_codes", "schemes"]

DATA_ID = "einvoice-tax-crosswalk"

_CONFIDENCE_ORDER = ("official", "reasoned", "approximate")


@dataclass(frozen=True, slots=True)
class CategoryMapping:
    """The answer for one code: every candidate, and whether a choice is left open."""

    code: str
    from_scheme: str
    to_scheme: str
    candidates: tuple[str, ...]
    ambiguous: bool
    reasons: tuple[str, ...]
    rows: tuple[str, ...]  # the ids of the crosswalk rows used
    confidence: str  # the weakest confidence of the rows used
    version: str  # the crosswalk data version

    @property
    def value(self) -> str | None:
        """The target code when the mapping is one to one, else None."""
        return self.candidates[0] if not self.ambiguous else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "from": self.from_scheme,
            "to": self.to_scheme,
            "candidates": list(self.candidates),
            "ambiguous": self.ambiguous,
            "value": self.value,
            "reasons": list(self.reasons),
            "rows": list(self.rows),
            "confidence": self.confidence,
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    schemes: Mapping[str, frozenset[str]]
    prefixes: Mapping[str, tuple[str, ...]]  # codes that carry a value after a colon
    rows: tuple[Mapping[str, Any], ...]


@cache
def _table(version_path: str) -> _Table:
    found = next(f for f in data.versions(DATA_ID) if f.path == version_path)
    schemes = {
        name: frozenset(str(c) for c in spec.get("codes", ()))
        for name, spec in found.content.get("schemes", {}).items()
    }
    prefixes = {
        name: tuple(str(p) for p in spec.get("prefixes", ()))
        for name, spec in found.content.get("schemes", {}).items()
    }
    return _Table(found.meta.version, schemes, prefixes, tuple(found.content.get("rows", ())))


def _load(as_of: date | None) -> _Table:
    return _table(data.load(DATA_ID, as_of).path)


def schemes(as_of: date | None = None) -> dict[str, frozenset[str]]:
    """Every scheme of the crosswalk in force on ``as_of``, with its codes."""
    return dict(_load(as_of).schemes)


# One entry per scheme and date asked (a long-running process meets a new date every day).
@lru_cache(maxsize=64)
def scheme_codes(scheme: str, as_of: date) -> frozenset[str]:
    """The codes of ``scheme`` in the crosswalk in force on ``as_of``, without copying the
    table as :func:`schemes` does (``einvoice.unknown_tax_scheme`` if there is no such
    scheme)."""
    return _scheme(_load(as_of), scheme, "scheme")


def _scheme(table: _Table, name: str, role: str) -> frozenset[str]:
    codes = table.schemes.get(name) if isinstance(name, str) else None
    if codes is None:
        raise LookupFailed(
            Issue(
                "einvoice.unknown_tax_scheme",
                f"no tax-category scheme {name!r:.40}; known: {', '.join(sorted(table.schemes))}",
                loc=role,
            )
        )
    return codes


def map_category(
    code: str, from_scheme: str, to_scheme: str, as_of: date | None = None
) -> CategoryMapping:
    """Map a tax category code between schemes, with every candidate and the ambiguity.

    Raises :class:`~defa.errors.LookupFailed` (``einvoice.unknown_tax_scheme``,
    ``einvoice.unknown_tax_category``) for a scheme or code the crosswalk does not have,
    and ``NotInForce`` when no version of the crosswalk covers ``as_of``.
    """
    table = _load(as_of)
    known = _scheme(table, from_scheme, "from_scheme")
    _scheme(table, to_scheme, "to_scheme")
    wanted = code.strip() if isinstance(code, str) else ""
    head = wanted.partition(":")[0]
    if head in table.prefixes.get(from_scheme, ()):
        wanted = head  # "KHAC:5.26%" is the code KHAC with its rate
    if wanted not in known:
        raise LookupFailed(
            Issue(
                "einvoice.unknown_tax_category",
                f"{code!r:.40} is not a {from_scheme} code; known: {', '.join(sorted(known))}",
                loc="code",
            )
        )
    matching = [row for row in table.rows if wanted in row.get(from_scheme, ())]
    # Rows with nothing in the target scheme say nothing about it, unless no row does.
    contributing = [row for row in matching if row.get(to_scheme)] or matching
    candidates: list[str] = []
    reasons: list[str] = []
    weakest = 0
    for row in contributing:
        # A flag may not concern schemes that share the treatment exactly (MyInvois and
        # PINT MY both name Malaysia's sales tax): ``exact_within`` lists them.
        exact_within = row.get("exact_within", ())
        exact = from_scheme in exact_within and to_scheme in exact_within
        level = "reasoned" if exact else str(row.get("confidence", "approximate"))
        weakest = max(weakest, _CONFIDENCE_ORDER.index(level))
        if row.get("ambiguous") and not exact:
            reasons.append(str(row.get("reason", f"row {row['id']} is marked ambiguous")))
        for target in row.get(to_scheme, ()):
            if target not in candidates:
                candidates.append(str(target))
    used = [str(row["id"]) for row in contributing]
    if not candidates:
        reasons.append(f"{to_scheme} has no code for {from_scheme} {wanted}")
    elif len(candidates) > 1:
        reasons.append(f"{to_scheme} has {len(candidates)} codes for {from_scheme} {wanted}")
    return CategoryMapping(
        code=wanted,
        from_scheme=from_scheme,
        to_scheme=to_scheme,
        candidates=tuple(candidates),
        ambiguous=bool(reasons),
        reasons=tuple(reasons),
        rows=tuple(used),
        confidence=_CONFIDENCE_ORDER[weakest],
        version=table.version,
    )
