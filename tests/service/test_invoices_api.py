"""`/v1/invoices/check` and `/v1/invoices/convert`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from defa import einvoice
from defa.service.app import create_app
from defa.service.settings import Settings
from tests.shared import shared_path

XML = {"content-type": "application/xml"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/d.db", max_body_bytes=1000, max_document_bytes=200_000
    )
    with TestClient(create_app(settings)) as c:
        yield c


def _example() -> bytes:
    return shared_path(
        "vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml"
    ).read_bytes()


def _convert(client: TestClient, params: dict[str, str]) -> Response:
    """``POST /v1/invoices/convert`` of the Peppol base example with ``params``."""
    r: Response = client.post(
        "/v1/invoices/convert", params=params, content=_example(), headers=XML
    )
    return r


def test_check_valid_example(client: TestClient) -> None:
    r = client.post(
        "/v1/invoices/check", params={"as_of": "2026-01-01"}, content=_example(), headers=XML
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["valid"] is True
    assert [s["id"] for s in body["meta"]["rule_sets"]] == ["en16931", "peppol-bis3"]


def test_check_by_upload_with_rules(client: TestClient) -> None:
    broken = _example().replace(
        b">1656.25</cbc:TaxInclusiveAmount>", b">1000</cbc:TaxInclusiveAmount>"
    )
    r = client.post(
        "/v1/invoices/check",
        params={"rules": "en16931"},
        files={"file": ("inv.xml", broken, "application/xml")},
    )
    assert r.status_code == 200
    # 1325 + 331.25 != 1000: BR-CO-15 (BT-112 = BT-109 + BT-110) must fire.
    assert "BR-CO-15" in {i["rule_id"] for i in r.json()["issues"]}
    assert r.json()["valid"] is False


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        (b"not xml at all", XML, 422, "xml.not_xml"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', XML, 422, None),
        (b"<Order xmlns='urn:x'/>", XML, 422, None),
        (b"{}", {"content-type": "application/json"}, 415, "request.unsupported_media_type"),
        (b"<a/>" * 100_000, XML, 413, "request.too_large"),
    ],
)
def test_bad_documents_are_problems(
    client: TestClient, body: bytes, headers: dict[str, str], status: int, code: str | None
) -> None:
    r = client.post("/v1/invoices/check", content=body, headers=headers)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    issue = r.json()["issues"][0]["code"]
    assert issue == code if code else issue.split(".")[0] in {"xml", "einvoice"}


def test_rules_not_in_force_on_the_issue_date(client: TestClient) -> None:
    # base-example.xml is dated 2017-11-13; Peppol BIS 3.0.19 applies from 2025-08-25:
    # today's version is applied and the report says so.
    r = client.post("/v1/invoices/check", content=_example(), headers=XML)
    assert r.status_code == 200
    codes = [i["code"] for i in r.json()["issues"]]
    assert "einvoice.rules_not_in_force" in codes
    # An explicit date outside the rules' dates is refused.
    r = client.post(
        "/v1/invoices/check", params={"as_of": "2017-11-13"}, content=_example(), headers=XML
    )
    assert r.status_code == 422
    assert r.json()["code"] == "data.not_in_force"


@pytest.mark.parametrize("rules", ["x", ""])
def test_unknown_rules_is_404(client: TestClient, rules: str) -> None:
    r = client.post("/v1/invoices/check", params={"rules": rules}, content=_example(), headers=XML)
    assert r.status_code == 404
    assert r.json()["code"] == "einvoice.unknown_rules"


def test_convert_reports_losses_and_document(client: TestClient) -> None:
    r = client.post("/v1/invoices/convert", params={"to": "cii"}, content=_example(), headers=XML)
    assert r.status_code == 200, r.text
    body = r.json()
    assert "CrossIndustryInvoice" in body["document"][:400]
    assert isinstance(body["losses"], list)
    for loss in body["losses"]:
        assert set(loss) == {"term", "path", "value", "reason"}


def test_formats(client: TestClient) -> None:
    rows = client.get("/v1/invoices/formats").json()
    assert {"ubl", "cii", "peppol-bis3"} <= {r["id"] for r in rows}


def test_convert_with_a_tax_category_choice(client: TestClient) -> None:
    params: dict[str, str | list[str]] = {"to": "sg-pint", "tax_category": ["S=SR"]}
    r = client.post("/v1/invoices/convert", params=params, content=_example(), headers=XML)
    assert r.status_code == 200, r.text
    body = r.json()
    assert not [i for i in body["report"]["issues"] if "candidates" in i.get("ctx", {})]
    assert "<cbc:ID>SR</cbc:ID>" in body["document"]


def test_convert_refuses_a_bad_tax_category_choice(client: TestClient) -> None:
    unknown = _convert(client, {"to": "sg-pint", "tax_category": "S=XX"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["code"] == "einvoice.unknown_tax_category"
    malformed = _convert(client, {"to": "sg-pint", "tax_category": "S"})
    assert malformed.status_code == 422
    assert malformed.json()["code"] == "request.invalid"


def test_convert_self_billed(client: TestClient) -> None:
    # MyInvois e-invoice type 11 is a self-billed invoice
    r = _convert(client, {"to": "my-myinvois-xml", "self_billed": "true"})
    assert r.status_code == 200, r.text
    assert ">11</cbc:InvoiceTypeCode>" in r.json()["document"]
    refused = _convert(client, {"to": "my-pint", "self_billed": "true"})
    assert refused.status_code == 404
    assert refused.json()["code"] == "einvoice.self_billing_unsupported"


def test_convert_reads_a_myinvois_document_with_its_own_reader(client: TestClient) -> None:
    # the official MyInvois sample: its signature (UBLExtensions) and MSIC code are MyInvois
    # elements no syntax reader holds; the format's own reader carries them into MyInvois
    sample = shared_path("vectors", "einvoice", "myinvois", "1.1-Invoice-Sample.xml")
    data = sample.read_bytes()
    library = einvoice.convert(data, to="my-myinvois-xml")
    r = client.post(
        "/v1/invoices/convert", params={"to": "my-myinvois-xml"}, content=data, headers=XML
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["document"] == library.document.decode("utf-8")
    assert body["losses"] == []
    # values from the sample: the signed document's digest, the supplier's MSIC code
    assert (
        "<ds:DigestValue>fRaWJINS9sB9aSl/MhCjMsdVMFpLwnxstpPhJkJwkU4=</ds:DigestValue>"
        in (body["document"])
    )
    assert (
        'name="Wholesale of computer hardware, software and peripherals">46510<'
        in (body["document"])
    )
    # into UBL the MyInvois-only MSIC code is listed as not carried
    to_ubl = client.post("/v1/invoices/convert", params={"to": "ubl"}, content=data, headers=XML)
    assert to_ubl.status_code == 200, to_ubl.text
    assert "46510" in {loss["value"] for loss in to_ubl.json()["losses"]}
