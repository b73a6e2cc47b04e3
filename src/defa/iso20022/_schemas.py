"""The official ISO 20022 XML schemas, found beside the project and compiled once.

The schemas are published by the ISO 20022 Registration Authority free of charge, but under
ISO's copyright and without a stated licence to redistribute them; DEFA therefore does not ship
copies. They are read from the first folder that holds them:

1. ``$DEFA_ISO20022_SCHEMAS`` (a folder holding ``pacs.008.001.11.xsd`` and the rest);
2. ``$DEFA_SHARED/specs/payments/iso20022``;
3. ``../shared/specs/payments/iso20022`` beside the working directory, then beside the
   source tree.

A schema found nowhere is a :class:`~defa.errors.DataError` (``iso20022.schema_missing``)
naming every folder looked in.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from defa.errors import DataError, Issue

__all__ = ["MESSAGES", "namespace", "schema", "schema_dirs", "validate"]

#: The message versions DEFA builds or reads, with their target namespaces.
MESSAGES = ("pacs.008.001.11", "pacs.002.001.13")

_SPEC_DIR = ("specs", "payments", "iso20022")
#: At most this many schema errors are reported for one document.
_MAX_ERRORS = 50


def namespace(message: str) -> str:
    """The XML namespace of an ISO 20022 message version."""
    return f"urn:iso:std:iso:20022:tech:xsd:{message}"


def schema_dirs() -> list[Path]:
    """The folders looked in for schemas, in order."""
    found: list[Path] = []
    explicit = os.environ.get("DEFA_ISO20022_SCHEMAS")
    if explicit:
        found.append(Path(explicit))
    shared = os.environ.get("DEFA_SHARED")
    if shared:
        found.append(Path(shared).joinpath(*_SPEC_DIR))
    found.append(Path.cwd().parent.joinpath("shared", *_SPEC_DIR))
    # src/defa/iso20022/_schemas.py -> the project root is three folders above the package.
    found.append(Path(__file__).resolve().parents[3].parent.joinpath("shared", *_SPEC_DIR))
    return list(dict.fromkeys(found))


@cache
def schema(message: str) -> etree.XMLSchema:
    """The compiled XSD of ``message`` (e.g. ``"pacs.008.001.11"``)."""
    looked = schema_dirs()
    for folder in looked:
        path = folder / f"{message}.xsd"
        if path.is_file():
            # The official schemas need no DTD, entity or network access: all are off.
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            try:
                return etree.XMLSchema(etree.parse(str(path), parser))
            except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
                raise DataError(
                    Issue(
                        "iso20022.schema_missing",
                        f"{path} is not a usable XSD: {exc}",
                        loc=str(path),
                    )
                ) from None
    raise DataError(
        Issue(
            "iso20022.schema_missing",
            f"the ISO 20022 schema {message}.xsd was not found; looked in "
            f"{', '.join(str(p) for p in looked)} (set DEFA_ISO20022_SCHEMAS or DEFA_SHARED)",
            loc=message,
            ctx={"looked_in": [str(p) for p in looked]},
        )
    )


def validate(root: etree._Element, message: str) -> list[Issue]:
    """Every way ``root`` departs from the official XSD of ``message`` (empty when valid)."""
    xsd = schema(message)
    if xsd.validate(root):
        return []
    # lxml-stubs do not declare the error log iterable, though it is.
    entries: list[Any] = list(xsd.error_log)  # type: ignore[call-overload]
    return [
        Issue(
            "iso20022.schema_invalid",
            err.message,
            loc=f"line {err.line}" + (f" {err.path}" if err.path else ""),
            spec=f"{message}.xsd",
        )
        for err in entries[:_MAX_ERRORS]
    ]
