"""Peppol BIS 3 national rules (NO, DK, SE, IS, IT, GR, NL, DE) on hand-built UBL documents.

Each rule is shown to pass on a document built to satisfy it and to fire on one built to
break it; identifier checksums are worked out by hand in the comments.
"""

from __future__ import annotations

import pytest

from defa.einvoice.rules.peppol.national_it_gr import greek_tin
from tests.einvoice.test_rules_peppol import _fired, _legal, _party, _peppol, _ubl, _vat


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
