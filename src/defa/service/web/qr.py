"""``/web/qr``: read a pasted or photographed payment QR code; who can pay it."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from defa.errors import DefaError, Issue
from defa.members import members
from defa.service.web.forms import date_field, read_form, text_field, upload
from defa.service.web.render import error_page, grouped, page
from defa.service.web.routing import PageRoute

__all__ = ["router"]

# The prefix is set here, not by the including router, so route templates (logs, metrics)
# carry it.
router = APIRouter(prefix="/web", include_in_schema=False, route_class=PageRoute)
_BACK = "/web/qr"


@router.get("/qr", response_class=HTMLResponse)
def qr_form(request: Request) -> HTMLResponse:
    """The paste-or-upload form."""
    return page(request, "qr.html")


@router.post("/qr", response_class=HTMLResponse)
async def qr_result(request: Request) -> HTMLResponse:
    """The decoded fields, the code drawn again, and each member's answer to "can I pay it?"."""
    from defa.qr import decode
    from defa.qr.image import MAX_IMAGE_BYTES, read_image

    form = await read_form(request)
    text = text_field(form, "payload")
    as_of = date_field(form, "as_of")
    sent = await upload(form, "image")
    try:
        if sent is not None:
            _, image = sent
            if len(image) > MAX_IMAGE_BYTES:
                raise DefaError(
                    Issue("input.too_large", f"the image exceeds {MAX_IMAGE_BYTES} bytes", "image")
                )
            payload = read_image(image)  # no QR Code in it: qr.not_a_qr_image
        elif text:
            payload = decode(text)
        else:
            raise DefaError(
                Issue("request.invalid", "paste a payload or choose an image", loc="payload")
            )
        on = as_of or date.today()
        routes = _routes(payload, on)
    except DefaError as exc:
        return error_page(request, 422, exc.issues, back=_BACK)
    return page(
        request,
        "qr.html",
        decoded=_decoded(payload),
        payload=payload.text,
        as_of=on.isoformat(),
        as_of_input=None if as_of is None else as_of.isoformat(),
        routes=routes,
        groups=grouped(payload.issues),
    )


def _decoded(p: Any) -> dict[str, Any]:
    from defa.qr.image import render_png

    info = p.scheme_info
    return {
        **p.to_dict(),
        "scheme_name": getattr(info, "name", ""),
        "schemes": list(p.schemes),
        "amount": None if p.amount is None else str(p.amount),
        "currency": p.currency,
        "merchant_name": p.merchant_name,
        "merchant_city": p.merchant_city,
        # Only a code without errors is drawn: a drawing of a broken code would mislead.
        "image": base64.b64encode(render_png(p.text, scale=6)).decode("ascii") if p.valid else None,
    }


def _routes(p: Any, on: date) -> list[dict[str, Any]]:
    """Every member's answer, payable ones first (the route data is dated: ``on``)."""
    from defa.payments import route

    answers = []
    for m in members(on):
        r = route(p, m.alpha2, on)
        answers.append(
            {
                "country": m.alpha2,
                "name": m.name,
                "payable": r.payable,
                "reason": r.reason,
                "code": r.code,
                "domestic": r.domestic,
                "linkage": None if r.linkage is None else r.linkage.id,
                "confidence": None if r.linkage is None else r.linkage.confidence.value,
            }
        )
    return sorted(answers, key=lambda a: (not a["payable"], a["country"]))
