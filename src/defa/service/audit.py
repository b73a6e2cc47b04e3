"""The append-only audit log: who (tenant, key) did what, when.

:func:`record` is the only way rows are written. Nothing here updates or deletes one, and
the guard below refuses it through the ORM (changed or deleted :class:`AuditEntry` objects,
bulk ``update()``/``delete()``); the database's triggers refuse it in plain SQL.

Actions: ``tenant.created``, ``key.created``, ``key.revoked``, ``document.created``,
``document.read``, ``document.listed``, ``conversion.created``, ``audit.read``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from defa.service.db.models import AuditEntry, utcnow

__all__ = ["AppendOnlyViolation", "entries", "record", "to_dict"]


class AppendOnlyViolation(RuntimeError):
    """Something tried to change or delete an audit row."""


def record(
    session: Session,
    *,
    tenant_id: str,
    action: str,
    key_id: str | None = None,
    actor: str = "api",
    subject: str | None = None,
    request_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry (committed with the rest of the caller's transaction)."""
    entry = AuditEntry(
        at=utcnow(),
        tenant_id=tenant_id,
        key_id=key_id,
        actor=actor,
        action=action,
        subject=subject,
        request_id=request_id,
        detail=detail or {},
    )
    session.add(entry)
    return entry


def entries(
    session: Session, tenant_id: str, *, limit: int = 100, before: int | None = None
) -> list[AuditEntry]:
    """A tenant's entries, newest first; ``before`` is a ``seq`` to continue after."""
    query = select(AuditEntry).where(AuditEntry.tenant_id == tenant_id)
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    return list(session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit)))


def to_dict(entry: AuditEntry) -> dict[str, Any]:
    """An entry as the API shows it."""
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "key_id": entry.key_id,
        "actor": entry.actor,
        "action": entry.action,
        "subject": entry.subject,
        "request_id": entry.request_id,
        "detail": entry.detail,
    }


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AppendOnlyViolation("audit entries are never deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            raise AppendOnlyViolation("audit entries are never changed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        m.class_ is AuditEntry for m in state.all_mappers
    ):
        raise AppendOnlyViolation("audit entries are never changed or deleted")
