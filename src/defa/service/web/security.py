"""Form tokens and the signed session cookie of the web pages.

Cross-site request forgery is stopped twice over: every cookie the pages set is
``SameSite=Strict`` (a browser does not send it with a request started on another site),
and every form carries a token that is an HMAC of a random per-browser nonce held in an
``HttpOnly`` cookie. Another site can neither read the nonce nor compute the token.

The session cookie (the tenant's API key, for the documents pages) is signed with the server
secret, so it cannot be forged or altered, and expires. The secret is ``DEFA_WEB_SECRET``;
when unset, a random one is drawn at start-up, and sessions end when the server restarts
(several server processes must share one ``DEFA_WEB_SECRET``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from functools import cache

from starlette.requests import Request
from starlette.responses import Response

__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "SESSION_SECONDS",
    "clear_session",
    "form_token",
    "new_nonce",
    "read_session",
    "set_nonce",
    "start_session",
    "token_ok",
]

CSRF_COOKIE = "defa_csrf"
SESSION_COOKIE = "defa_session"
SESSION_SECONDS = 8 * 3600
_PATH = "/web"


@cache
def _secret() -> bytes:
    configured = os.environ.get("DEFA_WEB_SECRET", "")
    return configured.encode() if configured else secrets.token_bytes(32)


def _mac(purpose: str, value: str) -> str:
    # The purpose keeps a form token from ever passing as a session signature, and back.
    return hmac.new(_secret(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    """A fresh random nonce for a browser's CSRF cookie."""
    return secrets.token_urlsafe(24)


def form_token(nonce: str) -> str:
    """The token forms carry for the browser whose CSRF cookie holds ``nonce``."""
    return _mac("form", nonce)


def token_ok(request: Request, token: object) -> bool:
    """True when ``token`` (from the submitted form) matches the browser's CSRF cookie."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not nonce or not isinstance(token, str):
        return False
    return hmac.compare_digest(form_token(nonce), token)


def _cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=_PATH,
        httponly=True,
        samesite="strict",
        secure=False,  # the gateway may be served over plain HTTP on a private network
    )


def set_nonce(response: Response, nonce: str) -> None:
    """Give the browser its CSRF nonce (a browser-session cookie)."""
    _cookie(response, CSRF_COOKIE, nonce, None)


def start_session(response: Response, api_key: str) -> None:
    """Keep ``api_key`` in a signed, expiring session cookie."""
    body = json.dumps({"key": api_key, "exp": int(time.time()) + SESSION_SECONDS})
    encoded = base64.urlsafe_b64encode(body.encode()).decode()
    _cookie(response, SESSION_COOKIE, f"{encoded}.{_mac('session', encoded)}", SESSION_SECONDS)


def read_session(request: Request) -> str | None:
    """The API key of a valid, unexpired session cookie; None for none or a forged one."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    encoded, _, signature = raw.partition(".")
    if not encoded or not hmac.compare_digest(_mac("session", encoded), signature):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(encoded.encode()))
        key, expires = body["key"], body["exp"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(key, str) or not isinstance(expires, int) or expires < time.time():
        return None
    return key


def clear_session(response: Response) -> None:
    """End the session: the browser drops its session cookie."""
    response.delete_cookie(SESSION_COOKIE, path=_PATH, httponly=True, samesite="strict")
