"""``defa admin ...``: operate the gateway's database (migrations, tenants and API keys).

Every command first brings the database (``--database-url`` or ``DEFA_DATABASE_URL``,
default ``sqlite:///var/defa.db``) to the latest migration. Exit codes: 0 done,
1 refused input (a duplicate tenant name), 2 usage or an unknown tenant or key,
3 database unreachable or broken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from defa.cli._common import emit
from defa.errors import DefaError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from defa.service.db import Database

T = TypeVar("T")

__all__ = ["admin_app"]

admin_app = typer.Typer(
    help="Operate the gateway: database migrations, tenants and their API keys.",
    no_args_is_help=True,
)
tenant_app = typer.Typer(help="Tenants of the gateway and their API keys.", no_args_is_help=True)
key_app = typer.Typer(help="API keys: more for a tenant, or revoke one.", no_args_is_help=True)
admin_app.add_typer(tenant_app, name="tenant")
admin_app.add_typer(key_app, name="key")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
UrlOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url", envvar="DEFA_DATABASE_URL", help="Default: sqlite:///var/defa.db"
    ),
]


def _fail(exc: DefaError, as_json: bool) -> typer.Exit:
    if as_json:
        emit({"issues": [i.to_dict() for i in exc.issues]})
    else:
        for issue in exc.issues:
            typer.echo(f"error: {issue.code}: {issue.msg}", err=True)
    return typer.Exit(exc.exit_code)


def _open(database_url: str | None) -> Database:
    """The database, migrated to the latest revision; exit 3 when it cannot be reached."""
    # Imported here, not at the top: every `defa` command loads this module, and the
    # database stack is slow to import for commands that never touch it.
    from sqlalchemy.exc import SQLAlchemyError

    from defa.service.db import Database
    from defa.service.settings import Settings

    url = Settings.from_env(database_url=database_url).database_url
    try:
        db = Database(url)
        db.migrate()
    except DefaError as exc:
        for issue in exc.issues:
            typer.echo(f"error: {issue.code}: {issue.msg}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except SQLAlchemyError as exc:
        typer.echo(f"error: the database cannot be used: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(3) from None
    return db


def _transact(database_url: str | None, as_json: bool, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction on the migrated database; our errors exit cleanly."""
    db = _open(database_url)
    try:
        with db.transaction() as session:
            return work(session)
    except DefaError as exc:
        raise _fail(exc, as_json) from None
    finally:
        db.dispose()


@admin_app.command("migrate")
def migrate(database_url: UrlOpt = None, as_json: JsonOpt = False) -> None:
    """Apply every pending migration (the service and other admin commands also do)."""
    db = _open(database_url)
    revision = db.revision()
    db.dispose()
    if as_json:
        emit({"migration": revision, "head": revision == db.head()})
    else:
        typer.echo(f"database at migration {revision} (latest)")


@tenant_app.command("create")
def tenant_create(
    name: Annotated[str, typer.Argument(help="The tenant's name (unique).")],
    database_url: UrlOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a tenant and print its API key. The key is shown this once; only its hash is kept."""
    from defa.service.auth import create_tenant

    tenant, api_key = _transact(database_url, as_json, lambda s: create_tenant(s, name))
    if as_json:
        emit({"tenant": {"id": tenant.id, "name": tenant.name}, "api_key": api_key})
    else:
        typer.echo(f"tenant {tenant.name} ({tenant.id})")
        typer.echo(f"API key (shown once; keep it secret): {api_key}")


@tenant_app.command("list")
def tenant_list(database_url: UrlOpt = None, as_json: JsonOpt = False) -> None:
    """Every tenant, with how many documents it holds."""
    from sqlalchemy import func, select

    from defa.service.db import Document, Tenant

    db = _open(database_url)
    count = func.count(Document.seq)
    query = (
        select(Tenant.id, Tenant.name, Tenant.created_at, count)
        .outerjoin(Document, Document.tenant_id == Tenant.id)
        .group_by(Tenant.id, Tenant.name, Tenant.created_at)
        .order_by(Tenant.created_at, Tenant.name)
    )
    with db.transaction() as session:
        rows = [
            {"id": r[0], "name": r[1], "created_at": r[2].isoformat(), "documents": r[3]}
            for r in session.execute(query)
        ]
    db.dispose()
    if as_json:
        emit(rows)
        return
    for row in rows:
        typer.echo(f"{row['id']}  {row['name']}  {row['documents']} documents")


@key_app.command("create")
def key_create(
    tenant: Annotated[str, typer.Argument(help="The tenant's name or id.")],
    database_url: UrlOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an API key to a tenant (for rotation) and print it, this once."""
    from defa.service.auth import create_key

    key_id, api_key = _transact(database_url, as_json, lambda s: create_key(s, tenant))
    if as_json:
        emit({"key_id": key_id, "api_key": api_key})
    else:
        typer.echo(f"API key {key_id} (shown once; keep it secret): {api_key}")


@key_app.command("revoke")
def key_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id: the part after 'defa_'.")],
    database_url: UrlOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Revoke an API key: requests with it answer 401 from now on."""
    from defa.service.auth import revoke_key

    def revoke(session: Session) -> str | None:
        row = revoke_key(session, key_id)
        return row.revoked_at.isoformat() if row.revoked_at else None

    revoked_at = _transact(database_url, as_json, revoke)
    if as_json:
        emit({"key_id": key_id, "revoked_at": revoked_at})
    else:
        typer.echo(f"API key {key_id} revoked at {revoked_at}")
