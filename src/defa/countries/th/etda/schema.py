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

Long code lists (TIS 1099 districts and sub-districts, UNECE freight costs and reference
types, ISO languages) are judged here, not by libxml2: for a value outside an enumeration,
libxml2 writes the whole set into its message by repeated concatenation (quadratic: some 14 ms
for one unknown sub-district), only for the message to be shortened to "the set of its code
list". :func:`schema` therefore compiles the schema with each such enumeration replaced, in
memory only, by one stand-in value no document can know, and :func:`schema_issues` drops the
stand-in's error when the document's value is in the real list and otherwise gives the
message libxml2 gives (with its closing period even where libxml2 cuts the message short).
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
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

_XS = "{http://www.w3.org/2001/XMLSchema}"
_XS_NS = {"xs": _XS[1:-1]}
# XPath: no element proxy for each of thousands of facets
_ENUMERATION = etree.XPath("xs:enumeration/@value", namespaces=_XS_NS, smart_strings=False)
_OTHER_FACET = etree.XPath(
    "boolean(*[not(self::xs:enumeration or self::xs:annotation)])", namespaces=_XS_NS
)
# Code lists at least this long are judged here. libxml2 compares a valid value with half of a
# list on average (some 160 instructions a code), the stand-in gives an error entry for it
# (some 35,000: lxml logs it with its path): shorter lists, whose values are nearly always
# valid (currencies, countries), cost less left to libxml2.
_MIN_CODES = 300
# whiteSpace of the built-in bases whose enumerations are judged here
_WHITESPACE = {"string": "preserve", "normalizedString": "replace", "token": "collapse"}
# XSD's white space: these four characters and no other
_SPACE = re.compile(r"[\t\n\r]")
_SPACES = re.compile(r"[\t\n\r ]+")
# Made once per process and never shown: a document cannot hold a code list's stand-in value.
_TOKEN = secrets.token_hex(16)
_SERIAL = itertools.count(1)
# libxml2's enumeration error: "... [facet 'enumeration'] The value 'V' is not an element of
# the set {'A', 'B'}.", the value as the type's whiteSpace facet leaves it
_VALUE_FROM = "[facet 'enumeration'] The value '"
_NOT_IN = "' is not an element of the set "
# A set as long as a code list's: _shorten turns it, as it does the real one, into "the set
# of its code list" (the whole message going through _shorten as libxml2's would, even a
# value that itself holds "the set {")
_LONG_SET_TEXT = "{" + "-" * 200 + "}."


@dataclass(frozen=True, slots=True)
class _CodeList:
    """The values of an enumeration judged here, as the type's whiteSpace facet leaves them."""

    values: frozenset[str]
    whitespace: str


# code lists by their stand-in value, for every schema compiled in this process
_CODE_LISTS: dict[str, _CodeList] = {}


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


def _inside(location: str, root: Path) -> Path | None:
    """The file ``location`` names when it lies under ``root``, else None."""
    path = location.removeprefix("file://") if location else ""
    try:
        resolved = Path(path).resolve()
    except (OSError, ValueError):
        return None
    return resolved if path and resolved.is_relative_to(root) else None


class _LocalOnly(etree.Resolver):
    """Resolves schema imports to files under one folder; refuses everything else.

    A file in ``served`` is given as those bytes instead of as read from the folder.
    """

    def __init__(self, root: Path, served: Mapping[Path, bytes] | None = None) -> None:
        super().__init__()
        self.root = root
        self.served: Mapping[Path, bytes] = served or {}

    # lxml-stubs give ``resolve`` no context and miss ``resolve_filename``; lxml passes both.
    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:  # type: ignore[override]
        path = _inside(system_url, self.root)
        if path is not None:
            text = self.served.get(path)
            if text is not None:
                # the same place, so that its own imports resolve as from the file
                return self.resolve_string(text, context, base_url=str(path))
            return self.resolve_filename(system_url.removeprefix("file://"), context)  # type: ignore[attr-defined]
        # anything else (http:, another folder) is replaced by nothing: the import then fails
        return self.resolve_string("", context)  # type: ignore[call-arg]


def _normalised(value: str, whitespace: str) -> str:
    """``value`` as XSD's whiteSpace ``preserve``, ``replace`` or ``collapse`` makes it."""
    if whitespace == "collapse":
        return _SPACES.sub(" ", value).strip(" ")
    if whitespace == "replace":
        return _SPACE.sub(" ", value)
    return value


def _qname(element: etree._Element, name: str) -> str:
    """The Clark name of the QName ``name`` written on ``element``."""
    prefix, _, local = name.rpartition(":")
    return f"{{{element.nsmap.get(prefix or None, '')}}}{local}"


def _schema_files(
    main: etree._ElementTree, root: Path, parser: etree.XMLParser
) -> dict[Path, etree._ElementTree]:
    """Every schema file ``main`` imports or includes under ``root``, directly or not, parsed."""
    first = _inside(str(main.docinfo.URL or ""), root)
    files: dict[Path, etree._ElementTree] = {first: main} if first else {}
    todo = [main]
    while todo:
        tree = todo.pop()
        base = Path(str(tree.docinfo.URL)).parent
        for ref in tree.getroot().iterchildren(f"{_XS}import", f"{_XS}include", f"{_XS}redefine"):
            location = ref.get("schemaLocation")
            path = _inside(str(base / location), root) if location else None
            if path is None or path in files:
                continue
            try:
                files[path] = etree.parse(str(path), parser)
            except (OSError, etree.XMLSyntaxError):
                continue  # libxml2 reports it when compiling, as before
            todo.append(files[path])
    return files


def _code_list(simple_type: etree._Element) -> _CodeList | None:
    """The enumeration ``simple_type`` restricts a string-like base to, when it is long."""
    restriction = simple_type.find(f"{_XS}restriction")
    if restriction is None:
        return None
    base = _qname(restriction, restriction.get("base", ""))
    whitespace = _WHITESPACE.get(base[len(_XS) :], "") if base.startswith(_XS) else ""
    if not whitespace or _OTHER_FACET(restriction):
        return None
    found: list[str] = _ENUMERATION(restriction)  # type: ignore[assignment]
    values = [_normalised(v, whitespace) for v in found]
    printed = ", ".join(f"'{v}'" for v in values)
    # long enough to pay for the stand-in's error on each valid value, and a set that _shorten
    # leaves out of a message (so that the message can be given without it)
    if len(values) < _MIN_CODES or len(printed) < 200 or "}" in printed:
        return None
    return _CodeList(frozenset(values), whitespace)


def _stand_ins(files: Mapping[Path, etree._ElementTree]) -> dict[Path, bytes]:
    """The files of ``files`` that hold long code lists, each list replaced by a stand-in."""
    in_unions: set[str] = set()
    for tree in files.values():
        for union in tree.getroot().iter(f"{_XS}union"):
            in_unions.update(_qname(union, n) for n in union.get("memberTypes", "").split())
        for listed in tree.getroot().iter(f"{_XS}list"):
            if listed.get("itemType"):
                in_unions.add(_qname(listed, listed.get("itemType", "")))
    served: dict[Path, bytes] = {}
    for path, tree in files.items():
        original = tree.getroot()
        target = original.get("targetNamespace", "")
        lists: dict[etree._Element, _CodeList] = {}
        for simple_type in original.iterchildren(f"{_XS}simpleType"):
            codes = _code_list(simple_type)
            # a union or list member failing its enumeration reads differently: left to libxml2
            if codes is not None and f"{{{target}}}{simple_type.get('name')}" not in in_unions:
                lists[simple_type] = codes
        if lists:
            served[path] = _with_stand_ins(tree, lists)
    return served


def _with_stand_ins(tree: etree._ElementTree, lists: Mapping[etree._Element, _CodeList]) -> bytes:
    """``tree`` with each of ``lists`` holding a stand-in value instead of its codes."""
    for simple_type, codes in lists.items():
        stand_in = f"{_TOKEN}-{next(_SERIAL)}"
        _CODE_LISTS[stand_in] = codes
        restriction = simple_type.find(f"{_XS}restriction")
        assert restriction is not None  # _code_list found the enumeration in it
        attributes = restriction.items()
        # one clear() costs far less than taking thousands of facets out one by one
        restriction.clear()
        for name, value in attributes:
            restriction.set(name, value)
        etree.SubElement(restriction, f"{_XS}enumeration", value=stand_in)
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True)


def _compile(path: Path, root: Path, stand_ins: bool) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    resolver = _LocalOnly(root)
    parser.resolvers.add(resolver)
    main = etree.parse(str(path), parser)
    if stand_ins:
        resolver.served = _stand_ins(_schema_files(main, root, parser))
    return etree.XMLSchema(main)


@cache
def schema(type_name: str) -> etree.XMLSchema | None:
    """The compiled XSD of one ETDA document type, or None when the schemas are not found.

    Its long code lists hold a stand-in value instead of their codes (see the module's text):
    validate through :func:`schema_issues`, which judges them.
    """
    root = schema_root()
    if root is None:
        return None
    path = root.joinpath(*_STANDARD, f"{type_name}_CrossIndustryInvoice_2p0.xsd")
    try:
        try:
            return _compile(path, root, stand_ins=True)
        except etree.XMLSchemaParseError:
            # a code list used where its stand-in breaks the schema: the files as published
            return _compile(path, root, stand_ins=False)
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


def _judged(message: str) -> str | None:
    """A stand-in's enumeration error: None when the value is in the code list, else the
    message libxml2 gives with the real list (up to what :func:`_shorten` leaves of it)."""
    start = message.find(_VALUE_FROM)
    end = message.rfind(_NOT_IN)  # the last: the value may hold the words too
    codes = _CODE_LISTS.get(message[end + len(_NOT_IN) + 2 : -3])  # {'stand-in'}.
    if start < 0 or end < start + len(_VALUE_FROM) or codes is None:
        return message  # cut short by libxml2 inside an enormous value: nothing to judge
    value = message[start + len(_VALUE_FROM) : end]
    # libxml2 shows the value normalised already: normalising again is for the odd case only
    if value in codes.values or _normalised(value, codes.whitespace) in codes.values:
        return None
    return message[: end + len(_NOT_IN)] + _LONG_SET_TEXT


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
    issues: list[Issue] = []
    for err in entries:
        message = str(err.message)
        if _TOKEN in message:
            judged = _judged(message)
            if judged is None:
                continue  # the value is in the code list
            message = judged
        issues.append(
            Issue(
                "einvoice.schema",
                _shorten(message, short)[:500],
                loc=f"line {err.line}" + (f" {err.path}" if err.path else ""),
                spec=f"{type_name}_CrossIndustryInvoice_2p0.xsd",
            )
        )
        if len(issues) == MAX_ERRORS:
            break
    return issues
