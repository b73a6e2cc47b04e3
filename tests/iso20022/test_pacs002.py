"""pacs.002.001.13 status reports, written here by hand after the official XSD."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defa.errors import DefaError, InputRejected, ValidationError
from defa.iso20022 import read_pacs002

UETR = "7f1c2a4e-9b3d-4c5e-8f6a-1b2c3d4e5f60"


def report(tx_status: str, group_status: str = "", reason: str = "") -> str:
    group = f"<GrpSts>{group_status}</GrpSts>" if group_status else ""
    why = (
        f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn><AddtlInf>Quote expired</AddtlInf></StsRsnInf>"
        if reason
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.13">
  <FIToFIPmtStsRpt>
    <GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-01-05T09:30:05Z</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>MSG-1</OrgnlMsgId>
      <OrgnlMsgNmId>pacs.008.001.11</OrgnlMsgNmId>
      {group}
    </OrgnlGrpInfAndSts>
    <TxInfAndSts>
      <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
      <OrgnlUETR>{UETR}</OrgnlUETR>
      <TxSts>{tx_status}</TxSts>
      {why}
    </TxInfAndSts>
  </FIToFIPmtStsRpt>
</Document>"""


def test_settled_payment() -> None:
    read = read_pacs002(report("ACSC"))
    assert read.message_id == "STS-1"
    assert read.original_message_id == "MSG-1"
    assert read.original_message_name == "pacs.008.001.11"
    found = read.find(UETR.upper())
    assert found is not None
    assert found.status == "ACSC"
    assert found.outcome == "accepted"
    assert found.original_end_to_end_id == "E2E-1"


def test_rejected_payment_with_reason() -> None:
    read = read_pacs002(report("RJCT", "RJCT", "AB05").encode())
    assert read.group_status == "RJCT"
    tx = read.transactions[0]
    assert tx.outcome == "rejected"
    assert tx.reasons == (("AB05", "Quote expired"),)
    assert read.to_dict()["group_outcome"] == "rejected"


def test_pending() -> None:
    assert read_pacs002(report("PDNG")).transactions[0].outcome == "pending"


def test_schema_invalid_report() -> None:
    # ExternalPaymentTransactionStatus1Code is 1 to 4 characters.
    with pytest.raises(ValidationError) as err:
        read_pacs002(report("ACCEPTED"))
    assert err.value.code == "iso20022.schema_invalid"


def test_wrong_message_and_root() -> None:
    other = report("ACSC").replace("pacs.002.001.13", "pacs.002.001.10")
    with pytest.raises(ValidationError) as err:
        read_pacs002(other)
    assert err.value.code == "xml.wrong_namespace"
    with pytest.raises(ValidationError) as err:
        read_pacs002("<Invoice/>")
    assert err.value.code == "xml.wrong_root"


def test_hostile_xml_is_refused() -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>'
    with pytest.raises(InputRejected):
        read_pacs002(bomb)
    with pytest.raises(InputRejected):
        read_pacs002(b"\x00\x01not xml")


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_any_input_gets_our_error_or_a_report(junk: str | bytes) -> None:
    with contextlib.suppress(DefaError):
        read_pacs002(junk)
