"""Request body size limits, enforced before and while a body is read.

A declared ``Content-Length`` over the limit is refused at once (413); a body sent without
one (chunked) is counted as it arrives and refused as soon as it passes the limit, so an
oversized upload is never held in memory whole.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from defa.errors import Issue
from defa.service.problems import problem
from defa.service.web.render import error_page

__all__ = ["BodyLimit"]


class BodyLimit:
    """ASGI middleware: ``limit_for(path)`` gives the byte limit of each request's body."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            request = Request(scope)
            issues = [Issue("request.too_large", f"the body has {declared} bytes; at most {limit}")]
            # A person using the web pages gets a page, a program gets problem details.
            response = (
                error_page(request, 413, issues)
                if scope["path"].startswith("/web/")
                else problem(request, 413, issues)
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message: Message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"the body passed {limit} bytes; refused")
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None
