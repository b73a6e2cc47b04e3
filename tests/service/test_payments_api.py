"""The payment QR and cross-border payment endpoints, over HTTP."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from lxml import etree

from defa.service.app import create_app
from defa.service.payments import router
from defa.service.settings import Settings
from tests.payments.vectors import payload
from tests.shared import shared_path

BILL = "TH Bill Payment"
RATES = [{"base": "MYR", "quote": "THB", "rate": "7.7", "source": "board"}]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/d.db"))
    if not any(getattr(r, "path", "") == "/v1/qr/decode" for r in app.routes):
        app.include_router(router)
    with TestClient(app) as c:
        yield c


def _problem(response: Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


def test_decode_payload(client: TestClient) -> None:
    body = client.post("/v1/qr/decode", json={"payload": payload("VN VietQR")}).json()
    assert body["scheme"] == "vn.vietqr"
    assert body["currency"] == "VND"
    assert body["valid"] is True


def test_decode_junk_gets_a_report_not_an_error(client: TestClient) -> None:
    for junk in ["", "hello", "00" * 300, "\u0000\ud7ff", "6304ZZZZ"]:
        response = client.post("/v1/qr/decode", json={"payload": junk})
        assert response.status_code == 200, junk
        assert response.json()["valid"] is False


def test_decode_image_and_not_an_image(client: TestClient) -> None:
    png = client.post("/v1/qr/image", json={"payload": payload(BILL)})
    assert png.headers["content-type"] == "image/png"
    body = client.post(
        "/v1/qr/decode", content=png.content, headers={"content-type": "image/png"}
    ).json()
    assert body["text"] == payload(BILL)
    bad = client.post("/v1/qr/decode", content=b"nope", headers={"content-type": "image/png"})
    _problem(bad, 422, "qr.not_a_qr_image")
    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(blank, format="PNG")
    empty = client.post(
        "/v1/qr/decode", content=blank.getvalue(), headers={"content-type": "image/png"}
    )
    _problem(empty, 422, "qr.not_a_qr_image")


def test_svg_image(client: TestClient) -> None:
    svg = client.post("/v1/qr/image", json={"payload": payload(BILL), "format": "svg"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    bad = client.post("/v1/qr/image", json={"payload": "0002010102116304FFFF"})
    _problem(bad, 422, "qr.crc_mismatch")


def test_encode(client: TestClient) -> None:
    body = client.post(
        "/v1/qr/encode",
        json={"country": "SG", "scheme": "sg.nets", "fields": {"merchant_id": "1234"},
              "merchant_name": "SHOP", "merchant_city": "SINGAPORE", "amount": "5"},
    ).json()  # fmt: skip
    assert body["scheme"] == "sg.nets"
    assert "54045.00" in body["payload"]  # ID 54, length 04, SGD 5.00
    _problem(client.post("/v1/qr/encode", json={"country": "ZZ"}), 404, "registry.unknown_country")
    _problem(
        client.post("/v1/qr/encode", json={"country": "TH", "fields": {"x": "1"}}),
        422,
        "qr.bad_value",
    )


def test_quote(client: TestClient) -> None:
    body = client.post(
        "/v1/payments/quote",
        json={"payload": payload(BILL), "payer_country": "MY", "amount": "100",
              "as_of": "2026-01-05", "rates": RATES},
    ).json()  # fmt: skip
    assert body["payable"] is True
    assert body["linkage"]["id"] == "my-th-thaiqr"
    assert body["quote"]["source"] == {"currency": "MYR", "amount": "12.99"}  # 100 / 7.7
    assert body["quote"]["target"] == {"currency": "THB", "amount": "100.00"}
    no = client.post("/v1/payments/quote", json={"payload": payload(BILL), "payer_country": "PH"})
    assert no.status_code == 200
    assert no.json()["payable"] is False


def test_quote_bad_inputs(client: TestClient) -> None:
    url = "/v1/payments/quote"
    _problem(client.post(url, content=b"x", headers={"content-type": "text/plain"}), 415,
             "request.unsupported_media_type")  # fmt: skip
    _problem(client.post(url, content=b"{", headers={"content-type": "application/json"}), 422,
             "input.invalid_encoding")  # fmt: skip
    _problem(client.post(url, json={"payload": 5}), 422, "request.invalid")
    _problem(client.post(url, json={"payload": "x", "payer_country": "XX"}), 404,
             "registry.unknown_country")  # fmt: skip
    bad_rate = [{"base": "MYR", "quote": "THB", "rate": "-1", "source": "x"}]
    _problem(
        client.post(url, json={"payload": payload(BILL), "payer_country": "MY", "rates": bad_rate}),
        422,
        "payments.bad_rates",
    )
    huge = {"payload": "0" * 300_000, "payer_country": "MY"}
    assert client.post(url, json=huge).status_code == 413


def test_pacs008(client: TestClient) -> None:
    request = {
        "payload": payload(BILL), "payer_country": "MY", "amount": "100", "rates": RATES,
        "debtor_name": "Aminah", "debtor_agent": {"bic": "MBBEMYKL"},
        "creditor_agent": {"member_id": "014", "clearing_system": "NITMX"},
        "intermediaries": [{"bic": "CIBBMYKL"}],
    }  # fmt: skip
    body = client.post("/v1/payments/pacs008", json=request).json()
    assert body["message"] == "pacs.008.001.11"
    xsd = shared_path("specs", "payments", "iso20022", "pacs.008.001.11.xsd")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    assert schema.validate(etree.fromstring(body["xml"].encode()))
    xml = client.post("/v1/payments/pacs008", json=request, headers={"accept": "application/xml"})
    assert xml.headers["content-type"].startswith("application/xml")
    assert b'<InstdAmt Ccy="MYR">12.99</InstdAmt>' in xml.content
    _problem(
        client.post("/v1/payments/pacs008", json={**request, "payer_country": "PH"}),
        422,
        "payments.no_linkage",
    )
    _problem(
        client.post("/v1/payments/pacs008", json={**request, "debtor_agent": {"bic": "??"}}),
        422,
        "iso20022.bad_party",
    )
