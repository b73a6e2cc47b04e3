"""``POST /v1/invoices/check`` reads ``rules`` and ``as_of`` itself: the same API as before.

The route takes its query parameters from the query string (its hot path skips FastAPI's
parameter machinery), so these pin what a client sees: the OpenAPI document, the values
applied, a bad date refused as a 422 ``request.invalid`` at ``query/as_of``, and, as for any
single-valued FastAPI query parameter, the last of repeated values.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defa.service.app import create_app
from defa.service.settings import Settings
from tests.shared import shared_path

XML = {"content-type": "application/xml"}
CHECK = "/v1/invoices/check"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path}/d.db"))) as c:
        yield c


def _example() -> bytes:
    # The Peppol BIS 3 base example: issue date 2017-11-13, valid on 2026-01-01.
    return shared_path(
        "vectors", "einvoice", "peppol-bis3", "examples", "base-example.xml"
    ).read_bytes()


def test_the_query_parameters_are_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][CHECK]["post"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"rules", "as_of"}
    for p in params.values():
        assert p["in"] == "query"
        assert p["required"] is False
    assert {"type": "string", "format": "date"} in params["as_of"]["schema"]["anyOf"]
    assert {"type": "string"} in params["rules"]["schema"]["anyOf"]
    assert "application/xml" in operation["requestBody"]["content"]


def test_rules_and_as_of_are_applied(client: TestClient) -> None:
    r = client.post(
        CHECK, params={"rules": "en16931", "as_of": "2026-01-01"}, content=_example(), headers=XML
    )
    assert r.status_code == 200, r.text
    assert r.json()["meta"]["rules"] == "en16931"
    assert r.json()["meta"]["as_of"] == "2026-01-01"


@pytest.mark.parametrize("value", ["bad", "", "2026-13-01", "2026-01-01T10:00:00"])
def test_a_bad_date_is_a_request_problem(client: TestClient, value: str) -> None:
    r = client.post(CHECK, params={"as_of": value}, content=_example(), headers=XML)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    [issue] = r.json()["issues"]
    assert issue["code"] == "request.invalid"
    assert issue["loc"] == "query/as_of"


def test_the_last_of_repeated_values_counts(client: TestClient) -> None:
    # Peppol BIS 3.0.19 applies from 2025-08-25: not on 2017-11-13, on 2026-01-01.
    late_last = client.post(
        f"{CHECK}?as_of=2017-11-13&as_of=2026-01-01", content=_example(), headers=XML
    )
    assert late_last.status_code == 200, late_last.text
    assert late_last.json()["meta"]["as_of"] == "2026-01-01"
    early_last = client.post(
        f"{CHECK}?as_of=2026-01-01&as_of=2017-11-13", content=_example(), headers=XML
    )
    assert early_last.status_code == 422
    assert early_last.json()["code"] == "data.not_in_force"


def test_a_bad_date_is_refused_before_the_body_is_read(client: TestClient) -> None:
    # As FastAPI refused it: the parameters first, so even a body of the wrong type gets 422.
    r = client.post(CHECK, params={"as_of": "x"}, content=b"{}", headers={"content-type": "a/b"})
    assert r.status_code == 422
    assert r.json()["issues"][0]["loc"] == "query/as_of"
