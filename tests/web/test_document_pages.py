"""The stored-documents pages in a real browser: sign in with an API key, list, read reports."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.shared import shared_path
from tests.web.conftest import Gateway

GOOD_TOTAL = b">1656.25</cbc:TaxInclusiveAmount>"


def _store(gateway: Gateway, key: str, content: bytes) -> str:
    """Store a document through the API (as a tenant's system would); its id."""
    r = httpx.post(
        f"{gateway.url}/v1/documents",
        params={"as_of": "2026-01-01", "rules": "peppol-bis3"},
        content=content,
        headers={"authorization": f"Bearer {key}", "content-type": "application/xml"},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.fixture(scope="module")
def stored(gateway: Gateway) -> dict[str, str]:
    example = shared_path(
        "vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml"
    ).read_bytes()
    broken = example.replace(GOOD_TOTAL, b">1000</cbc:TaxInclusiveAmount>")
    return {
        "valid": _store(gateway, gateway.api_key, example),
        "broken": _store(gateway, gateway.api_key, broken),
        "other": _store(gateway, gateway.other_key, example),
    }


def _sign_in(page: Page, gateway: Gateway, key: str) -> None:
    page.goto(f"{gateway.url}/web/documents")
    # Not signed in: the documents page sends the browser to the sign-in form.
    expect(page).to_have_url(f"{gateway.url}/web/login")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_wrong_key_is_refused_with_its_code(page: Page, gateway: Gateway) -> None:
    _sign_in(page, gateway, "defa_0000000000000000_not-a-key")
    expect(page.get_by_role("alert")).to_contain_text("request.unauthorized")
    page.goto(f"{gateway.url}/web/documents")
    expect(page).to_have_url(f"{gateway.url}/web/login")


def test_tenant_sees_its_documents_and_their_reports(
    page: Page, browser: BrowserContext, gateway: Gateway, stored: dict[str, str]
) -> None:
    _sign_in(page, gateway, gateway.api_key)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stored documents")
    table = page.get_by_role("table", name="Your documents, newest first")
    expect(table.get_by_role("link", name=re.compile(stored["valid"]))).to_be_visible()
    expect(table.get_by_role("link", name=re.compile(stored["broken"]))).to_be_visible()
    expect(table.get_by_role("link", name=re.compile(stored["other"]))).to_have_count(0)
    # Both were stored checked against the Peppol BIS 3 rules (the rules column).
    expect(table.get_by_role("cell", name="peppol-bis3", exact=True)).to_have_count(2)

    session = next(c for c in browser.cookies() if c["name"] == "defa_session")
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Strict"

    table.get_by_role("link", name=re.compile(stored["broken"])).click()
    expect(page.locator("#verdict")).to_contain_text("invalid")
    errors = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile(r"^Errors"))
    )
    expect(errors.get_by_role("cell", name="BR-CO-15", exact=True)).to_be_visible()

    # Another tenant's document is answered as one that does not exist.
    page.goto(f"{gateway.url}/web/documents/{stored['other']}")
    expect(page.get_by_role("cell", name="document.not_found")).to_be_visible()

    page.goto(f"{gateway.url}/web/documents")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{gateway.url}/web/login")
    page.goto(f"{gateway.url}/web/documents")
    expect(page).to_have_url(f"{gateway.url}/web/login")


def test_a_forged_session_cookie_is_not_a_session(
    page: Page, browser: BrowserContext, gateway: Gateway
) -> None:
    import base64
    import json

    body = base64.urlsafe_b64encode(json.dumps({"key": gateway.api_key, "exp": 2**40}).encode())
    browser.add_cookies(
        [{"name": "defa_session", "value": f"{body.decode()}.{'0' * 64}", "url": gateway.url}]
    )
    page.goto(f"{gateway.url}/web/documents")
    expect(page).to_have_url(f"{gateway.url}/web/login")


def test_a_form_post_without_its_token_is_refused(gateway: Gateway) -> None:
    # What a page on another site could send: no cookie, no token.
    r = httpx.post(f"{gateway.url}/web/login", data={"api_key": gateway.api_key}, timeout=10)
    assert r.status_code == 403
    assert "request.invalid" in r.text
    assert "defa_session" not in r.headers.get("set-cookie", "")
