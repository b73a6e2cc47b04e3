"""The database layer: migrations, the append-only audit log, transactions, keys."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from defa.errors import DataError, InputRejected
from defa.service import audit
from defa.service.auth import create_tenant, digest, verify
from defa.service.db import AuditEntry, Base, Database, Tenant
from defa.service.db.engine import DeadlinePassed, normalise_url
from tests.service.conftest import row_counts


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.migrate()
    yield db
    db.dispose()  # give PostgreSQL its connections back before the schema is dropped


def test_migrations_build_exactly_the_models(database: Database) -> None:
    assert database.revision() == database.head() == "0002"
    assert database.readiness() == (True, "ready")
    with database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_migrations_go_down_and_up_again(database: Database) -> None:
    database.downgrade("base")
    assert database.revision() is None
    ready, why = database.readiness()
    assert not ready
    assert "not 0002" in why
    database.migrate("0001")
    assert database.revision() == "0001"
    database.migrate()
    database.migrate()  # nothing left to do: no error
    assert database.revision() == "0002"
    database.downgrade("0001")  # and 0002 can be undone on its own
    assert database.revision() == "0001"


def test_unreachable_database_is_not_ready() -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    db = Database("postgresql://defa:defa@127.0.0.1:1/defa")
    ready, why = db.readiness()
    assert not ready
    assert "unreachable" in why
    assert db.ping() is False


def test_urls() -> None:
    assert normalise_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert normalise_url("postgres://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert normalise_url("sqlite:///var/x.db") == "sqlite:///var/x.db"
    for bad in ("mysql://u@h/d", "nonsense", "postgresql+psycopg2://u@h/d"):
        with pytest.raises(DataError):
            Database(bad)


def _tenant_with_entry(database: Database) -> str:
    with database.transaction() as session:
        tenant, _ = create_tenant(session, "acme")
        return tenant.id


def _in_transaction(database: Database, work: Callable[[Session], object]) -> None:
    with database.transaction() as session:
        work(session)


def test_audit_rows_cannot_be_changed_through_the_orm(database: Database) -> None:
    _tenant_with_entry(database)
    attempts: list[Callable[[Session], object]] = [
        lambda s: setattr(s.query(AuditEntry).one(), "action", "tenant.deleted"),
        lambda s: s.delete(s.query(AuditEntry).one()),
        lambda s: s.execute(update(AuditEntry).values(action="x")),
        lambda s: s.execute(delete(AuditEntry)),
    ]
    for attempt in attempts:
        with pytest.raises(audit.AppendOnlyViolation):
            _in_transaction(database, attempt)
    with database.transaction() as session:
        assert [e.action for e in session.query(AuditEntry)] == ["tenant.created"]


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"]
)
def test_audit_rows_cannot_be_changed_in_sql(database: Database, statement: str) -> None:
    _tenant_with_entry(database)
    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
        connection.execute(text(statement))
    assert row_counts(database)["audit_log"] == 1


def test_creating_a_tenant_is_audited(database: Database) -> None:
    tenant_id = _tenant_with_entry(database)
    with database.transaction() as session:
        (entry,) = audit.entries(session, tenant_id)
    assert (entry.action, entry.actor, entry.subject) == ("tenant.created", "admin", tenant_id)
    assert entry.detail["name"] == "acme"


def test_duplicate_and_blank_tenant_names_are_refused(database: Database) -> None:
    _tenant_with_entry(database)
    before = row_counts(database)
    for name in ("acme", "  acme ", "", "   ", "x" * 201, "tab\there"):
        with pytest.raises(InputRejected), database.transaction() as session:
            create_tenant(session, name)
    assert row_counts(database) == before


def test_a_late_transaction_is_rolled_back(database: Database) -> None:
    before = row_counts(database)
    with pytest.raises(DeadlinePassed), database.transaction(time.monotonic() - 1) as session:
        create_tenant(session, "too-late")
    assert row_counts(database) == before
    with database.transaction(time.monotonic() + 60) as session:
        create_tenant(session, "in-time")
    assert row_counts(database)["tenants"] == before["tenants"] + 1


def test_keys_are_stored_as_digests_and_verified(database: Database) -> None:
    with database.transaction() as session:
        tenant, key = create_tenant(session, "acme")
    prefix, key_id, secret = key.split("_", 2)
    assert prefix == "defa"
    assert len(key_id) == 16
    assert len(secret) >= 43  # 32 random bytes in URL-safe base64
    with database.transaction() as session:
        stored = session.execute(text("SELECT key_sha256 FROM api_keys")).scalar_one()
        assert stored == hashlib.sha256(key.encode()).hexdigest() == digest(key)
        assert key not in str(session.execute(text("SELECT * FROM api_keys")).all())
        who = verify(session, key)
        assert who is not None
        assert (who.tenant_id, who.key_id) == (tenant.id, key_id)
        for wrong in ("", key + "x", key.upper(), f"defa_{key_id}_", f"xefa_{key_id}_{secret}"):
            assert verify(session, wrong) is None
        assert session.get(Tenant, tenant.id) is not None


def test_readers_do_not_wait_for_a_writer_and_cannot_write(database: Database) -> None:
    with database.transaction() as writer:
        create_tenant(writer, "uncommitted")
        writer.flush()  # the writer holds its lock (SQLite: the database's write lock)
        started = time.monotonic()
        with database.reading() as reader:
            # The reader sees the last committed state, at once: not the writer's new row.
            assert reader.query(Tenant).count() == 0
        assert time.monotonic() - started < 5
    with pytest.raises(RuntimeError, match="must not write"), database.reading() as reader:
        create_tenant(reader, "sneaky")
    assert row_counts(database)["tenants"] == 1
