"""The gateway's relational storage: tables (``models``), engine and transactions (``engine``).

Every stored row belongs to one tenant; the tables are created and upgraded only by the
Alembic migrations shipped in :mod:`defa.service.migrations`.
"""

from defa.service.db.engine import Database, normalise_url
from defa.service.db.models import ApiKey, AuditEntry, Base, Conversion, Document, Report, Tenant

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "Conversion",
    "Database",
    "Document",
    "Report",
    "Tenant",
    "normalise_url",
]
