"""The pages' route class: refused form input becomes an HTML error page, not JSON."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from defa.service.web.forms import FormRejected
from defa.service.web.render import error_page

__all__ = ["PageRoute"]


class PageRoute(APIRoute):
    """An ``APIRoute`` whose :class:`FormRejected` answers the error page with its codes.

    The API's handlers turn every toolkit error into problem+json; a person filling in a
    form should see a page instead, with a way back.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except FormRejected as exc:
                back = request.url.path if request.method == "POST" else "/web/"
                return error_page(request, exc.status, exc.issues, back=back)

        return handle
