"""No request reads or lists another tenant's data; keys are checked before anything else.

An adversary holding a valid key of tenant B tries tenant A's ids (and guessed ones), the
routes under them, listings and the audit log; others send no key, garbled keys, keys of
the right shape with a wrong secret, and other authentication schemes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from defa.service.db import Database
from tests.service.conftest import AS_OF, XML, bearer, example, row_counts

NewTenant = Callable[[str], tuple[str, str]]


def _comparable(r: Response) -> tuple[int, str, dict[str, object]]:
    """Status, content type and body, without the request path the body echoes."""
    body = dict(r.json())
    body.pop("instance", None)
    return r.status_code, r.headers["content-type"], body


@pytest.fixture
def two(client: TestClient, new_tenant: NewTenant) -> tuple[str, str, str]:
    """Tenant A's key and one stored document of A's (with a conversion); tenant B's key."""
    _, key_a = new_tenant("tenant-a")
    _, key_b = new_tenant("tenant-b")
    r = client.post(
        "/v1/documents",
        params={"as_of": AS_OF, "convert_to": "cii"},
        content=example(),
        headers={**XML, **bearer(key_a)},
    )
    assert r.status_code == 201
    return key_a, r.json()["id"], key_b


@pytest.mark.parametrize("suffix", ["", "/report", "/content", "/as/cii", "/as/ubl"])
def test_other_tenants_document_is_indistinguishable_from_none(
    client: TestClient, two: tuple[str, str, str], db: Database, suffix: str
) -> None:
    key_a, doc_id, key_b = two
    assert client.get(f"/v1/documents/{doc_id}{suffix}", headers=bearer(key_a)).status_code == 200
    before = row_counts(db)
    theirs = client.get(f"/v1/documents/{doc_id}{suffix}", headers=bearer(key_b))
    assert theirs.status_code == 404
    assert theirs.json()["code"] == "document.not_found"
    for guess in (
        str(uuid.uuid4()),
        doc_id.upper(),
        doc_id[:-1] + "0",
        "1",
        "00000000-0000-0000-0000-000000000000",
    ):
        nobody = client.get(f"/v1/documents/{guess}{suffix}", headers=bearer(key_b))
        assert _comparable(nobody) == _comparable(theirs), guess
    # Not even a conversion on demand or an audit row was written for the refused reads.
    assert row_counts(db) == before


def test_listings_and_audit_hold_only_ones_own(
    client: TestClient, two: tuple[str, str, str]
) -> None:
    key_a, doc_id, key_b = two
    assert [
        d["id"] for d in client.get("/v1/documents", headers=bearer(key_a)).json()["items"]
    ] == [doc_id]
    assert client.get("/v1/documents", headers=bearer(key_b)).json() == {
        "items": [],
        "next_cursor": None,
    }
    # A cursor is a position, never a way into another tenant's rows.
    from defa.service.db.store import encode_cursor

    far = client.get(
        "/v1/documents", params={"cursor": encode_cursor(10**9)}, headers=bearer(key_b)
    )
    assert far.json()["items"] == []
    audit_b = client.get("/v1/audit", headers=bearer(key_b)).json()["items"]
    assert {e["subject"] for e in audit_b} <= {None, *_tenant_ids(audit_b)}
    assert doc_id not in {e["subject"] for e in audit_b}
    audit_a = client.get("/v1/audit", headers=bearer(key_a)).json()["items"]
    assert doc_id in {e["subject"] for e in audit_a}


def _tenant_ids(entries: list[dict[str, object]]) -> set[object]:
    return {e["subject"] for e in entries if e["action"] == "tenant.created"}


def test_idempotency_keys_are_per_tenant(client: TestClient, two: tuple[str, str, str]) -> None:
    key_a, _, key_b = two
    for key in (key_a, key_b):
        r = client.post(
            "/v1/documents",
            params={"as_of": AS_OF},
            content=example(),
            headers={**XML, **bearer(key), "Idempotency-Key": "shared-name"},
        )
        assert r.status_code == 201  # each tenant's first use of the key
    ids = {
        key: {d["id"] for d in client.get("/v1/documents", headers=bearer(key)).json()["items"]}
        for key in (key_a, key_b)
    }
    assert not ids[key_a] & ids[key_b]


def _bad_credentials(key: str) -> list[dict[str, str | bytes]]:
    prefix, key_id, secret = key.split("_", 2)
    flipped = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    return [
        {},
        {"authorization": ""},
        {"authorization": "Bearer"},
        {"authorization": "Bearer "},
        {"authorization": f"Basic {key}"},
        {"authorization": f"Bearer {prefix}_{key_id}_{flipped}"},  # right id, wrong secret
        {"authorization": f"Bearer {prefix}_{'0' * 16}_{secret}"},  # unknown id
        {"authorization": f"Bearer {key}x"},
        {"authorization": f"Bearer {key[:-1]}"},
        {"authorization": "Bearer defa__"},
        {"authorization": "Bearer \u00e9\u00e9\u00e9".encode()},  # not ASCII
        {"authorization": f"Bearer {'x' * 5000}"},
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/documents"),
        ("GET", "/v1/documents/{id}"),
        ("GET", "/v1/documents/{id}/report"),
        ("GET", "/v1/documents/{id}/as/cii"),
        ("GET", "/v1/audit"),
        ("POST", "/v1/documents"),
    ],
)
def test_missing_or_wrong_keys_are_401(
    client: TestClient, two: tuple[str, str, str], db: Database, method: str, path: str
) -> None:
    key_a, doc_id, _ = two
    before = row_counts(db)
    for headers in _bad_credentials(key_a):
        r = client.request(
            method,
            path.format(id=doc_id),
            params={"as_of": AS_OF},
            content=example() if method == "POST" else None,
            headers={**XML, **headers},
        )
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.json()["code"] == "request.unauthorized"
        body = r.json()
        body.pop("instance")  # the path asked for, echoed
        assert doc_id not in str(body)
    assert row_counts(db) == before
