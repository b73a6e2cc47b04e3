"""Fixtures of the gateway tests: a database of each kind, apps on it, tenants with keys.

``database_url`` runs a test on SQLite (a fresh file) and on PostgreSQL (a fresh schema in
the database ``DEFA_TEST_POSTGRES_URL`` names; ``.ci/run`` sets it). When that variable is
set but the server cannot be reached, the PostgreSQL runs fail and say so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from defa.service.app import create_app
from defa.service.auth import create_tenant
from defa.service.db import ApiKey, AuditEntry, Conversion, Database, Document, Report, Tenant
from defa.service.settings import Settings
from tests.shared import shared_path

POSTGRES_ENV = "DEFA_TEST_POSTGRES_URL"
XML = {"content-type": "application/xml"}
# Rules in force on this date for the vectors used here (Peppol BIS 3.0.19 from 2025-08-25).
AS_OF = "2026-01-01"


def _postgres_schema(base: str) -> Iterator[str]:
    import psycopg

    try:
        admin = psycopg.connect(base, connect_timeout=5, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"{POSTGRES_ENV} is set to {base!r} but PostgreSQL cannot be reached: {exc}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in base else "?"
        try:
            yield f"{base}{sep}options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/var/defa.db"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set (.ci/run sets it; CI runs these)")
    yield from _postgres_schema(base)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, max_body_bytes=10_000, max_document_bytes=300_000)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c
        c.app.state.db.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def db(client: TestClient) -> Database:
    """The database the ``client``'s app uses (migrated when the app was built)."""
    found: Database = client.app.state.db  # type: ignore[attr-defined]
    return found


@pytest.fixture
def new_tenant(db: Database) -> Callable[[str], tuple[str, str]]:
    """Make a tenant; returns (tenant id, API key)."""

    def make(name: str) -> tuple[str, str]:
        with db.transaction() as session:
            tenant, key = create_tenant(session, name)
            return tenant.id, key

    return make


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def row_counts(db: Database) -> dict[str, int]:
    """How many rows each gateway table holds."""
    with db.transaction() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Tenant, ApiKey, Document, Report, Conversion, AuditEntry)
        }


def example(name: str = "base-example.xml") -> bytes:
    """A Peppol BIS 3 example invoice (UBL), as published upstream."""
    return shared_path("vectors", "einvoice", "peppol-bis3", "examples", name).read_bytes()


def cii_example() -> bytes:
    """An EN 16931 example invoice in CII, as published upstream."""
    path = shared_path("vectors", "einvoice", "en16931", "examples-cii", "CII_example1.xml")
    return path.read_bytes()


def broken_example() -> bytes:
    """base-example.xml with BT-112 changed so BR-CO-15 (BT-112 = BT-109 + BT-110) fails."""
    return example().replace(
        b">1656.25</cbc:TaxInclusiveAmount>", b">1000</cbc:TaxInclusiveAmount>"
    )
