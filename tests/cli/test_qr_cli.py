"""`defa qr ...` and `defa payments ...`: output and the exit-code contract."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from defa.cli.payments import payments_app
from defa.cli.qr import qr_app
from tests.payments.vectors import payload

# The sub-apps on their own root, as `defa` mounts them (qr, payments).
app = typer.Typer()
app.add_typer(qr_app, name="qr")
app.add_typer(payments_app, name="payments")
runner = CliRunner()

BILL = "TH Bill Payment"
RATES = '[[rates]]\nbase="MYR"\nquote="THB"\nrate="7.7"\nsource="board"\n'


def test_decode_human_and_json() -> None:
    result = runner.invoke(app, ["qr", "decode", payload(BILL)])
    assert result.exit_code == 0, result.output
    assert "th.billpayment" in result.output
    result = runner.invoke(app, ["qr", "decode", payload("VN VietQR"), "--json"])
    body = json.loads(result.output)
    assert body["scheme"] == "vn.vietqr"
    assert body["currency"] == "VND"


def test_decode_invalid_payload_exits_1() -> None:
    result = runner.invoke(app, ["qr", "decode", "0002010102116304FFFF", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["valid"] is False


def test_decode_from_stdin() -> None:
    result = runner.invoke(app, ["qr", "decode", "-"], input=payload(BILL) + "\n")
    assert result.exit_code == 0


def test_encode_then_decode() -> None:
    result = runner.invoke(
        app, ["qr", "encode", "--country", "TH", "--field", "mobile=0066812345678", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["scheme"] == "th.promptpay"
    assert body["valid"] is True


def test_encode_usage_errors() -> None:
    assert runner.invoke(app, ["qr", "encode", "--country", "ZZ"]).exit_code == 2
    result = runner.invoke(app, ["qr", "encode", "--country", "TH", "--field", "nope=1"])
    assert result.exit_code == 1
    assert "qr.bad_value" in result.output


def test_image_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "code.png"
    result = runner.invoke(app, ["qr", "image", payload(BILL), "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["qr", "decode", "--image", str(out), "--json"])
    assert json.loads(result.output)["text"] == payload(BILL)
    svg = tmp_path / "code.svg"
    assert runner.invoke(app, ["qr", "image", payload(BILL), "-o", str(svg)]).exit_code == 0
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_image_that_is_not_a_qr_code(tmp_path: Path) -> None:
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"definitely not an image")
    result = runner.invoke(app, ["qr", "decode", "--image", str(junk)])
    assert result.exit_code == 1
    assert "qr.not_a_qr_image" in result.output
    missing = runner.invoke(app, ["qr", "decode", "--image", str(tmp_path / "none.png")])
    assert missing.exit_code == 1
    assert "input.unreadable" in missing.output


def test_pay_payable_with_quote(tmp_path: Path) -> None:
    rates = tmp_path / "rates.toml"
    rates.write_text(RATES, encoding="utf-8")
    args = ["qr", "pay", payload(BILL), "--payer-country", "MY", "--amount", "100"]
    result = runner.invoke(app, [*args, "--rates", str(rates), "--as-of", "2026-01-05"])
    assert result.exit_code == 0, result.output
    assert "PAYABLE" in result.output
    assert "12.99 MYR" in result.output  # 100 / 7.7 = 12.987... -> 12.99
    result = runner.invoke(app, [*args, "--rates", str(rates), "--json"])
    body = json.loads(result.output)
    assert body["quote"]["source"] == {"currency": "MYR", "amount": "12.99"}


def test_pay_not_payable_and_before_launch() -> None:
    result = runner.invoke(app, ["qr", "pay", payload(BILL), "--payer-country", "PH"])
    assert result.exit_code == 1
    assert "NOT PAYABLE" in result.output
    # MY->TH phase 2: 27 January 2022 (see the linkage data).
    early = ["qr", "pay", payload(BILL), "-p", "MY", "--as-of", "2022-01-26", "--json"]
    result = runner.invoke(app, early)
    assert result.exit_code == 1
    assert json.loads(result.output)["code"] == "payments.no_linkage"


def test_pay_usage_errors() -> None:
    assert runner.invoke(app, ["qr", "pay", payload(BILL)]).exit_code == 2
    assert runner.invoke(app, ["qr", "pay", payload(BILL), "-p", "XX"]).exit_code == 2
    bad_date = ["qr", "pay", payload(BILL), "-p", "MY", "--as-of", "soon"]
    assert runner.invoke(app, bad_date).exit_code == 2


def test_pacs008_and_pacs002(tmp_path: Path) -> None:
    rates = tmp_path / "rates.toml"
    rates.write_text(RATES, encoding="utf-8")
    out = tmp_path / "pacs008.xml"
    args = [
        "payments", "pacs008", payload(BILL), "-p", "MY", "--amount", "100",
        "--rates", str(rates), "--debtor-name", "Aminah", "--debtor-agent", "MBBEMYKL",
        "--creditor-agent", "NITMX:014", "--intermediary", "CIBBMYKL", "-o", str(out),
    ]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    xml = out.read_text(encoding="utf-8")
    assert '<InstdAmt Ccy="MYR">12.99</InstdAmt>' in xml
    uetr = xml.split("<UETR>")[1].split("</UETR>")[0]
    status = tmp_path / "pacs002.xml"
    status.write_text(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.13"><FIToFIPmtStsRpt>'
        "<GrpHdr><MsgId>S1</MsgId><CreDtTm>2026-01-05T09:30:05Z</CreDtTm></GrpHdr>"
        f"<TxInfAndSts><OrgnlUETR>{uetr}</OrgnlUETR><TxSts>ACSC</TxSts></TxInfAndSts>"
        "</FIToFIPmtStsRpt></Document>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["payments", "pacs002", str(status), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["transactions"][0]["original_uetr"] == uetr


def test_pacs008_not_payable_and_missing_options(tmp_path: Path) -> None:
    rates = tmp_path / "rates.toml"
    rates.write_text(RATES, encoding="utf-8")
    base = ["payments", "pacs008", payload(BILL), "--rates", str(rates)]
    agents = ["--debtor-name", "A", "--debtor-agent", "MBBEMYKL", "--creditor-agent", "X:1"]
    result = runner.invoke(app, [*base, "-p", "PH", *agents, "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["issues"][0]["code"] == "payments.no_linkage"
    assert runner.invoke(app, [*base, "-p", "MY"]).exit_code == 2


def test_linkages_listing() -> None:
    result = runner.invoke(app, ["payments", "linkages", "--payer", "KH", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert {r["merchant"] for r in rows} >= {"VN", "LA", "TH", "MY"}
    assert all(r["source"] for r in rows)
