"""The invoice pages in a real browser: upload, read the verdict and the findings."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.shared import shared_path
from tests.web.conftest import Gateway

AS_OF = "2026-01-01"  # a date on which the packaged Peppol BIS 3 rules are in force
# The official example's totals: 1325 net + 331.25 VAT = 1656.25 (BT-112 = BT-109 + BT-110).
GOOD_TOTAL = b">1656.25</cbc:TaxInclusiveAmount>"


def _example() -> Path:
    return shared_path("vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml")


def _upload(
    page: Page, gateway: Gateway, file: Path | dict[str, object], *, convert: bool = False
) -> None:
    page.goto(f"{gateway.url}/web/")
    page.get_by_role("link", name="Check or convert an invoice").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check or convert an invoice")
    page.get_by_label("Invoice file (UBL or CII XML)").set_input_files(file)
    page.get_by_label("Rules as of").fill(AS_OF)
    if convert:
        page.get_by_label("Convert to").check()
        page.get_by_label("target format").select_option("cii")
    page.get_by_role("button", name="Submit").click()


def _errors_section(page: Page) -> Locator:
    return page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile(r"^Errors \(\d+\)$"))
    )


def test_official_example_is_valid(page: Page, gateway: Gateway) -> None:
    _upload(page, gateway, _example())
    expect(page.get_by_role("heading", level=1)).to_have_text("Report for base-example.xml")
    expect(page.locator("#verdict")).to_contain_text("valid: 0 errors")
    expect(_errors_section(page)).to_have_count(0)
    # The format is detected (Peppol BIS 3) and its rules run on top of EN 16931.
    expect(page.locator("p", has_text="Rules:")).to_contain_text("en16931")
    expect(page.locator("p", has_text="Rules:")).to_contain_text("peppol-bis3")


def test_broken_total_shows_br_co_15_under_errors(
    page: Page, gateway: Gateway, tmp_path: Path
) -> None:
    broken = tmp_path / "broken-total.xml"
    data = _example().read_bytes()
    assert GOOD_TOTAL in data
    broken.write_bytes(data.replace(GOOD_TOTAL, b">1000</cbc:TaxInclusiveAmount>"))
    _upload(page, gateway, broken)
    expect(page.locator("#verdict")).to_contain_text("invalid")
    errors = _errors_section(page)
    expect(errors.get_by_role("table")).to_be_visible()
    expect(errors.get_by_role("cell", name="BR-CO-15", exact=True)).to_be_visible()


def test_convert_to_cii_offers_the_document(page: Page, gateway: Gateway) -> None:
    _upload(page, gateway, _example(), convert=True)
    expect(page.get_by_role("heading", name="Conversion to cii")).to_be_visible()
    link = page.get_by_role("link", name="Download the cii document")
    expect(link).to_have_attribute("download", "base-example.cii.xml")
    page.get_by_text("Show the converted document").click()
    expect(page.locator("pre")).to_contain_text("CrossIndustryInvoice")


def test_unreadable_upload_shows_the_error_page_with_its_code(page: Page, gateway: Gateway) -> None:
    junk = {"name": "notes.xml", "mimeType": "application/xml", "buffer": b"not XML at all"}
    _upload(page, gateway, junk)
    expect(page.get_by_role("heading", level=1)).to_have_text("The input was not accepted")
    codes = page.get_by_role("table").locator("tbody tr td:first-child")
    expect(codes.first).to_have_text(re.compile(r"^xml\."))
    expect(page.get_by_role("link", name="Go back and try again")).to_have_attribute(
        "href", "/web/invoices"
    )


def test_markup_in_a_file_name_is_shown_as_text(page: Page, gateway: Gateway) -> None:
    name = "<b id=injected>bold</b>.xml"
    _upload(
        page,
        gateway,
        {"name": name, "mimeType": "application/xml", "buffer": _example().read_bytes()},
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Report for {name}")
    expect(page.locator("#injected")).to_have_count(0)
