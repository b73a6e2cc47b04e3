"""RFC 9457 problem details carrying DEFA issue records.

Every error response of the service is ``application/problem+json``::

    {"type": "urn:defa:problem:id.invalid_checksum", "title": "...", "status": 422,
     "detail": "...", "instance": "/v1/ids/sg/uen/validate",
     "code": "id.invalid_checksum", "issues": [ {issue record}, ... ]}
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from defa.errors import (
    CODES,
    DataError,
    DefaError,
    InputRejected,
    Issue,
    LookupFailed,
    NotInForce,
)

__all__ = ["PROBLEM_JSON", "install", "problem"]

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("defa.service")

# HTTP status for each exception class, most specific first.
_STATUS: tuple[tuple[type[DefaError], int], ...] = (
    (NotInForce, 422),
    (DataError, 500),
    (LookupFailed, 404),
    (InputRejected, 422),
    (DefaError, 422),
)

_HTTP_CODES = {
    404: "request.not_found",
    405: "request.method_not_allowed",
    413: "request.too_large",
    415: "request.unsupported_media_type",
}


def problem(request: Request, status: int, issues: Iterable[Issue]) -> JSONResponse:
    """A problem+json response for ``issues`` (the first is the principal one)."""
    records = list(issues)
    first = records[0]
    return JSONResponse(
        status_code=status,
        media_type=PROBLEM_JSON,
        content={
            "type": f"urn:defa:problem:{first.code}",
            "title": CODES.get(first.code, first.code),
            "status": status,
            "detail": first.msg,
            "instance": request.url.path,
            "code": first.code,
            "issues": [i.to_dict() for i in records],
        },
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""

    @app.exception_handler(DefaError)
    async def _defa(request: Request, exc: DefaError) -> JSONResponse:
        status = next(s for t, s in _STATUS if isinstance(exc, t))
        return problem(request, status, exc.issues)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [
            Issue(
                "request.invalid",
                str(err.get("msg", "invalid value")),
                loc="/".join(str(p) for p in err.get("loc", ())),
            )
            for err in exc.errors()
        ] or [Issue("request.invalid", "the request does not match the API")]
        return problem(request, 422, issues)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "request.invalid")
        return problem(request, exc.status_code, [Issue(code, str(exc.detail))])

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(
            request, 500, [Issue("internal.error", "an internal error occurred; nothing changed")]
        )
