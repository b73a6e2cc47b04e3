"""The service's database: an embedded SQLite file by default.

Only ``sqlite:///PATH`` URLs are handled here (a relative PATH is taken from the working
directory, so the default lands in ``./var/``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from defa.errors import DataError, Issue

__all__ = ["Database"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS service_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class Database:
    """A handle on the service database; creates the file and its folder if absent."""

    def __init__(self, url: str) -> None:
        prefix = "sqlite:///"
        if not url.startswith(prefix):
            raise DataError(
                Issue(
                    "request.invalid",
                    f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:///PATH",
                    loc="DEFA_DATABASE_URL",
                )
            )
        self.path = Path(url[len(prefix) :])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=5)

    def ping(self) -> bool:
        """True when the database answers a query."""
        try:
            with self._connect() as conn:
                conn.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True
