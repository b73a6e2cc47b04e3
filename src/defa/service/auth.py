"""Tenants and their API keys.

A key reads ``defa_<key id>_<secret>``: the key id (public, 16 hex digits) finds the row, and
only the SHA-256 of the whole key is stored; the secret has 256 bits of entropy, so a plain
digest is enough (no slow hash needed) and it is compared in constant time. A key is shown
once, when it is created.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from defa.errors import InputRejected, Issue, LookupFailed
from defa.service import audit
from defa.service.db.models import ApiKey, Tenant, utcnow
from defa.service.httperrors import HTTPProblem

__all__ = [
    "Principal",
    "authenticated",
    "create_key",
    "create_tenant",
    "digest",
    "revoke_key",
    "verify",
]

_PREFIX = "defa"
# Compared against when the key id is unknown, so both failures take the same work.
_DUMMY = hashlib.sha256(b"no such key").hexdigest()
_bearer = HTTPBearer(auto_error=False, description="An API key from `defa admin tenant create`.")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the tenant and the key it used."""

    tenant_id: str
    key_id: str


def digest(api_key: str) -> str:
    """The stored form of a key: its SHA-256 in hex."""
    return hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()


def _new_key() -> tuple[str, str]:
    key_id = secrets.token_hex(8)
    return key_id, f"{_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def create_tenant(session: Session, name: str) -> tuple[Tenant, str]:
    """Add a tenant with its first API key; returns the tenant and the key (shown once)."""
    name = name.strip()
    if not name or len(name) > 200 or not name.isprintable():
        raise InputRejected(
            Issue("request.invalid", "a tenant name has 1 to 200 printable characters", loc="name")
        )
    if session.scalar(select(Tenant.id).where(Tenant.name == name)) is not None:
        raise InputRejected(
            Issue("request.invalid", f"a tenant named {name!r} exists already", loc="name")
        )
    now = utcnow()
    tenant = Tenant(id=str(uuid.uuid4()), name=name, created_at=now)
    key_id, api_key = _new_key()
    session.add(tenant)
    session.flush()  # the key's row refers to the tenant's
    session.add(ApiKey(id=key_id, tenant_id=tenant.id, key_sha256=digest(api_key), created_at=now))
    audit.record(
        session,
        tenant_id=tenant.id,
        actor="admin",
        action="tenant.created",
        subject=tenant.id,
        detail={"name": name, "key_id": key_id},
    )
    return tenant, api_key


def _tenant(session: Session, name_or_id: str) -> Tenant:
    tenant = session.get(Tenant, name_or_id) or session.scalar(
        select(Tenant).where(Tenant.name == name_or_id)
    )
    if tenant is None:
        raise LookupFailed(Issue("request.not_found", f"no tenant {name_or_id!r}", loc="tenant"))
    return tenant


def create_key(session: Session, tenant: str) -> tuple[str, str]:
    """Another API key for ``tenant`` (its name or id); returns (key id, key: shown once)."""
    owner = _tenant(session, tenant)
    key_id, api_key = _new_key()
    session.add(
        ApiKey(id=key_id, tenant_id=owner.id, key_sha256=digest(api_key), created_at=utcnow())
    )
    audit.record(
        session,
        tenant_id=owner.id,
        actor="admin",
        action="key.created",
        subject=key_id,
        detail={},
    )
    return key_id, api_key


def revoke_key(session: Session, key_id: str) -> ApiKey:
    """Revoke a key from now on; requests with it answer 401. Revoking twice is refused."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise LookupFailed(Issue("request.not_found", f"no API key {key_id!r}", loc="key_id"))
    if row.revoked_at is not None:
        raise InputRejected(
            Issue("request.invalid", f"API key {key_id!r} is revoked already", loc="key_id")
        )
    row.revoked_at = utcnow()
    audit.record(
        session,
        tenant_id=row.tenant_id,
        actor="admin",
        action="key.revoked",
        subject=key_id,
        detail={},
    )
    return row


def verify(session: Session, api_key: str) -> Principal | None:
    """The principal an API key stands for, or None when it is not a live key."""
    parts = api_key.split("_", 2)
    key_id = parts[1] if len(parts) == 3 and parts[0] == _PREFIX else ""
    row = session.get(ApiKey, key_id) if key_id else None
    stored = row.key_sha256 if row is not None and row.revoked_at is None else _DUMMY
    matches = hmac.compare_digest(stored, digest(api_key))
    if row is None or row.revoked_at is not None or not matches:
        return None
    return Principal(tenant_id=row.tenant_id, key_id=row.id)


def _unauthorized(msg: str) -> HTTPProblem:
    return HTTPProblem(
        401, Issue("request.unauthorized", msg), headers={"WWW-Authenticate": "Bearer"}
    )


async def authenticated(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal:
    """FastAPI dependency: the caller, from ``Authorization: Bearer <key>``; 401 otherwise."""
    if credentials is None:
        raise _unauthorized("send an API key: Authorization: Bearer <key>")
    db = request.app.state.db

    def lookup() -> Principal | None:
        with db.reading() as session:
            return verify(session, credentials.credentials)

    principal = await run_in_threadpool(lookup)
    if principal is None:
        raise _unauthorized("the API key is not valid")
    request.state.tenant_id = principal.tenant_id  # for the access log
    return principal
