"""Rendering pages: one Jinja2 environment (autoescaped), the form token, the error page."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from defa import __version__
from defa.errors import CODES, Issue
from defa.service.web.security import CSRF_COOKIE, form_token, new_nonce, set_nonce

__all__ = ["SEVERITIES", "error_page", "grouped", "page"]

#: Severities in the order a reader wants them, with their headings.
SEVERITIES = (("error", "Errors"), ("warning", "Warnings"), ("info", "Notes"))

# Pages load nothing from elsewhere and run no script; the QR image is a data: URI.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("defa.service.web", "templates"),
        # Every value is escaped, whatever the template's name: documents are hostile input.
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` with a form token for this browser (setting its nonce if new)."""
    nonce = request.cookies.get(CSRF_COOKIE) or ""
    fresh = not nonce
    if fresh:
        nonce = new_nonce()
    html = (
        _environment()
        .get_template(template)
        .render(request=request, csrf_token=form_token(nonce), version=__version__, **context)
    )
    response = HTMLResponse(html, status_code=status, headers=_HEADERS)
    if fresh:
        set_nonce(response, nonce)
    return response


def grouped(issues: Iterable[Issue | dict[str, Any]]) -> list[tuple[str, str, list[Any]]]:
    """Issues by severity: ``(severity, heading, issues)`` for each severity present."""
    records = [i.to_dict() if isinstance(i, Issue) else i for i in issues]
    return [
        (sev, heading, found)
        for sev, heading in SEVERITIES
        if (found := [i for i in records if i.get("severity") == sev])
    ]


def error_page(
    request: Request, status: int, issues: Iterable[Issue], *, back: str = "/web/"
) -> HTMLResponse:
    """The page for input the toolkit refused: each issue with its code and meaning."""
    records = [{**i.to_dict(), "meaning": CODES.get(i.code, "")} for i in issues]
    return page(request, "error.html", status=status, issues=records, back=back)
