"""What operators see: a request id on every request, JSON logs, Prometheus metrics, timeouts.

One ASGI middleware (:class:`Observability`) does all four around each HTTP request:

- the ``X-Request-ID`` sent (if it is a sane token) or a new one, echoed on the response,
  kept in ``request.state.request_id`` and in every log line written while the request runs;
- one JSON access-log line (logger ``defa.access``): method, path, route, status, duration;
- the counter ``defa_http_requests_total`` and the histogram
  ``defa_http_request_duration_seconds``, both by method, route template and status;
- a time limit: a request that has not answered in time gets a 504 problem, and
  ``request.state.deadline`` lets its transaction refuse to commit late.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from defa.service.httperrors import timeout_issue
from defa.service.problems import problem

__all__ = ["JsonFormatter", "Metrics", "Observability", "configure_logging", "request_id"]

_current: ContextVar[str | None] = ContextVar("defa_request_id", default=None)
# A caller's id is echoed only if it is a plain token: never let a header inject log text.
_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_ACCESS = logging.getLogger("defa.access")
# One encoder for every line: ``json.dumps`` with options builds a new one each call.
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def request_id() -> str | None:
    """The id of the request being served, if any."""
    return _current.get()


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id and any ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or _current.get()
        if rid:
            payload["request_id"] = rid
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            payload.update(fields)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return _JSON.encode(payload)


def configure_logging(level: int = logging.INFO) -> None:
    """Send the ``defa`` loggers to stderr as JSON lines (once, however often called)."""
    logger = logging.getLogger("defa")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level)


class Metrics:
    """The service's Prometheus metrics, in a registry of its own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "defa_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "defa_http_request_duration_seconds",
            "Time to answer HTTP requests, by method, route template and status.",
            ("method", "route", "status"),
            buckets=_BUCKETS,
            registry=self.registry,
        )

        # The two series of each (method, route, status), looked up once: ``labels()``
        # validates and locks on every call, and this runs on every request.
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            labels = (method, route, str(status))
            series = self._series.setdefault(
                key, (self.requests.labels(*labels), self.latency.labels(*labels))
            )
        series[0].inc()
        series[1].observe(seconds)

    def response(self) -> Response:
        """The text exposition format, for ``GET /metrics``."""
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text: str = value.decode("latin-1")
            if _SANE_ID.fullmatch(text):
                return text
    return uuid.uuid4().hex


def _route(scope: Scope) -> str:
    # The template (/v1/documents/{document_id}), not the path: label values stay few.
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else "unmatched"


class Observability:
    """ASGI middleware: request id, access log, metrics and the time limit (see module doc)."""

    def __init__(self, app: ASGIApp, metrics: Metrics, timeout: float | None) -> None:
        self.app = app
        self.metrics = metrics
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope)
        token = _current.set(rid)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        started = time.perf_counter()
        state["deadline"] = None if self.timeout is None else time.monotonic() + self.timeout
        status = 500  # what an escaping exception becomes
        answered = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = message["status"]
                answered = True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            try:
                # A timer on this task, not a task of its own (as ``wait_for`` would make):
                # nothing extra to schedule on each request.
                async with asyncio.timeout(self.timeout):
                    await self.app(scope, receive, send_with_id)
            except TimeoutError:
                if answered:  # too late for a problem body; the client sees a cut response
                    raise
                response = problem(Request(scope), 504, [timeout_issue()])
                await response(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = _route(scope)
            self.metrics.observe(scope["method"], route, status, seconds)
            if _ACCESS.isEnabledFor(logging.INFO):
                # The record made and handled directly, as ``info`` would, less the search
                # of the stack for the caller's line (always this one).
                record = _ACCESS.makeRecord(
                    _ACCESS.name,
                    logging.INFO,
                    __file__,
                    0,
                    "%s %s %s",
                    (scope["method"], scope["path"], status),
                    None,
                    "__call__",
                    {
                        "request_id": rid,  # also for handlers that format later (queues)
                        "fields": {
                            "method": scope["method"],
                            "path": scope["path"],
                            "route": route,
                            "status": status,
                            "duration_ms": round(seconds * 1000, 3),
                            "tenant_id": state.get("tenant_id"),
                        },
                    },
                )
                _ACCESS.handle(record)
            _current.reset(token)
