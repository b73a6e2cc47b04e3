"""Body limits: a program gets problem details, a person on the web pages gets a page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defa.service.app import create_app
from defa.service.settings import Settings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/d.db", max_body_bytes=1_000, max_document_bytes=5_000
    )
    with TestClient(create_app(settings)) as c:
        yield c


def test_oversized_web_form_gets_an_html_page(client: TestClient) -> None:
    # Invoices uploaded on the web pages have the document limit (5,000 here).
    r = client.post("/web/invoices", content=b"x" * 6_000, headers={"content-type": "text/plain"})
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert "request.too_large" in r.text


def test_oversized_api_body_gets_problem_details(client: TestClient) -> None:
    r = client.post(
        "/v1/ids/sg/uen/validate", content=b"x" * 2_000, headers={"content-type": "text/plain"}
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "request.too_large"


def test_documents_have_the_larger_limit(client: TestClient) -> None:
    # 2,000 bytes: over the JSON limit (1,000), under the document limit (5,000).
    r = client.post(
        "/v1/invoices/check", content=b"<a/>" * 500, headers={"content-type": "application/xml"}
    )
    assert r.status_code == 422  # read and refused as not an invoice, not refused for size
