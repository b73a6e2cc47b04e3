"""Reading the pages' form posts: bounded multipart parsing, the form token, typed fields."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from defa.errors import InputRejected, Issue
from defa.service.web.security import token_ok

__all__ = ["FormRejected", "date_field", "read_form", "text_field", "upload"]


class FormRejected(InputRejected):
    """A form post without a valid token (HTTP 403), or with malformed fields (422)."""

    def __init__(self, issue: Issue, status: int = 422) -> None:
        super().__init__(issue)
        self.status = status


async def read_form(request: Request) -> FormData:
    """The posted form, refused unless it carries this browser's form token."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        raise FormRejected(Issue("request.unsupported_media_type", f"not a form: {media!r:.60}"))
    # Few fields and at most one file: a form post cannot make the parser hold much.
    form = await request.form(max_files=1, max_fields=10)
    if not token_ok(request, form.get("csrf_token")):
        raise FormRejected(
            Issue(
                "request.invalid",
                "the form's security token is missing or stale: reload the page and send it again",
                loc="csrf_token",
            ),
            status=403,
        )
    return form


def text_field(form: FormData, name: str, limit: int = 10_000) -> str:
    """A text field, stripped; empty when absent; refused past ``limit`` characters."""
    value = form.get(name)
    if value is None or isinstance(value, UploadFile):
        return ""
    if len(value) > limit:
        raise FormRejected(
            Issue("input.too_large", f"the field holds more than {limit} characters", loc=name)
        )
    return value.strip()


def date_field(form: FormData, name: str) -> date | None:
    """A ``YYYY-MM-DD`` field; None when empty; ``input.invalid_date`` when malformed."""
    text = text_field(form, name, limit=40)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormRejected(
            Issue("input.invalid_date", f"{text!r:.40} is not a date (YYYY-MM-DD)", loc=name)
        ) from None


async def upload(form: FormData, name: str) -> tuple[str, bytes] | None:
    """The uploaded file's name and bytes; None when no file was chosen."""
    value = form.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    return value.filename, await value.read()
