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
from defa.einvoice.rules.peppol import PEPPOL_BIS3, identifiers
from defa.einvoice.rules.peppol._ubl import xpath_round2
from defa.einvoice.rules.peppol.national_it_gr import greek_tin
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
    # 56 Peppol rules in the UBL Schematron of the release (R048 is commented out upstream).
    peppol = [r for r in rs.rules if r.startswith("PEPPOL-")]
    assert len(peppol) == 56
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


# -- national rules, hand-built ------------------------------------------------------------


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


def test_all_rules_of_the_release_are_implemented() -> None:
    import re

    sch = shared_path(
        "specs", "einvoice", "peppol-bis3", "sch", "PEPPOL-EN16931-UBL.sch"
    ).read_text(encoding="utf-8")
    sch = re.sub(r"<!--.*?-->", "", sch, flags=re.S)  # R048 is commented out upstream
    upstream = set(re.findall(r'<assert[^>]*\bid="([^"]+)"', sch))
    assert len(upstream) == 156
    assert set(PEPPOL_BIS3.rules) == upstream


def test_norway() -> None:
    # 974760673 is a valid organisation number (see test_identifier_checks).
    good = _party(
        "AccountingSupplierParty", "NO", _vat("NO974760673MVA") + _vat("Foretaksregisteret", "TAX")
    )
    bad = _party("AccountingSupplierParty", "NO", _vat("NO974760674MVA"))
    assert _fired(_ubl(good), "NO-R-001") == []
    assert _fired(_ubl(good), "NO-R-002") == []
    assert len(_fired(_ubl(bad), "NO-R-001")) == 1
    assert len(_fired(_ubl(bad), "NO-R-002")) == 1  # a warning: no Foretaksregisteret


def test_denmark() -> None:
    seller = _party("AccountingSupplierParty", "DK", _legal("12345678", "0184"))
    buyer = _party("AccountingCustomerParty", "DK")
    giro = (
        "<cac:PaymentMeans><cbc:PaymentMeansCode>50</cbc:PaymentMeansCode>"
        "<cbc:PaymentID>{pid}</cbc:PaymentID><cac:PayeeFinancialAccount><cbc:ID>1234567</cbc:ID>"
        "</cac:PayeeFinancialAccount></cac:PaymentMeans>"
    )
    ok = _ubl(seller + buyer + giro.format(pid="04#1234567890123456"))
    short = _ubl(seller + buyer + giro.format(pid="04#123"))
    wrong = _ubl(seller + buyer + giro.format(pid="99#1"))
    for rule_id in ("DK-R-002", "DK-R-005", "DK-R-008", "DK-R-009", "DK-R-014"):
        assert _fired(ok, rule_id) == [], rule_id
    assert len(_fired(short, "DK-R-009")) == 1
    assert len(_fired(wrong, "DK-R-008")) == 1
    unnamed = _ubl(_party("AccountingSupplierParty", "DK", _legal("12345678", "0088")))
    assert len(_fired(unnamed, "DK-R-014")) == 1


def test_sweden() -> None:
    seller = _party(
        "AccountingSupplierParty",
        "SE",
        _vat("SE556036079301") + _vat("Godkänd för F-skatt", "TAX") + _legal("5560360793"),
    )
    assert [i.rule_id for i in _peppol(_ubl(seller)).issues if i.rule_id.startswith("SE")] == []
    wrong = _party("AccountingSupplierParty", "SE", _vat("SE5560360793") + _legal("5560360794"))
    fired = {i.rule_id for i in _peppol(_ubl(wrong)).issues}
    assert {"SE-R-001", "SE-R-013"} <= fired
    rate = "<cac:TaxTotal><cac:TaxSubtotal><cac:TaxCategory><cbc:ID>S</cbc:ID>"
    assert (
        len(
            _fired(
                _ubl(
                    seller + rate + "<cbc:Percent>20</cbc:Percent>" + "</cac:TaxCategory>"
                    "</cac:TaxSubtotal></cac:TaxTotal>"
                ),
                "SE-R-006",
            )
        )
        == 1
    )


def test_iceland() -> None:
    seller = _party("AccountingSupplierParty", "IS", _legal("5101210170", "0196"))
    eindagi = (
        "<cbc:DueDate>2025-01-10</cbc:DueDate><cac:AdditionalDocumentReference>"
        "<cbc:ID>{d}</cbc:ID><cbc:DocumentDescription>EINDAGI</cbc:DocumentDescription>"
        "</cac:AdditionalDocumentReference>"
    )
    assert _fired(_ubl(seller + eindagi.format(d="2025-01-15")), "IS-R-010") == []
    assert len(_fired(_ubl(seller + eindagi.format(d="2025-01-05")), "IS-R-010")) == 1
    assert len(_fired(_ubl(seller + eindagi.format(d="15.01.2025")), "IS-R-008")) == 1
    assert len(_fired(_ubl(_party("AccountingSupplierParty", "IS")), "IS-R-002")) == 1


def test_italy_greece_netherlands() -> None:
    italian = _party("AccountingSupplierParty", "IT", _vat("IT02985591201"))
    assert {"IT-R-002", "IT-R-003", "IT-R-004"} <= {
        i.rule_id for i in _peppol(_ubl(italian)).issues
    }
    # Greek TIN 094014201: 0*256 + 9*128 + 4*64 + 0*32 + 1*16 + 4*8 + 2*4 + 0*2 = 1464;
    # 1464 mod 11 = 1, mod 10 = 1 = the ninth digit.
    assert greek_tin("094014201")
    assert not greek_tin("094014202")
    greek = _party("AccountingSupplierParty", "GR", _vat("EL094014201"))
    number = (
        "<cbc:ID>094014201|01/02/2025|1|1.1|A|B</cbc:ID><cbc:IssueDate>2025-02-01</cbc:IssueDate>"
    )
    issues = {i.rule_id for i in _peppol(_ubl(number + greek)).issues}
    assert not {f"GR-R-001-{n}" for n in range(1, 8)} & issues
    wrong_date = number.replace("01/02/2025", "02/01/2025")
    assert len(_fired(_ubl(wrong_date + greek), "GR-R-001-3")) == 1
    dutch = _party("AccountingSupplierParty", "NL", _legal("12345678", "0106"))
    credit = _ubl(dutch + "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", "CreditNote")
    assert len(_fired(credit, "NL-R-001")) == 1
    assert len(_fired(credit, "NL-R-002")) == 1
    assert _fired(credit, "NL-R-003") == []


def test_germany() -> None:
    from defa.einvoice.rules.peppol.national_de import iban_checksum

    assert iban_checksum("DE89 3704 0044 0532 0130 00")
    assert not iban_checksum("DE89370400440532013001")
    parties = _party("AccountingSupplierParty", "DE") + _party("AccountingCustomerParty", "DE")
    skonto = (
        "<cac:PaymentTerms><cbc:Note>#SKONTO#TAGE=7#PROZENT=2.00#\n</cbc:Note></cac:PaymentTerms>"
    )
    bad_skonto = skonto.replace("2.00", "2")
    doc = _ubl(parties + skonto)
    fired = {i.rule_id for i in _peppol(doc).issues}
    assert {"DE-R-001", "DE-R-015", "DE-R-002"} <= fired
    assert "DE-R-018" not in fired
    assert len(_fired(_ubl(parties + bad_skonto), "DE-R-018")) == 1
    # Not German on both sides: no German rule applies.
    one_side = _party("AccountingSupplierParty", "DE") + _party("AccountingCustomerParty", "FR")
    assert not [i for i in _peppol(_ubl(one_side)).issues if i.rule_id.startswith("DE-")]


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


# -- national rules: one passing and one failing document each, by hand --------------------


def _el(path: str, value: str = "", **attrs: str) -> str:
    """Nested UBL elements from a '/'-separated path: _el("cac:A/cbc:B", "1")."""
    steps = path.split("/")
    attr = "".join(f' {k}="{v}"' for k, v in attrs.items())
    opening = "".join(f"<{s}{attr if i == len(steps) - 1 else ''}>" for i, s in enumerate(steps))
    return opening + value + "".join(f"</{s}>" for s in reversed(steps))


def _means(code: str, inner: str = "") -> str:
    return _el("cac:PaymentMeans", _el("cbc:PaymentMeansCode", code) + inner)


def _account(account: str, branch: str = "") -> str:
    fib = _el("cac:FinancialInstitutionBranch/cbc:ID", branch) if branch else ""
    return _el("cac:PayeeFinancialAccount", _el("cbc:ID", account) + fib)


def _doc_ref(number: str, description: str) -> str:
    return _el(
        "cac:AdditionalDocumentReference",
        _el("cbc:ID", number) + _el("cbc:DocumentDescription", description),
    )


def _with_party_part(body: str, part: str) -> str:
    """Insert ``part`` at the start of the first cac:Party of ``body``."""
    return body.replace("<cac:Party>", "<cac:Party>" + part, 1)


def _payable(amount: str) -> str:
    return _el("cac:LegalMonetaryTotal/cbc:PayableAmount", amount, currencyID="EUR")


def _attachment(name: str) -> str:
    return _el(
        "cac:AdditionalDocumentReference",
        _el("cbc:ID", "1")
        + _el(
            "cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
            "AA==",
            mimeCode="application/pdf",
            filename=name,
        ),
    )


def _classification(version: str) -> str:
    code = _el("cbc:ItemClassificationCode", "1", listID="TST", listVersionID=version)
    return _el("cac:InvoiceLine/cac:Item/cac:CommodityClassification", code)


def _reason(text: str) -> str:
    return _el(
        "cac:AllowanceCharge",
        _el("cbc:AllowanceChargeReasonCode", "ZZZ") + _el("cbc:AllowanceChargeReason", text),
    )


_DK = _party("AccountingSupplierParty", "DK", _legal("12345678", "0184")) + _party(
    "AccountingCustomerParty", "DK"
)
_SE = _party("AccountingSupplierParty", "SE", _vat("SE556036079301") + _legal("5560360793"))
_SE_SE = _SE + _party("AccountingCustomerParty", "SE")
_IS = _party("AccountingSupplierParty", "IS", _legal("5101210170", "0196"))
_NL = _party("AccountingSupplierParty", "NL", _legal("12345678", "0106"))
_NL_NL = _NL + _party("AccountingCustomerParty", "NL")
_GR = _party("AccountingSupplierParty", "GR", _vat("EL094014201"))
_DE_DE = _party("AccountingSupplierParty", "DE") + _party("AccountingCustomerParty", "DE")
_IBAN = "DE89370400440532013000"
_MANDATE = _el(
    "cac:PaymentMandate", _el("cbc:ID", "M1") + _el("cac:PayerFinancialAccount/cbc:ID", _IBAN)
)
_PID = "cbc:PaymentID"
_MARK = "##M.AR.K##"
_CARD = _el("cac:CardAccount/cbc:PrimaryAccountNumberID", "1234")
_ORDER_LINE = _el("cac:InvoiceLine/cac:OrderLineReference/cbc:LineID", "1")
_BILLING = _el("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", "1")

NATIONAL_CASES = [
    # rule, a body that passes, a body that fails, the root of both
    ("DK-R-005", _DK + _means("31", _account("1", "2")), _DK + _means("30"), "Invoice"),
    (
        "DK-R-006",
        _DK + _means("31", _account("1234", "5678")),
        _DK + _means("31", _account("1")),
        "Invoice",
    ),
    ("DK-R-007", _DK + _means("49", _MANDATE), _DK + _means("49"), "Invoice"),
    (
        "DK-R-010",
        _DK + _means("93", _el(_PID, "71#123456789012345") + _account("12345678")),
        _DK + _means("93", _el(_PID, "71#1") + _account("1234")),
        "Invoice",
    ),
    (
        "DK-R-011",
        _DK + _means("93", _el(_PID, "75#123456789012345")),
        _DK + _means("93", _el(_PID, "75#12345")),
        "Invoice",
    ),
    (
        "DK-R-013",
        _with_party_part(_DK, _el("cac:PartyIdentification/cbc:ID", "1", schemeID="0088")),
        _with_party_part(_DK, _el("cac:PartyIdentification/cbc:ID", "1")),
        "Invoice",
    ),
    ("DK-R-016", _DK + _payable("10"), _DK + _payable("-10"), "CreditNote"),
    ("DK-R-004", _DK + _reason("0123"), _DK + _reason("#tax"), "Invoice"),
    ("DK-R-003", _DK + _classification("19.05.01"), _DK + _classification("7"), "Invoice"),
    (
        "SE-R-007",
        _SE + _means("30", _account("1234", "SE:PLUSGIRO")),
        _SE + _means("30", _account("12a", "SE:PLUSGIRO")),
        "Invoice",
    ),
    (
        "SE-R-009",
        _SE + _means("30", _account("1234567", "SE:BANKGIRO")),
        _SE + _means("30", _account("123", "SE:BANKGIRO")),
        "Invoice",
    ),
    ("SE-R-011", _SE + _means("30"), _SE + _means("50"), "Invoice"),
    ("SE-R-012", _SE_SE + _means("30"), _SE_SE + _means("31"), "Invoice"),
    (
        "SE-R-005",
        _with_party_part(_SE, _vat("Godkänd för F-skatt", "TAX")),
        _with_party_part(_SE, _vat("F-skatt", "TAX")),
        "Invoice",
    ),
    (
        "IS-R-001",
        _IS + _el("cbc:InvoiceTypeCode", "380"),
        _IS + _el("cbc:InvoiceTypeCode", "383"),
        "Invoice",
    ),
    (
        "IS-R-006",
        _IS + _means("9", _account("123456789012")),
        _IS + _means("9", _account("1234")),
        "Invoice",
    ),
    (
        "IS-R-009",
        _IS + _el("cbc:DueDate", "2025-01-01") + _doc_ref("2025-01-02", "EINDAGI"),
        _IS + _doc_ref("2025-01-02", "EINDAGI"),
        "Invoice",
    ),
    (
        "IS-R-004",
        _IS + _party("AccountingCustomerParty", "IS", _legal("5101210170", "0196")),
        _IS + _party("AccountingCustomerParty", "IS"),
        "Invoice",
    ),
    ("NL-R-007", _NL + _means("30") + _payable("5"), _NL + _payable("5"), "Invoice"),
    ("NL-R-008", _NL_NL + _means("58"), _NL_NL + _means("31"), "Invoice"),
    (
        "NL-R-009",
        _NL + _el("cac:OrderReference/cbc:ID", "1") + _ORDER_LINE,
        _NL + _ORDER_LINE,
        "Invoice",
    ),
    (
        "NL-R-005",
        _NL + _party("AccountingCustomerParty", "NL", _legal("1", "0190")),
        _NL + _party("AccountingCustomerParty", "NL", _legal("1", "0088")),
        "Invoice",
    ),
    ("GR-R-003", _GR, _GR.replace("EL094014201", "GR094014201"), "Invoice"),
    (
        "GR-R-009",
        _with_party_part(_GR, _el("cbc:EndpointID", "094014201", schemeID="9933")),
        _with_party_part(_GR, _el("cbc:EndpointID", "094014201", schemeID="0088")),
        "Invoice",
    ),
    ("GR-R-004-1", _GR + _doc_ref("1", _MARK), _GR, "Invoice"),
    ("GR-R-004-2", _GR + _doc_ref("12", _MARK), _GR + _doc_ref("012", _MARK), "Invoice"),
    ("DE-R-023-1", _DE_DE + _means("58", _account(_IBAN)), _DE_DE + _means("58"), "Invoice"),
    (
        "DE-R-019",
        _DE_DE + _means("58", _account(_IBAN)),
        _DE_DE + _means("58", _account(_IBAN[:-1] + "1")),
        "Invoice",
    ),
    ("DE-R-025-1", _DE_DE + _means("59", _MANDATE), _DE_DE + _means("59"), "Invoice"),
    (
        "DE-R-024-2",
        _DE_DE + _means("48", _CARD),
        _DE_DE + _means("48", _account(_IBAN)),
        "Invoice",
    ),
    (
        "DE-R-031",
        _DE_DE + _means("59", _MANDATE),
        _DE_DE + _means("59", _el("cac:PaymentMandate/cbc:ID", "M1")),
        "Invoice",
    ),
    (
        "DE-R-026",
        _DE_DE + _el("cbc:InvoiceTypeCode", "384") + _BILLING,
        _DE_DE + _el("cbc:InvoiceTypeCode", "384"),
        "Invoice",
    ),
    ("DE-R-022", _DE_DE + _attachment("a.pdf"), _DE_DE + 2 * _attachment("a.pdf"), "Invoice"),
    (
        "DE-R-028",
        _with_party_part(_DE_DE, _el("cac:Contact/cbc:ElectronicMail", "ab@example.de")),
        _with_party_part(_DE_DE, _el("cac:Contact/cbc:ElectronicMail", "ab@.de")),
        "Invoice",
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "good", "bad", "root"), NATIONAL_CASES, ids=[c[0] for c in NATIONAL_CASES]
)
def test_national_rule_by_hand(rule_id: str, good: str, bad: str, root: str) -> None:
    assert _fired(_ubl(good, root), rule_id) == []
    assert _fired(_ubl(bad, root), rule_id) != []
