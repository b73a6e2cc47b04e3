"""``/v1/documents``: store, read, convert, list; idempotent retries; nothing partial on errors."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from defa.service.db import Database
from tests.service.conftest import (
    AS_OF,
    XML,
    bearer,
    broken_example,
    cii_example,
    example,
    row_counts,
)

NewTenant = Callable[[str], tuple[str, str]]


def _post(
    client: TestClient,
    key: str,
    body: bytes,
    headers: dict[str, str] | None = None,
    **params: str,
) -> Response:
    return client.post(
        "/v1/documents",
        params={"as_of": AS_OF, **params},
        content=body,
        headers={**XML, **bearer(key), **(headers or {})},
    )


def test_create_and_read_back(client: TestClient, new_tenant: NewTenant) -> None:
    _, key = new_tenant("acme")
    r = _post(client, key, example(), {"x-request-id": "req-42"})
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["location"] == f"/v1/documents/{created['id']}"
    assert created["syntax"] == "ubl"  # the document's root is a UBL Invoice
    # Its CustomizationID is Peppol BIS Billing 3.0's, so Peppol's rules (and their bases).
    assert created["format"] == "peppol-bis3"
    assert created["rules"] == "peppol-bis3"
    assert created["valid"] is True  # an upstream example, valid by its publisher
    assert created["size"] == len(example())

    got = client.get(r.headers["location"], headers=bearer(key))
    assert got.status_code == 200
    assert got.json() == created
    content = client.get(f"{r.headers['location']}/content", headers=bearer(key))
    assert content.content == example()
    assert content.headers["content-type"].startswith("application/xml")

    audit = client.get("/v1/audit", headers=bearer(key)).json()["items"]
    # Newest first: two reads, the creation (with the request's id), the tenant's creation.
    assert [(e["action"], e["subject"]) for e in audit] == [
        ("document.read", created["id"]),
        ("document.read", created["id"]),
        ("document.created", created["id"]),
        ("tenant.created", audit[-1]["subject"]),
    ]
    assert audit[2]["request_id"] == "req-42"
    assert audit[2]["key_id"] == key.split("_")[1]


def test_report_is_the_check_of_the_document(client: TestClient, new_tenant: NewTenant) -> None:
    _, key = new_tenant("acme")
    r = client.post(
        "/v1/documents",
        params={"as_of": AS_OF},
        files={"file": ("inv.xml", broken_example(), "application/xml")},
        headers=bearer(key),
    )
    assert r.status_code == 201, r.text
    assert r.json()["valid"] is False
    report = client.get(f"/v1/documents/{r.json()['id']}/report", headers=bearer(key)).json()
    # 1325 + 331.25 != 1000: BR-CO-15 (BT-112 = BT-109 + BT-110) must fire.
    assert "BR-CO-15" in {i["rule_id"] for i in report["issues"]}
    direct = client.post(
        "/v1/invoices/check", params={"as_of": AS_OF}, content=broken_example(), headers=XML
    )
    assert report == direct.json()


def test_conversions_stored_and_on_demand(client: TestClient, new_tenant: NewTenant) -> None:
    _, key = new_tenant("acme")
    r = client.post(
        "/v1/documents",
        params=[("as_of", AS_OF), ("convert_to", "cii"), ("convert_to", "cii")],
        content=example(),
        headers={**XML, **bearer(key)},
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["conversions"] == ["cii"]  # a repeated format is converted once
    cii = client.get(f"/v1/documents/{doc['id']}/as/cii", headers=bearer(key)).json()
    assert "CrossIndustryInvoice" in cii["document"][:400]
    assert cii["format"] == "cii"
    direct = client.post(
        "/v1/invoices/convert", params={"to": "cii"}, content=example(), headers=XML
    )
    assert cii["losses"] == direct.json()["losses"]

    ubl = client.get(f"/v1/documents/{doc['id']}/as/ubl", headers=bearer(key))
    assert ubl.status_code == 200, ubl.text
    again = client.get(f"/v1/documents/{doc['id']}/as/ubl", headers=bearer(key))
    assert again.json()["created_at"] == ubl.json()["created_at"]  # the stored one, not redone
    described = client.get(f"/v1/documents/{doc['id']}", headers=bearer(key)).json()
    assert described["conversions"] == ["cii", "ubl"]
    unknown = client.get(f"/v1/documents/{doc['id']}/as/pdf", headers=bearer(key))
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "einvoice.unknown_format"


def test_list_filters_and_pages(client: TestClient, new_tenant: NewTenant) -> None:
    _, key = new_tenant("acme")
    ids = []
    for body in (example(), broken_example(), cii_example(), example(), broken_example()):
        # CII_example1 is an official EN 16931 example: valid against EN 16931's rules.
        rules = {"rules": "en16931"} if body == cii_example() else {}
        r = _post(client, key, body, **rules)
        assert r.status_code == 201
        ids.append(r.json()["id"])
    newest_first = ids[::-1]

    def listed(**params: object) -> list[str]:
        r = client.get("/v1/documents", params=params, headers=bearer(key))
        assert r.status_code == 200, r.text
        return [d["id"] for d in r.json()["items"]]

    assert listed() == newest_first
    assert listed(valid="true") == [ids[3], ids[2], ids[0]]
    assert listed(format="peppol-bis3") == [ids[4], ids[3], ids[1], ids[0]]
    assert listed(syntax="cii") == [ids[2]]
    assert listed(valid="false", syntax="ubl") == [ids[4], ids[1]]
    assert listed(created_from="2000-01-01T00:00:00Z", created_to="2000-01-02T00:00:00Z") == []
    assert listed(created_from="2000-01-01T00:00:00Z") == newest_first

    pages, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/v1/documents", params=params, headers=bearer(key)).json()
        pages.append([d["id"] for d in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:5]]

    bad = client.get("/v1/documents", params={"cursor": "!!nope"}, headers=bearer(key))
    assert bad.status_code == 422
    assert bad.json()["code"] == "request.invalid"


def test_idempotency_key(client: TestClient, new_tenant: NewTenant, db: Database) -> None:
    _, key = new_tenant("acme")
    headers = {**XML, **bearer(key), "Idempotency-Key": "order-17"}
    first = _post(client, key, example(), headers)
    assert first.status_code == 201
    again = _post(client, key, example(), headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]

    other = client.post(
        "/v1/documents", params={"as_of": AS_OF}, content=broken_example(), headers=headers
    )
    assert other.status_code == 409
    assert other.json()["code"] == "request.idempotency_conflict"
    # The same body under other parameters is a different request too.
    params = client.post(
        "/v1/documents", params={"as_of": "2025-12-31"}, content=example(), headers=headers
    )
    assert params.status_code == 409
    assert row_counts(db)["documents"] == 1


def test_concurrent_retries_store_one_document(
    client: TestClient, new_tenant: NewTenant, db: Database
) -> None:
    _, key = new_tenant("acme")
    headers = {**XML, **bearer(key), "Idempotency-Key": "retry-storm"}
    statuses: list[int] = []
    ids: list[str] = []
    start = threading.Barrier(6)

    def send() -> None:
        start.wait()
        r = _post(client, key, example(), headers)
        statuses.append(r.status_code)
        ids.append(r.json()["id"])

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * 5 + [201]
    assert len(set(ids)) == 1
    assert row_counts(db)["documents"] == 1


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        (b"<a/>" * 100_000, XML, 413, "request.too_large"),
        (b"{}", {"content-type": "application/json"}, 415, "request.unsupported_media_type"),
        (b"x", {}, 415, "request.unsupported_media_type"),
        (b"not xml at all", XML, 422, "xml.not_xml"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', XML, 422, None),
        (b"<Order xmlns='urn:x'/>", XML, 422, None),
    ],
)
def test_bad_input_writes_nothing(
    client: TestClient,
    new_tenant: NewTenant,
    db: Database,
    body: bytes,
    headers: dict[str, str],
    status: int,
    code: str | None,
) -> None:
    _, key = new_tenant("acme")
    before = row_counts(db)
    r = client.post("/v1/documents", params={"as_of": AS_OF}, content=body,
                    headers={**headers, **bearer(key)})  # fmt: skip
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    first = r.json()["issues"][0]["code"]
    assert first == code if code else first.split(".")[0] in {"xml", "einvoice"}
    assert row_counts(db) == before


def test_bad_parameters_write_nothing(
    client: TestClient, new_tenant: NewTenant, db: Database
) -> None:
    _, key = new_tenant("acme")
    before = row_counts(db)
    cases = [
        ({"rules": "no-such-rules", "as_of": AS_OF}, 404, "einvoice.unknown_rules"),
        ({"convert_to": "pdf", "as_of": AS_OF}, 404, "einvoice.unknown_format"),
        ({"as_of": "tomorrow"}, 422, "request.invalid"),
        # Rules not yet in force on the example's issue date (2017-11-13).
        ({"as_of": "2017-11-13"}, 422, "data.not_in_force"),
    ]
    for params, status, code in cases:
        r = client.post("/v1/documents", params=params, content=example(),
                        headers={**XML, **bearer(key)})  # fmt: skip
        assert (r.status_code, r.json()["code"]) == (status, code), params
    for idem in ("", "k" * 256):
        r = _post(client, key, example(), {"Idempotency-Key": idem})
        assert (r.status_code, r.json()["code"]) == (422, "request.invalid"), len(idem)
    missing_part = client.post(
        "/v1/documents", files={"other": ("x.xml", example(), "application/xml")},
        headers=bearer(key),
    )  # fmt: skip
    assert missing_part.status_code == 422
    assert row_counts(db) == before


def test_stored_documents_survive_migrating_down_and_up(
    client: TestClient, new_tenant: NewTenant, db: Database
) -> None:
    _, key = new_tenant("acme")
    r = _post(client, key, example(), convert_to="cii")
    assert r.status_code == 201
    before = row_counts(db)
    db.downgrade("0001")  # drops documents.format (0002) with rows referring to documents
    assert row_counts(db) == before
    db.migrate()
    got = client.get(r.headers["location"], headers=bearer(key)).json()
    assert got["format"] is None  # recorded by 0002's column, which went away and came back
    assert got["id"] == r.json()["id"]
