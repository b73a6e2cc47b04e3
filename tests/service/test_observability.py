"""Readiness, metrics, request ids, JSON logs and the request time limit."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from defa.service.app import create_app
from defa.service.db import Database
from defa.service.observability import JsonFormatter
from defa.service.settings import Settings


def test_ready_when_migrated(client: TestClient) -> None:
    r = client.get("/ready")
    assert r.status_code == 200
    assert r.json() == {"status": "ready", "migration": "0002"}


def test_not_ready_when_schema_is_behind(client: TestClient, db: Database) -> None:
    db.downgrade("base")
    r = client.get("/ready")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "service.not_ready"
    db.migrate()
    assert client.get("/ready").status_code == 200


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def test_metrics_count_requests_by_route_template_and_status(client: TestClient) -> None:
    client.get("/v1/members")
    client.get("/v1/members")
    client.get("/v1/documents/abc")  # no key: 401
    client.get("/v1/documents/def")
    client.get("/nowhere")
    samples = _samples(client)

    def count(route: str, status: str) -> float:
        labels = (("method", "GET"), ("route", route), ("status", status))
        return samples.get(("defa_http_requests_total", labels), 0.0)

    assert count("/v1/members", "200") == 2
    # Both documents share one series: the template, not the path, is the label.
    assert count("/v1/documents/{document_id}", "401") == 2
    assert count("unmatched", "404") == 1
    histogram = (
        "defa_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "/v1/members"), ("status", "200")),
    )
    assert samples[histogram] == 2


def test_request_id_echoed_or_made(client: TestClient) -> None:
    assert (
        client.get("/health", headers={"x-request-id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    made = client.get("/health").headers["x-request-id"]
    assert len(made) == 32
    assert int(made, 16) >= 0  # a UUID's hex digits
    # A value that could forge log lines is replaced, not echoed.
    for hostile in ("a b", "x" * 129, "id\u00e9"):
        r = client.get("/health", headers={"x-request-id": hostile.encode()})  # type: ignore[dict-item]
        assert r.headers["x-request-id"] != hostile
        assert len(r.headers["x-request-id"]) == 32
    problem = client.get("/v1/documents", headers={"x-request-id": "p-1"})
    assert problem.status_code == 401
    assert problem.headers["x-request-id"] == "p-1"


def test_access_log_is_json_with_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="defa.access"):
        client.get("/v1/members", headers={"x-request-id": "log-me"})
    (record,) = [r for r in caplog.records if r.name == "defa.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "log-me"
    assert (line["method"], line["path"], line["route"], line["status"]) == (
        "GET",
        "/v1/members",
        "/v1/members",
        200,
    )
    assert line["duration_ms"] >= 0
    assert line["level"] == "info"


def test_slow_requests_time_out_with_a_problem(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, request_timeout=0.2))

    @app.get("/test-slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(5)
        return {"never": "answered"}

    with TestClient(app) as client:
        r = client.get("/test-slow", headers={"x-request-id": "slow-1"})
        assert r.status_code == 504
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "request.timeout"
        assert r.headers["x-request-id"] == "slow-1"
        assert client.get("/health").status_code == 200  # the limit is per request
    app.state.db.dispose()
