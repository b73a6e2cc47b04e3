"""Service settings, read from the environment (``DEFA_*``) with sensible defaults.

``DEFA_DATABASE_URL`` (``sqlite:///var/defa.db``; or ``postgresql://user:pw@host/db``),
``DEFA_MAX_BODY_BYTES``, ``DEFA_MAX_DOCUMENT_BYTES``, ``DEFA_REQUEST_TIMEOUT`` (seconds; 0
turns the limit off), ``DEFA_JSON_LOGS`` (``0`` leaves logging as the host configured it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Settings"]

DEFAULT_DATABASE_URL = "sqlite:///var/defa.db"
# Paths whose requests carry whole documents rather than small JSON bodies.
DOCUMENT_PATHS = ("/v1/invoices", "/v1/documents", "/web/invoices")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the service needs to start."""

    database_url: str = DEFAULT_DATABASE_URL
    max_body_bytes: int = 1_000_000  # JSON requests
    max_document_bytes: int = 50_000_000  # documents (invoices) sent whole
    request_timeout: float | None = 60.0  # seconds; None: no limit
    json_logs: bool = True

    def body_limit(self, path: str) -> int:
        """The body size limit for a request path: documents get the larger one."""
        return self.max_document_bytes if path.startswith(DOCUMENT_PATHS) else self.max_body_bytes

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        """Settings from ``DEFA_*`` variables; ``database_url`` overrides the environment's."""
        timeout = float(os.environ.get("DEFA_REQUEST_TIMEOUT", "60"))
        return cls(
            database_url=database_url or os.environ.get("DEFA_DATABASE_URL", DEFAULT_DATABASE_URL),
            max_body_bytes=int(os.environ.get("DEFA_MAX_BODY_BYTES", "1000000")),
            max_document_bytes=int(os.environ.get("DEFA_MAX_DOCUMENT_BYTES", "50000000")),
            request_timeout=timeout if timeout > 0 else None,
            json_logs=os.environ.get("DEFA_JSON_LOGS", "1") not in ("0", "false", "no"),
        )
