"""pacs.008.001.11 built from a QR code and a quote, checked against the official XSD.

The XSD is loaded here independently from the shared specs, so the test does not trust the
validator under test; expected values come from the quote worked by hand (100 THB at 7.7 THB
per MYR = 12.99 MYR).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from defa.errors import DataError, ValidationError
from defa.iso20022 import Agent, _schemas, build_pacs008, validate
from defa.payments import make_quote, parse_rates
from defa.qr import decode
from tests.payments.vectors import payload
from tests.shared import shared_path

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.11"}
UUID4 = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}")
RATES = '[[rates]]\nbase="MYR"\nquote="THB"\nrate="7.7"\nsource="board"\n'


def _official() -> etree.XMLSchema:
    path = shared_path("specs", "payments", "iso20022", "pacs.008.001.11.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def _built(**kwargs: object) -> tuple[etree._Element, object, object]:
    qr = decode(payload("TH Bill Payment"))
    quote = make_quote(qr, "MY", parse_rates(RATES), amount=Decimal("100"), as_of=date(2026, 1, 5))
    args: dict[str, object] = {
        "debtor_name": "Aminah binti Ali",
        "debtor_agent": Agent(bic="MBBEMYKL"),
        "creditor_agent": Agent(member_id="014", clearing_system="NITMX"),
        "intermediaries": (Agent(bic="CIBBMYKL"), Agent(bic="CIBBTHBK")),
        "debtor_account": "114012345678",
        "now": datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    }
    args.update(kwargs)
    msg = build_pacs008(qr, quote, **args)  # type: ignore[arg-type]
    return etree.fromstring(msg.xml), msg, quote


def _text(root: etree._Element, path: str) -> str:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    assert len(found) == 1, path
    return str(found[0])


def test_message_is_valid_against_the_official_xsd() -> None:
    root, _, _ = _built()
    schema = _official()
    assert schema.validate(root), schema.error_log
    assert validate(root, "pacs.008.001.11") == []


def test_amounts_rate_and_ids() -> None:
    root, msg, quote = _built()
    tx = "/p:Document/p:FIToFICstmrCdtTrf/p:CdtTrfTxInf/"
    assert _text(root, tx + "p:IntrBkSttlmAmt/text()") == "100.00"
    assert _text(root, tx + "p:IntrBkSttlmAmt/@Ccy") == "THB"
    assert _text(root, tx + "p:InstdAmt/text()") == "12.99"
    assert _text(root, tx + "p:InstdAmt/@Ccy") == "MYR"
    assert _text(root, tx + "p:XchgRate/text()") == "7.7"
    uetr = _text(root, tx + "p:PmtId/p:UETR/text()")
    assert UUID4.fullmatch(uetr)
    assert uetr == msg.uetr  # type: ignore[attr-defined]
    assert _text(root, tx + "p:InstrForNxtAgt/p:InstrInf/text()") == f"/QUOTE/{quote.id}"  # type: ignore[attr-defined]
    assert _text(root, tx + "p:IntrmyAgt1/p:FinInstnId/p:BICFI/text()") == "CIBBMYKL"
    assert _text(root, tx + "p:IntrmyAgt2/p:FinInstnId/p:BICFI/text()") == "CIBBTHBK"
    assert _text(root, tx + "p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId/text()") == "014"
    assert _text(root, tx + "p:IntrBkSttlmDt/text()") == "2026-01-05"
    assert _text(root, "/p:Document/p:FIToFICstmrCdtTrf/p:GrpHdr/p:NbOfTxs/text()") == "1"
    # The biller id of the Thai bill payment template (sub-ID 01) is the creditor account.
    assert _text(root, tx + "p:CdtrAcct/p:Id/p:Othr/p:Id/text()") == "0112233445566"
    assert _text(root, tx + "p:RmtInf/p:Ustrd/text()") == "CUSTOMER001"


def test_two_messages_never_share_ids() -> None:
    _, first, _ = _built()
    _, second, _ = _built()
    assert first.uetr != second.uetr  # type: ignore[attr-defined]
    assert first.message_id != second.message_id  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"debtor_agent": Agent(bic="NOT A BIC")},
        {"debtor_agent": Agent()},
        {"creditor_agent": Agent(member_id="x" * 36)},
        {"debtor_name": "   "},
        {"intermediaries": (Agent(bic="CIBBMYKL"),) * 4},
        {"charge_bearer": "ALL"},
    ],
)
def test_unwritable_parties_are_reported(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as err:
        _built(**kwargs)
    assert err.value.code == "iso20022.bad_party"


def test_validator_finds_a_broken_document() -> None:
    root, _, _ = _built()
    tx = root.find("p:FIToFICstmrCdtTrf/p:CdtTrfTxInf", NS)
    assert tx is not None
    bearer = tx.find("p:ChrgBr", NS)
    assert bearer is not None
    tx.remove(bearer)  # ChrgBr is mandatory in CreditTransferTransaction58
    issues = validate(root, "pacs.008.001.11")
    assert issues
    assert {i.code for i in issues} == {"iso20022.schema_invalid"}
    assert not _official().validate(root)


def test_missing_schema_is_a_clear_data_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_schemas, "schema_dirs", lambda: [tmp_path])
    _schemas.schema.cache_clear()
    try:
        with pytest.raises(DataError) as err:
            _schemas.schema("pacs.008.001.11")
        assert err.value.code == "iso20022.schema_missing"
        assert str(tmp_path) in err.value.issues[0].msg
    finally:
        _schemas.schema.cache_clear()
