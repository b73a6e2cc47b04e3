"""Alembic environment: migrations run on the connection the caller hands over.

:class:`defa.service.db.Database` passes its connection in ``config.attributes``, so the
same engine settings (SQLite pragmas, PostgreSQL driver) apply to migrations as to requests.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from defa.service.db.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError("run migrations through defa.service.db.Database (defa admin migrate)")
_run(_connection)
