"""Form tokens and the signed session cookie, without a browser."""

from __future__ import annotations

import time

import pytest
from starlette.requests import Request
from starlette.responses import Response

from defa.service.web import security


def _request(cookies: dict[str, str]) -> Request:
    header = "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [(b"cookie", header)]})


def _session_cookie(api_key: str) -> str:
    response = Response()
    security.start_session(response, api_key)
    raw = response.headers["set-cookie"]
    assert "HttpOnly" in raw
    assert "SameSite=strict" in raw
    assert "Path=/web" in raw
    return raw.split(";", 1)[0].split("=", 1)[1]


def test_session_round_trip() -> None:
    value = _session_cookie("defa_abc_secret")
    assert security.read_session(_request({"defa_session": value})) == "defa_abc_secret"


def test_a_session_with_an_altered_body_or_signature_is_refused() -> None:
    body, signature = _session_cookie("defa_abc_secret").split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert security.read_session(_request({"defa_session": f"{body}.{flipped}"})) is None
    other_body, _ = _session_cookie("defa_other_secret").split(".")
    assert security.read_session(_request({"defa_session": f"{other_body}.{signature}"})) is None
    assert security.read_session(_request({"defa_session": "garbage"})) is None
    assert security.read_session(_request({})) is None


def test_an_expired_session_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    value = _session_cookie("defa_abc_secret")
    later = time.time() + security.SESSION_SECONDS + 1
    monkeypatch.setattr(security.time, "time", lambda: later)
    assert security.read_session(_request({"defa_session": value})) is None


def test_form_token_is_bound_to_the_browser_nonce() -> None:
    nonce = security.new_nonce()
    token = security.form_token(nonce)
    assert security.token_ok(_request({"defa_csrf": nonce}), token)
    assert not security.token_ok(_request({"defa_csrf": security.new_nonce()}), token)
    assert not security.token_ok(_request({}), token)
    assert not security.token_ok(_request({"defa_csrf": nonce}), None)
    # A session signature is never a form token for the same text, and back.
    assert security.form_token(nonce) != security._mac("session", nonce)
