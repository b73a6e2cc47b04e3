"""ETDA XSD validation with the long code lists judged beside libxml2.

Every expectation here comes from lxml's own validation against the schema as published
(compiled directly, nothing in between), shortened as :func:`schema_issues` shortens it:
what the document gets must be exactly that, line, path and message.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from defa import einvoice
from defa.countries.th.etda import schema
from defa.countries.th.etda.binding import DOCUMENT_TYPES, ram, rsm
from tests.shared import shared_path

_XS = "http://www.w3.org/2001/XMLSchema"
ETDA = ("vectors", "einvoice", "etda")
STANDARD = ("specs", "einvoice", "etda", "XMLSchemaV2", "ETDA", "data", "standard")
PEPPOL = ("vectors", "einvoice", "peppol-bis3", "examples")
AS_OF = datetime.date(2026, 11, 28)

Finding = tuple[str, str]


@cache
def _published(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def _type_name(root: etree._Element) -> str:
    return etree.QName(root).localname.partition("_")[0]


def _expected(xsd: etree.XMLSchema, root: etree._Element, type_name: str) -> list[Finding]:
    """``root``'s findings from ``xsd`` compiled as published, as schema_issues words them."""
    xsd.validate(root)
    short = (("{" + ram(type_name) + "}", "ram:"), ("{" + rsm(type_name) + "}", "rsm:"))
    found = []
    for err in list(xsd.error_log)[: schema.MAX_ERRORS]:
        message = schema._shorten(err.message, short)
        # libxml2 cuts its message at 64,000 characters (every TIS 1099 sub-district), before
        # the closing period; judged beside it, the sentence is whole
        if not err.message.endswith(".") and message.endswith("the set of its code list"):
            message += "."
        found.append((message[:500], f"line {err.line}" + (f" {err.path}" if err.path else "")))
    return found


def _found(root: etree._Element, type_name: str) -> list[Finding]:
    return [(i.msg, i.loc or "") for i in schema.schema_issues(root, type_name)]


def _samples() -> Iterator[tuple[str, etree._Element]]:
    for path in sorted(shared_path(*ETDA).glob("*.xml")):
        try:
            yield path.name, etree.parse(str(path)).getroot()
        except etree.XMLSyntaxError:
            continue  # INV71800002: not well-formed, refused before validation
    for path in sorted(shared_path(*PEPPOL).glob("*.xml")):
        converted = einvoice.convert(path.read_bytes(), to="th-etda", as_of=AS_OF).document
        yield f"{path.name} as th-etda", etree.fromstring(converted)


def test_samples_give_the_published_schemas_findings() -> None:
    """The official samples and the Peppol examples converted: London, Thai names, codes."""
    judged = 0
    for name, root in _samples():
        type_name = _type_name(root)
        xsd = _published(shared_path(*STANDARD, f"{type_name}_CrossIndustryInvoice_2p0.xsd"))
        expected = _expected(xsd, root, type_name)
        assert _found(root, type_name) == expected, name
        judged += sum("the set of its code list" in message for message, _ in expected)
    assert judged >= 5  # 6102002-Fix's district names, London, Stockholm


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CityName", "1028"),
        ("CityName", " 1028\n\t"),
        ("CityName", "10 28"),
        ("CityName", "\u00a01028"),
        ("CityName", "London"),
        ("CityName", ""),
        ("CitySubDivisionName", "961405"),
        ("CitySubDivisionName", "\t102803 "),
        ("CitySubDivisionName", "102803 x"),
        ("CitySubDivisionName", "สามเสนนอก"),
    ],
)
def test_address_codes_in_and_out(name: str, value: str) -> None:
    root = etree.parse(str(shared_path(*ETDA, "TIV_IV2017110007_Sample.xml"))).getroot()
    for element in root.iter(f"{{{ram('TaxInvoice')}}}{name}"):
        element.text = value
    xsd = _published(shared_path(*STANDARD, "TaxInvoice_CrossIndustryInvoice_2p0.xsd"))
    assert _found(root, "TaxInvoice") == _expected(xsd, root, "TaxInvoice")


def test_at_most_max_errors_after_the_valid_codes() -> None:
    """The seller's valid district codes come first and are no findings: 50 others are."""
    root = etree.parse(str(shared_path(*ETDA, "TIV_IV2017110007_Sample.xml"))).getroot()
    transaction = root[2]
    (line,) = transaction.iterchildren(f"{{{ram('TaxInvoice')}}}IncludedSupplyChainTradeLineItem")
    quantity = next(line.iter(f"{{{ram('TaxInvoice')}}}BilledQuantity"))
    quantity.text = "one"
    for _ in range(60):
        transaction.append(copy.deepcopy(line))
    xsd = _published(shared_path(*STANDARD, "TaxInvoice_CrossIndustryInvoice_2p0.xsd"))
    expected = _expected(xsd, root, "TaxInvoice")
    assert len(expected) == schema.MAX_ERRORS
    assert _found(root, "TaxInvoice") == expected


# -- every code list the document schemas import, in and out -------------------------------


def _code_list_files() -> dict[str, Path]:
    """The code-list file of each namespace the six document schemas import (the first)."""
    standard = shared_path(*STANDARD)
    todo = [standard / f"{t}_CrossIndustryInvoice_2p0.xsd" for t in sorted(DOCUMENT_TYPES)]
    seen: set[Path] = set()
    lists: dict[str, Path] = {}
    while todo:
        path = todo.pop(0).resolve()
        if path in seen:
            continue
        seen.add(path)
        top = etree.parse(str(path)).getroot()
        if path.parent.parent.name.endswith("list"):  # codelist, identifierlist
            lists.setdefault(top.get("targetNamespace", ""), path)
        todo += [path.parent / i.get("schemaLocation", "") for i in top.iter(f"{{{_XS}}}import")]
    return lists


def _probe(folder: Path) -> tuple[Path, dict[str, list[str]]]:
    """A schema with an element (and an attribute) of each enumerated type of each code list,
    importing the published files where they lie; with each element's codes."""
    xs = f"{{{_XS}}}"
    files = sorted(_code_list_files().items())
    nsmap = {"xs": _XS, "p": "urn:probe"} | {f"l{i}": ns for i, (ns, _) in enumerate(files)}
    top = etree.Element(f"{xs}schema", targetNamespace="urn:probe", nsmap=nsmap)
    top.set("elementFormDefault", "qualified")
    choice = etree.Element(f"{xs}choice", minOccurs="0", maxOccurs="unbounded")
    codes: dict[str, list[str]] = {}
    for namespace, path in files:
        etree.SubElement(top, f"{xs}import", namespace=namespace, schemaLocation=str(path))
    for i, (_, path) in enumerate(files):
        for simple_type in etree.parse(str(path)).getroot().iterfind(f"{xs}simpleType"):
            values = [e.get("value", "") for e in simple_type.iter(f"{xs}enumeration")]
            if not values:
                continue
            name = f"e{len(codes)}"
            codes[name] = values
            complex_type = etree.SubElement(top, f"{xs}complexType", name=f"{name}Type")
            content = etree.SubElement(complex_type, f"{xs}simpleContent")
            base = f"l{i}:{simple_type.get('name')}"
            extension = etree.SubElement(content, f"{xs}extension", base=base)
            etree.SubElement(extension, f"{xs}attribute", name="code", type=base)
            etree.SubElement(choice, f"{xs}element", name=name, type=f"p:{name}Type")
    element = etree.SubElement(top, f"{xs}element", name="probe")
    etree.SubElement(element, f"{xs}complexType").append(choice)
    probe = folder / "probe.xsd"
    probe.write_bytes(etree.tostring(top))
    return probe, codes


def _variants(code: str) -> list[str]:
    """Values around one code: itself, white space XSD collapses, and near misses."""
    return [
        code,
        f" {code}\t",
        f"\n{code}  ",
        f"{code[:1]} {code[1:]}",
        f"\u00a0{code}",
        f"{code}\u3000",
        code.lower() if code.lower() != code else code + "x",
        "NOT-A-CODE",
        "",
    ]


def test_every_code_list_in_and_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    probe, codes = _probe(tmp_path)
    published = _published(probe)
    # the probe lies beside the published files, not among them: the resolver serves both
    judged = schema._compile(probe, Path(probe.anchor), stand_ins=True)
    monkeypatch.setattr(schema, "schema", lambda type_name: judged)
    long_lists = 0
    for name, values in codes.items():
        document = etree.Element("{urn:probe}probe")
        for value in _variants(values[0]) + _variants(values[-1]):
            etree.SubElement(document, f"{{urn:probe}}{name}", code=values[-1]).text = value
            etree.SubElement(document, f"{{urn:probe}}{name}", code=value).text = values[0]
        root = etree.fromstring(etree.tostring(document).replace(b"><", b">\n<"))
        assert _found(root, "TaxInvoice") == _expected(published, root, "TaxInvoice"), name
        if len(values) >= schema._MIN_CODES:
            long_lists += 1
            # judged beside libxml2: its messages hold none of the list
            judged.validate(root)
            assert not [e for e in judged.error_log if f"'{values[1]}'" in e.message], name
    assert long_lists >= 5  # cities, districts, freight costs, reference types, languages


# -- the rules of the replacement, on a schema of our own -----------------------------------

_MAIN = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:l="urn:lists"
  xmlns:m="urn:main" targetNamespace="urn:main" elementFormDefault="qualified">
  <xs:import namespace="urn:lists" schemaLocation="../../codelist/standard/Lists.xsd"/>
  <xs:simpleType name="Either"><xs:union memberTypes="l:InUnion xs:date"/></xs:simpleType>
  <xs:simpleType name="Narrower">
    <xs:restriction base="l:Codes"><xs:maxLength value="4"/></xs:restriction>
  </xs:simpleType>
  {subset}
  <xs:complexType name="Coded"><xs:simpleContent><xs:extension base="l:Codes">
    <xs:attribute name="code" type="l:Codes"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:element name="doc"><xs:complexType><xs:choice maxOccurs="unbounded">
    <xs:element name="coded" type="m:Coded"/>
    <xs:element name="words" type="l:Words"/>
    <xs:element name="spaced" type="l:Spaced"/>
    <xs:element name="either" type="m:Either"/>
    <xs:element name="braced" type="l:Braced"/>
    <xs:element name="few" type="l:Few"/>
    <xs:element name="narrower" type="m:Narrower"/>
  </xs:choice></xs:complexType></xs:element>
</xs:schema>"""
# a type the stand-in cannot serve: its codes must be among those of the list it narrows
_SUBSET = """<xs:simpleType name="Subset">
    <xs:restriction base="l:Codes"><xs:enumeration value="C001"/></xs:restriction>
  </xs:simpleType>"""


def _lists() -> str:
    def enumeration(name: str, base: str, values: list[str]) -> str:
        facets = "".join(f'<xs:enumeration value="{v}"/>' for v in values)
        restriction = f'<xs:restriction base="xs:{base}">{facets}</xs:restriction>'
        return f'<xs:simpleType name="{name}">{restriction}</xs:simpleType>'

    many = range(350)
    return (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:lists">'
        + enumeration("Codes", "token", [f"C{n:03}" for n in many])
        + enumeration("Words", "string", [f"w {n:03}" for n in many])
        + enumeration("Spaced", "normalizedString", [f"n {n:03}" for n in many])
        + enumeration("InUnion", "token", [f"U{n:03}" for n in many])
        + enumeration("Braced", "token", ["b}"] + [f"B{n:03}" for n in many])
        + enumeration("Few", "token", ["a", "b", "c"])
        + "</xs:schema>"
    )


_DOCUMENT = """<doc xmlns="urn:main">
<coded code="C001">C002</coded>
<coded code=" C003&#9;">&#10;C004 </coded>
<coded code="C0 05">C349</coded>
<coded code="X">\u00a0C006</coded>
<coded code="">c007</coded>
<words>w 001</words>
<words>w  001</words>
<words> w 001</words>
<words>w&#9;001</words>
<spaced>n 001</spaced>
<spaced>n&#9;001</spaced>
<spaced> n 001</spaced>
<spaced>n  001</spaced>
<either>U001</either>
<either>2020-01-01</either>
<either>X</either>
<braced>b}</braced>
<braced>X</braced>
<few>a</few>
<few>X</few>
<narrower>C001</narrower>
<narrower>C0001</narrower>
<narrower>X</narrower>
</doc>"""


@pytest.mark.parametrize("subset", ["", _SUBSET], ids=["stand-ins", "as published"])
def test_which_lists_are_judged(
    subset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    standard = tmp_path / "XMLSchemaV2" / "ETDA" / "data" / "standard"
    standard.mkdir(parents=True)
    (tmp_path / "XMLSchemaV2" / "ETDA" / "codelist" / "standard").mkdir(parents=True)
    (tmp_path / "XMLSchemaV2" / "ETDA" / "codelist" / "standard" / "Lists.xsd").write_text(_lists())
    main = standard / "TaxInvoice_CrossIndustryInvoice_2p0.xsd"
    main.write_text(_MAIN.replace("{subset}", subset))
    monkeypatch.setattr(schema, "schema_dirs", lambda: [tmp_path])
    schema.schema.cache_clear()
    try:
        root = etree.fromstring(_DOCUMENT.encode())
        found = _found(root, "TaxInvoice")
        judged = schema.schema("TaxInvoice")
        assert judged is not None
        judged.validate(root)
        messages = [e.message for e in judged.error_log]
    finally:
        schema.schema.cache_clear()
    assert found == _expected(etree.XMLSchema(etree.parse(str(main))), root, "TaxInvoice")
    assert len(found) == 16
    # the long lists hold stand-ins unless a type narrows one to codes of its own; a list with
    # a brace (which _shorten would cut at it) and a union's member keep their codes
    printed = {
        code: any(f"'{code}'" in m for m in messages) for code in ("C348", "w 348", "n 348", "B348")
    }
    assert printed == {
        "C348": bool(subset),
        "w 348": bool(subset),
        "n 348": bool(subset),
        "B348": True,
    }
    assert not any("U001" in codes.values for codes in schema._CODE_LISTS.values())
