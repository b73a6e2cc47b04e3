"""`defa invoice check|convert|formats`, on the official examples."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from defa.cli import app
from tests.shared import shared_path

runner = CliRunner()


def _base_example() -> Path:
    return shared_path("vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml")


def _broken_totals(tmp_path: Path) -> Path:
    # base-example.xml: 1325 net + 331.25 VAT = 1656.25; 1656.26 breaks BR-CO-15 (BT-112 =
    # BT-109 + BT-110), and PayableAmount is left equal so only the total is wrong.
    text = _base_example().read_text()
    text = text.replace(
        '<cbc:TaxInclusiveAmount currencyID="EUR">1656.25</cbc:TaxInclusiveAmount>',
        '<cbc:TaxInclusiveAmount currencyID="EUR">1656.26</cbc:TaxInclusiveAmount>',
    )
    path = tmp_path / "broken.xml"
    path.write_text(text)
    return path


def test_valid_official_example_exits_0() -> None:
    result = runner.invoke(app, ["invoice", "check", str(_base_example()), "--as-of", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert ": valid (0 errors" in result.output


def test_broken_total_exits_1_and_names_the_rule(tmp_path: Path) -> None:
    broken = _broken_totals(tmp_path)
    result = runner.invoke(
        app, ["invoice", "check", str(broken), "--rules", "en16931", "--as-of", "2026-01-01"]
    )
    assert result.exit_code == 1
    assert "[BR-CO-15]" in result.output


def test_json_output_covers_every_file(tmp_path: Path) -> None:
    broken = _broken_totals(tmp_path)
    args = ["invoice", "check", str(_base_example()), str(broken), "--json", "--rules", "en16931"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    rows = json.loads(result.output)
    assert [r["valid"] for r in rows] == [True, False]
    assert "BR-CO-15" in {i["rule_id"] for i in rows[1]["issues"]}


def test_unreadable_and_hostile_files_are_reported(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Invoice>&a;</Invoice>')
    missing = tmp_path / "missing.xml"
    result = runner.invoke(app, ["invoice", "check", str(bomb), str(missing), "--json"])
    assert result.exit_code == 1
    codes = [r["issues"][0]["code"] for r in json.loads(result.output)]
    assert codes[0].startswith("xml.forbidden_")
    assert codes[1] == "input.unreadable"


def test_unknown_rule_set_is_usage_error() -> None:
    result = runner.invoke(app, ["invoice", "check", str(_base_example()), "--rules", "nope"])
    assert result.exit_code == 2
    assert "einvoice.unknown_rules" in result.output


def test_convert_to_cii_and_back(tmp_path: Path) -> None:
    out = tmp_path / "cii.xml"
    result = runner.invoke(
        app, ["invoice", "convert", str(_base_example()), "--to", "cii", "-o", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["out"] == str(out)
    assert out.read_bytes().lstrip().startswith(b"<?xml")
    assert b"CrossIndustryInvoice" in out.read_bytes()[:400]
    back = runner.invoke(app, ["invoice", "convert", str(out), "--to", "ubl"])
    assert back.exit_code == 0
    # BT-1 of base-example.xml is "Snippet1" (cbc:ID) and survives both conversions.
    assert "<cbc:ID>Snippet1</cbc:ID>" in back.output


def test_formats_lists_targets() -> None:
    result = runner.invoke(app, ["invoice", "formats", "--json"])
    rows = json.loads(result.output)
    assert {"ubl", "cii", "peppol-bis3"} <= {r["id"] for r in rows}
    assert all(r["syntax"] and "confidence" in r for r in rows)


def test_convert_with_a_tax_category_choice() -> None:
    # EN 16931 S is one of five PINT SG codes: listed unless the caller names one
    args = ["invoice", "convert", str(_base_example()), "--to", "sg-pint", "--json"]
    plain = json.loads(runner.invoke(app, args).stdout)
    assert any("candidates" in i.get("ctx", {}) for i in plain["report"]["issues"])
    chosen = runner.invoke(app, [*args, "--tax-category", "S=SR"])
    body = json.loads(chosen.stdout)
    assert not [i for i in body["report"]["issues"] if "candidates" in i.get("ctx", {})]
    assert "<cbc:ID>SR</cbc:ID>" in body["document"]


def test_convert_refuses_a_bad_tax_category_choice() -> None:
    base = ["invoice", "convert", str(_base_example()), "--to", "sg-pint"]
    malformed = runner.invoke(app, [*base, "--tax-category", "S"])
    assert malformed.exit_code == 2
    unknown = runner.invoke(app, [*base, "--tax-category", "S=XX", "--json"])
    assert unknown.exit_code == 2
    assert json.loads(unknown.stdout)["issues"][0]["code"] == "einvoice.unknown_tax_category"


def test_convert_self_billed_into_myinvois() -> None:
    # MyInvois e-invoice type 11: self-billed invoice
    args = ["invoice", "convert", str(_base_example()), "--to", "my-myinvois-xml", "--json"]
    asked = json.loads(runner.invoke(app, [*args, "--self-billed"]).stdout)
    assert ">11</cbc:InvoiceTypeCode>" in asked["document"]
    plain = json.loads(runner.invoke(app, args).stdout)
    assert ">01</cbc:InvoiceTypeCode>" in plain["document"]
    refused = runner.invoke(
        app, ["invoice", "convert", str(_base_example()), "--to", "my-pint", "--self-billed"]
    )
    assert refused.exit_code == 2
    assert "einvoice.self_billing_unsupported" in refused.output
