"""The gateway's web pages (``/web/``): server-rendered HTML for people, no script, no build.

* ``/web/invoices``: check or convert an uploaded invoice; findings by severity, rule ids.
* ``/web/qr``: read a pasted or photographed payment QR; its fields, the code drawn again,
  and which members' payment apps can pay it.
* ``/web/login``, ``/web/documents``: a tenant's stored documents and their reports.

Templates and the style sheet are package data (``templates/``, ``static/``). Output is
escaped by Jinja2's autoescape; forms carry a token bound to a ``SameSite=Strict`` cookie
(:mod:`~defa.service.web.security`). ``router`` is included by
:func:`defa.service.app.create_app`.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from defa.service.web import documents, invoices, qr
from defa.service.web.render import page
from defa.service.web.routing import PageRoute

__all__ = ["router"]

router = APIRouter(include_in_schema=False, route_class=PageRoute)
router.include_router(invoices.router)
router.include_router(qr.router)
router.include_router(documents.router)

_CSS = files("defa.service.web").joinpath("static", "style.css").read_bytes()


@router.get("/web/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The start page."""
    return page(request, "index.html")


@router.get("/web/static/style.css")
def style() -> Response:
    """The one style sheet."""
    return Response(_CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})
