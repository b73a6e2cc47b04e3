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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from defa import registry
from defa.einvoice.model import Group, Invoice, Term
from defa.errors import Issue, LookupFailed

__all__ = [
    "PEPPOL_BIS3_CUSTOMIZATION",
    "Format",
    "customization_is",
    "detect",
    "format_ids",
    "formats",
    "get",
    "identify",
    "set_customization",
    "specification_id",
]

PEPPOL_BIS3_CUSTOMIZATION = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
PEPPOL_BILLING_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def specification_id(doc: Invoice) -> str | None:
    """The specification identifier (BT-24, in the process-control group BG-2)."""
    control = doc.child("BG-2")
    return control.value("BT-24") if control is not None else None


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
    prepare: Callable[[Invoice], Invoice] | None = field(default=None, compare=False)
    # The format's own reader (of a parsed root) and writer, where it carries more than
    # its syntax's (e.g. MyInvois XML: UBL plus MyInvois-only fields).
    read: Callable[[Any], Invoice] | None = field(default=None, compare=False)
    write: Callable[[Invoice], bytes] | None = field(default=None, compare=False)
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


def customization_is(*prefixes: str) -> Callable[[Invoice], bool]:
    """A ``matches`` test: the specification identifier (BT-24) starts with one of these."""

    def test(doc: Invoice) -> bool:
        found = specification_id(doc)
        return found is not None and found.strip().startswith(prefixes)

    return test


def set_customization(
    customization: str, process: str | None = None
) -> Callable[[Invoice], Invoice]:
    """A ``prepare`` step: a copy of the document with BT-24 (and BT-23 if given) set."""

    def prepare(doc: Invoice) -> Invoice:
        # A shallow copy: only the process-control group (BG-2) is replaced.
        out = Invoice(kind=doc.kind, syntax=doc.syntax, tree=doc.tree)
        out.loc = doc.loc
        out.terms = doc.terms
        out.groups = dict(doc.groups)
        old = doc.child("BG-2")
        control = Group("BG-2", old.loc if old else "")
        if old is not None:
            control.terms = dict(old.terms)
        control.terms["BT-24"] = [Term("BT-24", customization)]
        if process is not None:
            control.terms["BT-23"] = [Term("BT-23", process)]
        out.groups["BG-2"] = [control]
        return out

    return prepare


_BUILT_IN: tuple[Format, ...] = (
    Format(
        "ubl",
        "UBL 2.1 invoice or credit note (EN 16931)",
        "ubl",
        "en16931",
        source="EN 16931-1:2017 and CEN/TS 16931-3-2 (UBL binding)",
    ),
    Format(
        "cii",
        "UN/CEFACT Cross Industry Invoice D16B (EN 16931)",
        "cii",
        "en16931",
        source="EN 16931-1:2017 and CEN/TS 16931-3-3 (CII binding)",
    ),
    Format(
        "peppol-bis3",
        "Peppol BIS Billing 3.0 (UBL)",
        "ubl",
        "peppol-bis3",
        specificity=10,
        matches=customization_is(PEPPOL_BIS3_CUSTOMIZATION),
        prepare=set_customization(PEPPOL_BIS3_CUSTOMIZATION, PEPPOL_BILLING_PROCESS),
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


def detect(doc: Invoice) -> Format:
    """The most specific format of ``doc``'s syntax whose ``matches`` accepts it."""
    candidates = sorted(
        (f for f in formats().values() if f.syntax == doc.syntax),
        key=lambda f: -f.specificity,
    )
    for fmt in candidates:
        if fmt.matches(doc):
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
    format reads it: re-read with the format's own reader where it has one."""
    fmt = get(format_id) if format_id else detect(doc)
    if fmt.read is not None and doc.tree is not None and doc.syntax == fmt.syntax:
        doc = fmt.read(doc.tree)
    return fmt, doc
