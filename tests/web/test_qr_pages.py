"""The payment QR page in a real browser: paste or upload, read the fields and who can pay."""

from __future__ import annotations

import io
import json
from typing import Any

import segno
from PIL import Image
from playwright.sync_api import Page, expect

from tests.shared import shared_path
from tests.web.conftest import Gateway


def _vector(label: str, index: int = 0) -> str:
    """A payload from the shared vectors, by its scheme label there (CRC and TLV valid)."""
    rows: list[dict[str, Any]] = json.loads(
        shared_path("vectors", "qr", "payloads.json").read_text(encoding="utf-8")
    )
    found = [r["payload"] for r in rows if r["scheme"] == label and r["valid_crc_and_tlv"]]
    return str(found[index])


def _open(page: Page, gateway: Gateway) -> None:
    page.goto(f"{gateway.url}/web/")
    page.get_by_role("link", name="Read a payment QR").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Read a payment QR code")


def _row(page: Page, country: str) -> Any:
    table = page.get_by_role("table", name="Payer's country, whether their apps can pay, and how")
    return table.get_by_role("row").filter(has_text=f"({country})")


def test_pasted_promptpay_shows_country_scheme_and_image(page: Page, gateway: Gateway) -> None:
    _open(page, gateway)
    page.get_by_label("QR payload text").fill(_vector("TH PromptPay AnyID"))
    page.get_by_role("button", name="Read the code").click()
    expect(page.locator("#qr-country")).to_have_text("TH")
    expect(page.locator("#qr-scheme")).to_contain_text("th.promptpay")
    expect(page.locator("#verdict")).to_have_text("valid")
    image = page.get_by_role("img", name="The payment QR code, drawn again from the payload")
    expect(image).to_be_visible()
    assert (image.get_attribute("src") or "").startswith("data:image/png;base64,")
    # PromptPay to a mobile number is a person-to-person proxy, not a merchant code
    # (docs/payments.md): no app pays it as a merchant payment, at home or abroad.
    expect(_row(page, "TH").get_by_role("cell").nth(1)).to_have_text("no")
    expect(_row(page, "TH")).to_contain_text("payments.p2p_transfer")


def test_duitnow_is_payable_from_thailand_by_the_2021_linkage(page: Page, gateway: Gateway) -> None:
    _open(page, gateway)
    page.get_by_label("QR payload text").fill(_vector("MY DuitNow", 1))
    page.get_by_label("Date").fill("2024-01-01")
    page.get_by_role("button", name="Read the code").click()
    expect(page.locator("#qr-country")).to_have_text("MY")
    expect(page.locator("#qr-scheme")).to_contain_text("my.duitnow")
    # BNM-BOT joint statement, 18 June 2021: Thai apps pay DuitNow QR codes.
    expect(_row(page, "TH").get_by_role("cell").nth(1)).to_have_text("yes")
    expect(_row(page, "TH")).to_contain_text("th-my-duitnow")
    # A Malaysian payer pays at home: domestic, no linkage needed.
    expect(_row(page, "MY").get_by_role("cell").nth(1)).to_have_text("yes")
    expect(_row(page, "MY")).to_contain_text("domestic")
    # No Philippine linkage with Malaysia.
    expect(_row(page, "PH").get_by_role("cell").nth(1)).to_have_text("no")
    expect(_row(page, "PH")).to_contain_text("payments.no_linkage")


def test_uploaded_picture_of_a_code_is_read(page: Page, gateway: Gateway) -> None:
    payload = _vector("TH PromptPay AnyID", 1)
    picture = io.BytesIO()
    segno.make(payload, error="m", mode="byte").save(picture, kind="png", scale=8)
    _open(page, gateway)
    page.get_by_label("or an image of the code").set_input_files(
        {"name": "code.png", "mimeType": "image/png", "buffer": picture.getvalue()}
    )
    page.get_by_role("button", name="Read the code").click()
    expect(page.locator("#qr-scheme")).to_contain_text("th.promptpay")
    expect(page.get_by_label("QR payload text")).to_have_value(payload)


def test_bad_crc_is_invalid_with_its_code(page: Page, gateway: Gateway) -> None:
    _open(page, gateway)
    # Format indicator, static, then a CRC field whose value cannot be the CRC of the rest.
    page.get_by_label("QR payload text").fill("0002010102116304FFFF")
    page.get_by_role("button", name="Read the code").click()
    expect(page.locator("#verdict")).to_have_text("invalid")
    errors = page.locator("section").filter(has=page.get_by_role("heading", name="Errors"))
    expect(errors.get_by_role("cell", name="qr.crc_mismatch")).to_be_visible()
    expect(page.get_by_role("img")).to_have_count(0)


def test_picture_without_a_code_shows_the_error_page(page: Page, gateway: Gateway) -> None:
    blank = io.BytesIO()
    Image.new("L", (120, 120), 255).save(blank, format="PNG")
    _open(page, gateway)
    page.get_by_label("or an image of the code").set_input_files(
        {"name": "blank.png", "mimeType": "image/png", "buffer": blank.getvalue()}
    )
    page.get_by_role("button", name="Read the code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The input was not accepted")
    expect(page.get_by_role("cell", name="qr.not_a_qr_image")).to_be_visible()


def test_empty_form_shows_the_error_page(page: Page, gateway: Gateway) -> None:
    _open(page, gateway)
    page.get_by_role("button", name="Read the code").click()
    expect(page.get_by_role("cell", name="request.invalid")).to_be_visible()
