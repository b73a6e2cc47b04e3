"""ETDA's XML schemas (e-Tax Invoice 2.0), found beside the project and compiled once.

ETDA publishes the XSDs (``XMLSchemaV2``, in ETDA/XMLValidation) with a copyright notice and
no stated licence to redistribute them, and they embed UN/CEFACT's notice that forbids
modified copies; DEFA therefore does not ship them. They are read from the first folder
holding ``XMLSchemaV2/ETDA/data/standard``:

1. ``$DEFA_ETDA_SCHEMAS``;
2. ``$DEFA_SHARED/specs/einvoice/etda``;
3. ``../shared/specs/einvoice/etda`` beside the working directory, then beside the source tree.

Imports between the schema files are resolved inside that folder only: the parser has network
access, DTDs and entities off, and a resolver refuses any other location. A schema found
nowhere is not an error of the document: :func:`schema_issues` then returns one warning
(``einvoice.schema_missing``) and reading goes on.
"""

from __future__ import annotations

import os
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from defa.countries.th.etda.binding import ram, rsm
from defa.errors import Issue, Severity

__all__ = ["MAX_ERRORS", "schema", "schema_dirs", "schema_issues", "schema_root"]

_SPEC_DIR = ("specs", "einvoice", "etda")
_STANDARD = ("XMLSchemaV2", "ETDA", "data", "standard")
#: At most this many schema errors are reported for one document.
MAX_ERRORS = 50
# One compiled schema serves every thread; lxml keeps a validator's error log on the object,
# so validations take turns.
_LOCK = threading.Lock()
_LONG_SET = re.compile(r"the set \{[^}]{200,}(?:\}|$)")


def schema_dirs() -> list[Path]:
    """The folders looked in, in order."""
    found: list[Path] = []
    explicit = os.environ.get("DEFA_ETDA_SCHEMAS")
    if explicit:
        found.append(Path(explicit))
    shared = os.environ.get("DEFA_SHARED")
    if shared:
        found.append(Path(shared).joinpath(*_SPEC_DIR))
    found.append(Path.cwd().parent.joinpath("shared", *_SPEC_DIR))
    # src/defa/countries/th/etda/schema.py: the project root is five folders up
    found.append(Path(__file__).resolve().parents[5].parent.joinpath("shared", *_SPEC_DIR))
    return list(dict.fromkeys(found))


def schema_root() -> Path | None:
    """The first folder holding the ETDA schemas, or None."""
    for folder in schema_dirs():
        if folder.joinpath(*_STANDARD).is_dir():
            return folder.resolve()
    return None


class _LocalOnly(etree.Resolver):
    """Resolves schema imports to files under one folder; refuses everything else."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    # lxml-stubs give ``resolve`` no context and miss ``resolve_filename``; lxml passes both.
    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:  # type: ignore[override]
        path = system_url.removeprefix("file://") if system_url else ""
        try:
            inside = bool(path) and Path(path).resolve().is_relative_to(self.root)
        except (OSError, ValueError):
            inside = False
        if inside:
            return self.resolve_filename(path, context)  # type: ignore[attr-defined]
        # anything else (http:, another folder) is replaced by nothing: the import then fails
        return self.resolve_string("", context)  # type: ignore[call-arg]


@cache
def schema(type_name: str) -> etree.XMLSchema | None:
    """The compiled XSD of one ETDA document type, or None when the schemas are not found."""
    root = schema_root()
    if root is None:
        return None
    path = root.joinpath(*_STANDARD, f"{type_name}_CrossIndustryInvoice_2p0.xsd")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_LocalOnly(root))
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError):
        return None


def _missing(type_name: str) -> Issue:
    looked = [str(p) for p in schema_dirs()]
    return Issue(
        "einvoice.schema_missing",
        f"the ETDA schema {type_name}_CrossIndustryInvoice_2p0.xsd was not found or not "
        f"usable; the document was not validated against it (set DEFA_ETDA_SCHEMAS or "
        f"DEFA_SHARED)",
        severity=Severity.WARNING,
        spec="etda-xsd-2.0",
        ctx={"looked_in": looked},
    )


def _shorten(message: str, names: tuple[tuple[str, str], ...]) -> str:
    for clark, prefix in names:
        message = message.replace(clark, prefix)
    # a code list's enumeration (every TIS 1099 district) says nothing the element name does not
    return _LONG_SET.sub("the set of its code list", message)


def schema_issues(root: etree._Element, type_name: str) -> list[Issue]:
    """Every way ``root`` departs from its type's ETDA XSD (empty when it conforms)."""
    xsd = schema(type_name)
    if xsd is None:
        return [_missing(type_name)]
    with _LOCK:
        if xsd.validate(root):
            return []
        # lxml-stubs do not declare the error log iterable, though it is.
        entries: list[Any] = list(xsd.error_log)  # type: ignore[call-overload]
    # lxml names elements in Clark notation; the document's own prefixes read better
    short = (("{" + ram(type_name) + "}", "ram:"), ("{" + rsm(type_name) + "}", "rsm:"))
    return [
        Issue(
            "einvoice.schema",
            _shorten(str(err.message), short)[:500],
            loc=f"line {err.line}" + (f" {err.path}" if err.path else ""),
            spec=f"{type_name}_CrossIndustryInvoice_2p0.xsd",
        )
        for err in entries[:MAX_ERRORS]
    ]
