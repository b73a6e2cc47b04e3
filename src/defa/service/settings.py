"""Service settings, read from the environment (``DEFA_*``) with sensible defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Settings"]

DEFAULT_DATABASE_URL = "sqlite:///var/defa.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """What the service needs to start."""

    database_url: str = DEFAULT_DATABASE_URL
    max_body_bytes: int = 1_000_000

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        return cls(
            database_url=database_url or os.environ.get("DEFA_DATABASE_URL", DEFAULT_DATABASE_URL),
            max_body_bytes=int(os.environ.get("DEFA_MAX_BODY_BYTES", "1000000")),
        )
