"""Peppol BIS Billing 3.0 rules: the rule set, identifier checks by hand, and every case of
the upstream unit tests (``unit-UBL-PEPPOL``), judged by the upstream asserts.

The Peppol rules read the UBL tree only, so the upstream fragments are run here directly
on their parsed tree (``Invoice(syntax="ubl", tree=...)``); the full pipeline (reader and
EN 16931 base rules) is exercised by the conformance test and the examples test below.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from defa.einvoice.model import Invoice
from defa.einvoice.rules import rule_set, run
from defa.einvoice.rules._tree import xpath_round2
from defa.einvoice.rules.peppol import PEPPOL_BIS3, identifiers, syntaxes
from defa.errors import Report, Severity
from tests.shared import shared_path

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
UBL_ROOTS = (
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote",
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False)


def _doc(root: etree._Element) -> Invoice:
    kind = "credit-note" if root.tag.endswith("CreditNote") else "invoice"
    return Invoice(kind=kind, syntax="ubl", tree=etree.ElementTree(root))


def _ubl(body: str, root: str = "Invoice") -> Invoice:
    """A UBL document from a fragment of its body."""
    xml = (
        f'<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        f"{body}</{root}>"
    )
    return _doc(etree.fromstring(xml.encode(), _PARSER))


def _peppol(doc: Invoice) -> Report:
    return run(doc, [PEPPOL_BIS3])


def _fired(doc: Invoice, rule_id: str) -> list[str]:
    return [i.loc for i in _peppol(doc).issues if i.rule_id == rule_id]


# -- the rule set ------------------------------------------------------------------------


def test_rule_set_identity() -> None:
    rs = rule_set("peppol-bis3")
    assert rs is PEPPOL_BIS3
    assert rs.version == "3.0.19"
    assert rs.bases == ("en16931",)
    assert rs.valid_from == date(2025, 8, 25)
    # 56 Peppol rules in the UBL Schematron of the release (R048 is commented out there),
    # plus R006 and COMMON-R048, which only the CII Schematron states.
    peppol = [r for r in rs.rules if r.startswith("PEPPOL-")]
    assert len(peppol) == 58
    assert syntaxes("PEPPOL-EN16931-R006") == {"cii"}
    assert syntaxes("PEPPOL-EN16931-R008") == {"ubl"}
    assert syntaxes("PEPPOL-EN16931-R120") == {"ubl", "cii"}
    assert rs.rules["PEPPOL-COMMON-R044"].severity is Severity.WARNING
    assert rs.rules["PEPPOL-EN16931-R008"].severity is Severity.ERROR


def test_rules_ignore_documents_without_a_tree() -> None:
    doc = Invoice(syntax="ubl")
    assert _peppol(doc).issues == []


# -- identifier checks, by hand ----------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "value", "ok"),
    [
        # GLN 5790000435975: weights 3,1,... from the right of the body give 85, check 5.
        (identifiers.gln, "5790000435975", True),
        (identifiers.gln, "5790000435976", False),
        (identifiers.gln, "57900A0435975", False),
        # 974760673: 9*3+7*2+4*7+7*6+6*5+0*4+6*3+7*2 = 173, 173 mod 11 = 8, 11-8 = 3.
        (identifiers.no_orgnr, "974760673", True),
        (identifiers.no_orgnr, "974760674", False),
        (identifiers.no_orgnr, "000000000", False),
        (identifiers.dk_cvr, "12345678", True),
        (identifiers.dk_cvr, "DK12345678", True),
        (identifiers.dk_cvr, "DK1234567", False),
        # 0739484052: 97 - (07394840 mod 97 = 45) = 52.
        (identifiers.be_enterprise_number, "0739484052", True),
        (identifiers.be_enterprise_number, "0739484059", False),
        (identifiers.it_ipa_code, "UF9XYZ", True),
        (identifiers.it_ipa_code, "UF9XY", False),
        (identifiers.it_codice_fiscale, "RSSMRA85T10A562S", True),
        (identifiers.it_codice_fiscale, "02985591201", True),
        (identifiers.it_codice_fiscale, "RSSMRA8XT10A562S", False),
        (identifiers.it_partita_iva, "IT02985591201", True),
        (identifiers.it_partita_iva, "IT02985591202", False),
        (identifiers.it_partita_iva, "DE123", True),  # not Italian: not judged
        # 5560360793: Luhn over the ten digits.
        (identifiers.se_orgnr, "5560360793", True),
        (identifiers.se_orgnr, "5560360794", False),
        # ABN 51824753556: (5-1)*10 + 1*1 + 8*3 + ... = 534 = 6 * 89.
        (identifiers.au_abn, "51824753556", True),
        (identifiers.au_abn, "51824753557", False),
    ],
)
def test_identifier_checks(check: object, value: str, ok: bool) -> None:
    assert callable(check)
    assert check(value) is ok


def test_xpath_rounding_goes_half_up() -> None:
    from decimal import Decimal

    assert xpath_round2(Decimal("2.345")) == Decimal("2.35")
    assert xpath_round2(Decimal("-2.345")) == Decimal("-2.34")


# -- hand-built documents ------------------------------------------------------------------


def test_line_net_amount_by_hand() -> None:
    # 3 × (25 / 2) + 5 − 2.50 = 40.00; 40.02 is within the 0.02 slack, 40.03 is not.
    line = (
        "<cac:InvoiceLine><cbc:InvoicedQuantity>3</cbc:InvoicedQuantity>"
        '<cbc:LineExtensionAmount currencyID="EUR">{net}</cbc:LineExtensionAmount>'
        "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
        '<cbc:Amount currencyID="EUR">5</cbc:Amount></cac:AllowanceCharge>'
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
        '<cbc:Amount currencyID="EUR">2.50</cbc:Amount></cac:AllowanceCharge>'
        '<cac:Price><cbc:PriceAmount currencyID="EUR">25</cbc:PriceAmount>'
        "<cbc:BaseQuantity>2</cbc:BaseQuantity></cac:Price></cac:InvoiceLine>"
    )
    assert _fired(_ubl(line.format(net="40.02")), "PEPPOL-EN16931-R120") == []
    assert _fired(_ubl(line.format(net="40.03")), "PEPPOL-EN16931-R120") == [
        "/Invoice/cac:InvoiceLine"
    ]


def test_allowance_percentage_by_hand() -> None:
    # 200 × 12.5 / 100 = 25.
    body = (
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
        "<cbc:MultiplierFactorNumeric>12.5</cbc:MultiplierFactorNumeric>"
        '<cbc:Amount currencyID="EUR">{amount}</cbc:Amount>'
        '<cbc:BaseAmount currencyID="EUR">200</cbc:BaseAmount>'
        "</cac:AllowanceCharge>"
    )
    assert _fired(_ubl(body.format(amount="25.00")), "PEPPOL-EN16931-R040") == []
    assert len(_fired(_ubl(body.format(amount="25.03")), "PEPPOL-EN16931-R040")) == 1


def test_tax_currency_rules_by_hand() -> None:
    body = (
        "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
        "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>"
    )
    assert _fired(_ubl(body), "PEPPOL-EN16931-R005") == ["/Invoice/cbc:TaxCurrencyCode"]


def test_empty_elements_are_located() -> None:
    doc = _ubl(
        "<cbc:ID>1</cbc:ID><cac:TaxTotal><cbc:TaxAmount/></cac:TaxTotal><cbc:Note> </cbc:Note>"
    )
    assert _fired(doc, "PEPPOL-EN16931-R008") == [
        "/Invoice/cac:TaxTotal/cbc:TaxAmount",
        "/Invoice/cbc:Note",
    ]


def test_process_01_type_codes() -> None:
    body = "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>"
    bad = _ubl(body + "<cbc:InvoiceTypeCode>389</cbc:InvoiceTypeCode>")
    good = _ubl(body + "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>")
    assert len(_fired(bad, "PEPPOL-EN16931-P0100")) == 1
    assert _fired(good, "PEPPOL-EN16931-P0100") == []
    assert _fired(good, "PEPPOL-EN16931-R007") == []


# -- the upstream unit tests ---------------------------------------------------------------


def _cases() -> Iterator[object]:
    folder = shared_path("vectors", "einvoice", "peppol-bis3", "unit-UBL-PEPPOL")
    for path in sorted(Path(folder).glob("*.xml")):
        tree = etree.parse(str(path), _PARSER)
        for n, test in enumerate(tree.getroot().iter(VEFA + "test"), 1):
            expect = test.find(VEFA + "assert")
            roots = [el for el in test if el.tag in UBL_ROOTS]
            if expect is None or not roots:
                continue
            for outcome in expect:
                if not isinstance(outcome.tag, str):
                    continue
                kind = etree.QName(outcome).localname
                if kind not in ("success", "warning", "error"):
                    continue  # a description
                rule_id = (outcome.text or "").strip()
                number = outcome.get("number")
                yield pytest.param(
                    roots[0],
                    kind,
                    rule_id,
                    int(number) if number else None,
                    id=f"{path.stem}-{n}-{kind}",
                )


@pytest.mark.parametrize(("root", "kind", "rule_id", "number"), list(_cases()))
def test_upstream_unit_case(
    root: etree._Element, kind: str, rule_id: str, number: int | None
) -> None:
    doc = _doc(copy.deepcopy(root))
    found = [i for i in _peppol(doc).issues if i.rule_id == rule_id]
    if kind == "success":
        assert found == [], [i.loc for i in found]
        return
    assert found, f"{rule_id} did not fire"
    expected = Severity.WARNING if kind == "warning" else Severity.ERROR
    assert {i.severity for i in found} == {expected}
    if number is not None:
        assert len(found) == number


# -- helpers for national documents (shared with test_rules_peppol_national) ----------


def _party(role: str, country: str, inner: str = "") -> str:
    return (
        f"<cac:{role}><cac:Party>{inner}<cac:PostalAddress><cac:Country>"
        f"<cbc:IdentificationCode>{country}</cbc:IdentificationCode></cac:Country>"
        f"</cac:PostalAddress></cac:Party></cac:{role}>"
    )


def _vat(company_id: str, scheme: str = "VAT") -> str:
    return (
        f"<cac:PartyTaxScheme><cbc:CompanyID>{company_id}</cbc:CompanyID>"
        f"<cac:TaxScheme><cbc:ID>{scheme}</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
    )


def _legal(company_id: str, scheme: str = "") -> str:
    attr = f' schemeID="{scheme}"' if scheme else ""
    return (
        f"<cac:PartyLegalEntity><cbc:CompanyID{attr}>{company_id}</cbc:CompanyID>"
        "</cac:PartyLegalEntity>"
    )


def _asserted_ids(name: str) -> set[str]:
    import re

    sch = shared_path("specs", "einvoice", "peppol-bis3", "sch", name).read_text(encoding="utf-8")
    sch = re.sub(r"<!--.*?-->", "", sch, flags=re.S)  # UBL R048 is commented out upstream
    return set(re.findall(r'<assert[^>]*\bid="([^"]+)"', sch))


def test_all_rules_of_the_release_are_implemented() -> None:
    ubl = _asserted_ids("PEPPOL-EN16931-UBL.sch")
    cii = _asserted_ids("PEPPOL-EN16931-CII.sch")
    assert len(ubl) == 156
    assert {r for r in PEPPOL_BIS3.rules if "ubl" in syntaxes(r)} == ubl
    assert {r for r in PEPPOL_BIS3.rules if "cii" in syntaxes(r)} == cii
    assert len(PEPPOL_BIS3.rules) == len(ubl | cii) == 158


# -- the official examples, through the UBL reader and the whole rule chain ----------------


def _examples() -> list[Path]:
    folder = Path(shared_path("vectors", "einvoice", "peppol-bis3"))
    return sorted(
        [*folder.joinpath("examples").glob("*.xml"), *folder.joinpath("snippets").glob("*.xml")]
    )


@pytest.mark.parametrize("path", _examples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_official_examples_are_valid(path: Path) -> None:
    from defa.einvoice.rules import resolve
    from defa.einvoice.syntax.ubl import read

    doc = read(path.read_bytes())
    report = run(doc, resolve("peppol-bis3", PEPPOL_BIS3.valid_from))
    assert [(i.rule_id, i.loc) for i in report.issues] == []


def test_a_broken_example_is_caught() -> None:
    from defa.einvoice.rules import resolve
    from defa.einvoice.syntax.ubl import read

    path = shared_path("vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml")
    xml = Path(path).read_bytes()
    broken = xml.replace(b"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", b"urn:example:1.0")
    broken = broken.replace(b'schemeID="0088"', b'schemeID="0000"', 1)
    report = run(read(broken), resolve("peppol-bis3", PEPPOL_BIS3.valid_from))
    fired = {i.rule_id for i in report.issues}
    assert {"PEPPOL-EN16931-R007", "PEPPOL-EN16931-CL008"} <= fired


_JUNK = ["", "   ", "x", "-1e999", "NaN", "INF", "１２", "2025-13-45", "IT", "#", "0" * 40]


@pytest.mark.parametrize("junk", _JUNK)
def test_junk_values_never_raise(junk: str) -> None:
    """Every text and attribute of official UBL and CII examples replaced by junk:
    findings, no exception (the rules read leniently, as readers do)."""
    from defa.einvoice import syntax
    from defa.einvoice.rules import resolve

    cii = Path(shared_path("vectors", "einvoice", "en16931", "examples-cii"))
    samples = [(p, syntax.ubl.read) for p in _examples()[:4]]
    samples += [(p, syntax.cii.read) for p in sorted(cii.glob("*.xml"))[:3]]
    for path, read in samples:
        root = etree.fromstring(path.read_bytes(), _PARSER)
        for el in root.iter(etree.Element):
            if len(el) == 0:
                el.text = junk
            for name in el.attrib:
                el.set(name, junk)
        doc = read(etree.tostring(root))
        report = run(doc, resolve("peppol-bis3", PEPPOL_BIS3.valid_from))
        assert all(i.rule_id for i in report.issues)
