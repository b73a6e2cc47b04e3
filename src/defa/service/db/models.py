"""The gateway's tables, as SQLAlchemy 2 ORM classes.

The migrations in :mod:`defa.service.migrations` create exactly these tables; a test compares
the two. Public ids are random UUIDs (``id``) while rows are ordered by an integer ``seq`` so a
listing cursor never reveals anything but a position in the caller's own list.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "Conversion",
    "Document",
    "Report",
    "Tenant",
    "UTCDateTime",
    "utcnow",
]

# SQLite has no 64-bit autoincrement type of its own; INTEGER PRIMARY KEY is its rowid.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """The current time in UTC (aware)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A UTC instant stored without zone (SQLite keeps no zone); read back as aware UTC."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of every gateway table."""


class Tenant(Base):
    """An organisation using the gateway; owns documents, reports, conversions and audit rows."""

    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiKey(Base):
    """An API key: its public id and the SHA-256 of the whole key (the key itself is not kept)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    key_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Document(Base):
    """A submitted invoice, byte for byte, with what its check found."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("tenant_id", "idempotency_key", name="uq_documents_idem"),)

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    syntax: Mapped[str] = mapped_column(String(32))
    # The format (profile) detected, e.g. peppol-bis3; None for rows from before 0002.
    format: Mapped[str | None] = mapped_column(String(64), nullable=True)
    valid: Mapped[bool] = mapped_column(Boolean())
    rules: Mapped[str] = mapped_column(String(64))  # the rule set applied, with its bases
    as_of: Mapped[date | None] = mapped_column(Date(), nullable=True)
    size: Mapped[int] = mapped_column(Integer())
    content_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary())
    # The Idempotency-Key and a digest of the whole request it was first used with.
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    request_sha256: Mapped[str] = mapped_column(String(64))


class Report(Base):
    """The check report of a document (``Report.to_dict()`` as JSON)."""

    __tablename__ = "reports"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON())


class Conversion(Base):
    """A document converted to another syntax, with every value the target could not carry."""

    __tablename__ = "conversions"
    __table_args__ = (UniqueConstraint("document_id", "format", name="uq_conversions_format"),)

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    format: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content: Mapped[bytes] = mapped_column(LargeBinary())
    losses: Mapped[list[dict[str, Any]]] = mapped_column(JSON())
    report: Mapped[dict[str, Any]] = mapped_column(JSON())


class AuditEntry(Base):
    """One line of the append-only audit log: who (tenant, key) did what, when.

    Rows are only ever inserted: :mod:`defa.service.audit` refuses updates and deletes in
    the ORM, and database triggers (see the first migration) refuse them in SQL.
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(64), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON())
