"""Errors the gateway answers with a fixed HTTP status, as problem+json.

:class:`~defa.errors.DefaError` covers what the library finds wrong with input; these cover
what only a service has: a missing key (401), a reused Idempotency-Key (409), a request out of
time (504) or a service not ready (503).
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from defa.errors import Issue
from defa.service.db.engine import DeadlinePassed
from defa.service.problems import problem

__all__ = ["HTTPProblem", "install"]


class HTTPProblem(Exception):
    """Answer ``status`` with a problem+json body of ``issue`` (and any extra headers)."""

    def __init__(self, status: int, issue: Issue, headers: Mapping[str, str] | None = None):
        super().__init__(issue.msg)
        self.status = status
        self.issue = issue
        self.headers = dict(headers or {})


def timeout_issue() -> Issue:
    """The issue of a request that ran out of time (nothing it did was kept)."""
    return Issue("request.timeout", "the request took too long and was abandoned; nothing changed")


def install(app: FastAPI) -> None:
    """Register the handlers of :class:`HTTPProblem` and a transaction out of time."""

    @app.exception_handler(HTTPProblem)
    async def _problem(request: Request, exc: HTTPProblem) -> JSONResponse:
        response = problem(request, exc.status, [exc.issue])
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(DeadlinePassed)
    async def _late(request: Request, exc: DeadlinePassed) -> JSONResponse:
        return problem(request, 504, [timeout_issue()])
