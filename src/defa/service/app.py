"""The gateway's FastAPI application: ``create_app(settings)``.

Around every request (outermost first): request id, access log, metrics and time limit
(:mod:`~defa.service.observability`), then the body size limit (:mod:`~defa.service.limits`).
The database is brought to the latest migration when the app is built.

A server process (``defa serve``, each of its workers) runs :func:`serving_app`: the same app,
with the process's cycle collector set for serving (:func:`defa._process.settle_heap`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response

from defa import __version__, compiled, ids
from defa._process import settle_heap
from defa.errors import InputRejected, Issue
from defa.members import members
from defa.service import documents, httperrors, invoices, payments, web
from defa.service.db import Database
from defa.service.limits import BodyLimit
from defa.service.observability import Metrics, Observability, configure_logging
from defa.service.problems import PROBLEM_JSON, install, problem
from defa.service.settings import Settings

__all__ = ["create_app", "serving_app"]

_PROBLEM = {"content": {PROBLEM_JSON: {}}, "description": "Problem details (RFC 9457)"}


class IdRequest(BaseModel):
    """The body of an identifier check."""

    value: str = Field(description="The identifier; separators allowed.", max_length=10_000)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service; the database is opened, created if absent, and migrated here."""
    settings = settings or Settings.from_env()
    if settings.json_logs:
        configure_logging()
    db = Database(settings.database_url)
    db.migrate()
    metrics = Metrics()
    app = FastAPI(
        title="DEFA gateway",
        version=__version__,
        description="ASEAN DEFA digital-trade machinery over HTTP. Errors are RFC 9457 "
        "problem details carrying DEFA issue records. `/v1/documents` needs "
        "`Authorization: Bearer <key>` (keys from `defa admin tenant create`).",
        # The gateway's telemetry is its own (request ids, JSON logs, Prometheus metrics);
        # FastAPI's native OpenTelemetry hooks would look up the global providers on every
        # request to find them unconfigured.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.db = db
    app.state.metrics = metrics
    install(app)
    httperrors.install(app)

    # Added last, so outermost: it sees every answer, the size limit's 413 included.
    app.add_middleware(BodyLimit, limit_for=settings.body_limit)
    app.add_middleware(Observability, metrics=metrics, timeout=settings.request_timeout)
    app.include_router(invoices.router)
    app.include_router(payments.router)
    app.include_router(documents.router)
    app.include_router(documents.audit_router)
    app.include_router(web.router)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness, with the database's state and whether the e-invoice engine runs compiled."""
        return {
            "status": "ok",
            "version": __version__,
            "compiled": compiled(),
            "database": db.ping(),
        }

    @app.get("/ready", tags=["service"], responses={503: _PROBLEM})
    def ready(request: Request) -> JSONResponse:
        """Readiness: the database answers and its schema is at the latest migration."""
        ok, why = db.readiness()
        if not ok:
            return problem(request, 503, [Issue("service.not_ready", why)])
        return JSONResponse({"status": "ready", "migration": db.head()})

    @app.get("/metrics", tags=["service"], response_class=Response)
    def get_metrics() -> Response:
        """Prometheus metrics: request counts and latency by route and status."""
        return metrics.response()

    @app.get("/v1/members", tags=["members"], responses={422: _PROBLEM})
    def get_members(
        as_of: date | None = Query(None, description="Date (YYYY-MM-DD); default today."),
    ) -> list[dict[str, Any]]:
        """The ASEAN member states on a date."""
        return [m.to_dict() for m in members(as_of)]

    @app.get("/v1/ids", tags=["identifiers"])
    def list_schemes() -> list[dict[str, Any]]:
        """Every identifier scheme, with its country, roles and whether it is verified."""
        return [
            {
                **s.describe(),
                "roles": [r for r, n in ids.roles(s.country).items() if n == s.name],
            }
            for s in ids.all_schemes()
        ]

    @app.post(
        "/v1/ids/{cc}/{scheme}/validate",
        tags=["identifiers"],
        responses={404: _PROBLEM, 415: _PROBLEM, 422: _PROBLEM},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": IdRequest.model_json_schema()}},
            }
        },
    )
    async def validate_id(cc: str, scheme: str, request: Request) -> dict[str, Any]:
        """Validate an identifier. ``scheme`` is ``tin``, ``brn`` or a scheme name.

        200 with the compact and formatted value (and any warnings) when valid;
        422 problem+json with the issues when not.
        """
        found = ids.scheme(cc, scheme)
        body = await _json_body(request)
        try:
            value = IdRequest.model_validate(body).value
        except ValueError:
            raise InputRejected(
                Issue("request.invalid", 'the body must be {"value": "<identifier>"}', loc="body")
            ) from None
        report = found.check(value)
        report.raise_for_errors()
        return {**report.to_dict(), **found.describe(), **report.meta}

    return app


def serving_app(settings: Settings | None = None) -> FastAPI:
    """The app of a server process (``defa serve``, and the factory of each worker process):
    :func:`create_app` with the rule sets loaded (not on the first request), then
    :func:`~defa._process.settle_heap`."""
    import defa.einvoice.rules  # noqa: F401  # registers every rule set

    app = create_app(settings)
    settle_heap()
    return app


async def _json_body(request: Request) -> Any:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise HTTPException(415, f"send application/json, not {media or 'nothing'}")
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InputRejected(
            Issue("input.invalid_encoding", "the body is not valid UTF-8 JSON", loc="body")
        ) from None
