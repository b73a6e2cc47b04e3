"""Engine, migrations and transactions of the gateway's database.

``sqlite:///PATH`` (the default; a relative PATH is taken from the working directory) or
``postgresql://...`` (driven by psycopg 3). The schema belongs to the Alembic migrations
shipped in :mod:`defa.service.migrations`; :meth:`Database.migrate` applies them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from defa.errors import DataError, Issue

__all__ = ["Database", "DeadlinePassed", "normalise_url"]

_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Any fixed number: held while migrating so that two starting services do not race.
_MIGRATION_LOCK = 0x0DEFA


class DeadlinePassed(Exception):
    """The request's time ran out before its transaction could commit; it was rolled back."""


def normalise_url(url: str) -> str:
    """The SQLAlchemy URL for ``url``: PostgreSQL URLs are given the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _unsupported(url: str) -> DataError:
    scheme = url.split(":", 1)[0]
    return DataError(
        Issue(
            "request.invalid",
            f"unsupported database URL {scheme!r}: use sqlite:///PATH or postgresql://...",
            loc="DEFA_DATABASE_URL",
        )
    )


def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    raise RuntimeError("a reading session must not write")


class Database:
    """A handle on the gateway's database: sessions, migrations, health."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise _unsupported(url) from None
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            self.engine = self._sqlite_engine(parsed.database)
        elif backend == "postgresql" and parsed.get_driver_name() == "psycopg":
            # A short connect timeout keeps /ready quick when the server is away.
            self.engine = create_engine(
                self.url, pool_pre_ping=True, connect_args={"connect_timeout": 5}
            )
        else:
            raise _unsupported(url)
        self.dialect = backend
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Sessions that only read: on SQLite they begin without taking the write lock.
        self._readers = sessionmaker(
            self.engine.execution_options(defa_readonly=True), expire_on_commit=False
        )
        event.listen(self._readers, "before_flush", _refuse_writes)

    def _sqlite_engine(self, database: str | None) -> Engine:
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(self.url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, start transactions (see _on_begin).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            # Take the write lock up front: a deferred transaction that later writes can fail
            # with "database is locked" instead of waiting when two requests write at once.
            # Readers (see Database.reading) need no lock: WAL lets them run beside a writer.
            readonly = connection.get_execution_options().get("defa_readonly", False)
            connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

        return engine

    # -- migrations ---------------------------------------------------------------------

    def _alembic(self, connection: Connection) -> Config:
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        config.attributes["connection"] = connection
        return config

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (default: the latest)."""
        with self.engine.begin() as connection:
            if self.dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            command.upgrade(self._alembic(connection), revision)

    def downgrade(self, revision: str) -> None:
        """Take the schema back to ``revision`` (``"base"``: nothing); for operators and tests."""
        with self.engine.begin() as connection:
            command.downgrade(self._alembic(connection), revision)

    def head(self) -> str | None:
        """The latest migration shipped with this version of DEFA."""
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        return ScriptDirectory.from_config(config).get_current_head()

    def revision(self) -> str | None:
        """The migration the database is at (None: none applied)."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    # -- health and sessions ------------------------------------------------------------

    def ping(self) -> bool:
        """True when the database answers a query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1")).scalar_one()
        except SQLAlchemyError:
            return False
        return True

    def readiness(self) -> tuple[bool, str]:
        """Whether requests can be served, and why not: reachable and migrated to the head."""
        try:
            current = self.revision()
        except SQLAlchemyError as exc:
            return False, f"the database is unreachable ({type(exc).__name__})"
        head = self.head()
        if current != head:
            return False, f"the schema is at migration {current}, not {head}"
        return True, "ready"

    @contextmanager
    def transaction(self, deadline: float | None = None) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.

        ``deadline`` (a ``time.monotonic()`` value) guards the commit: a request whose time
        ran out while it worked answers a timeout and must leave nothing behind.
        """
        with self._sessions() as session, session.begin():
            yield session
            session.flush()
            if deadline is not None and time.monotonic() > deadline:
                raise DeadlinePassed("the request ran out of time before it could commit")

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only (API key checks, listings without side effects)."""
        with self._readers() as session, session.begin():
            yield session
            if session.new or session.dirty or session.deleted:
                raise RuntimeError("a reading session must not write")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
