"""The HTTP API skeleton: members, identifiers, and problem+json errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defa.service.app import create_app
from defa.service.settings import Settings


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """The app on each kind of database (see conftest.py)."""
    settings = Settings(database_url=database_url, max_body_bytes=10_000)
    with TestClient(create_app(settings)) as c:
        yield c
        c.app.state.db.dispose()  # type: ignore[attr-defined]


def _problem(response: object, status: int, code: str) -> dict[str, object]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["issues"][0]["code"] == code
    return dict(body)


def test_health_reports_database(client: TestClient, database_url: str, tmp_path: Path) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["database"] is True
    if database_url.startswith("sqlite:"):
        assert (tmp_path / "var" / "defa.db").exists()


def test_members(client: TestClient) -> None:
    assert len(client.get("/v1/members").json()) == 11
    assert len(client.get("/v1/members", params={"as_of": "1990-01-01"}).json()) == 6
    _problem(client.get("/v1/members", params={"as_of": "1900-01-01"}), 422, "data.not_in_force")
    _problem(client.get("/v1/members", params={"as_of": "soon"}), 422, "request.invalid")


def test_validate_identifier(client: TestClient) -> None:
    r = client.post("/v1/ids/sg/uen/validate", json={"value": "197401143C"})
    assert r.status_code == 200
    assert r.json()["valid"] is True
    assert r.json()["compact"] == "197401143C"
    r = client.post("/v1/ids/TH/tin/validate", json={"value": "1-2345-45678-78-1"})
    assert r.json()["formatted"] == "1-2345-45678-78-1"


def test_invalid_identifier_is_problem_with_issues(client: TestClient) -> None:
    body = _problem(
        client.post("/v1/ids/sg/tin/validate", json={"value": "197401143D"}),
        422,
        "id.invalid_checksum",
    )
    assert body["type"] == "urn:defa:problem:id.invalid_checksum"
    assert body["instance"] == "/v1/ids/sg/tin/validate"


def test_unknown_country_and_scheme_are_404(client: TestClient) -> None:
    _problem(client.post("/v1/ids/xx/tin/validate", json={"value": "1"}), 404,
             "registry.unknown_country")  # fmt: skip
    _problem(client.post("/v1/ids/sg/nope/validate", json={"value": "1"}), 404,
             "registry.unknown_scheme")  # fmt: skip
    _problem(client.get("/v1/nothing-here"), 404, "request.not_found")


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (b'{"value": "1"}', {"content-type": "text/plain"}, 415, "request.unsupported_media_type"),
        (b"\xff\xfe", {"content-type": "application/json"}, 422, "input.invalid_encoding"),
        (b"[1, 2]", {"content-type": "application/json"}, 422, "request.invalid"),
        (b'{"value": 12}', {"content-type": "application/json"}, 422, "request.invalid"),
        (b'{"value": "' + b"9" * 20_000 + b'"}', {"content-type": "application/json"}, 413,
         "request.too_large"),
    ],
)  # fmt: skip
def test_bad_bodies(
    client: TestClient, content: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    _problem(client.post("/v1/ids/sg/uen/validate", content=content, headers=headers), status, code)


def test_wrong_method_is_problem(client: TestClient) -> None:
    _problem(client.get("/v1/ids/sg/uen/validate"), 405, "request.method_not_allowed")


def test_openapi_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/v1/ids/{cc}/{scheme}/validate" in spec["paths"]
