"""``defa admin``: migrations, tenants and keys, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from defa.cli import app
from defa.service.app import create_app
from defa.service.db import Database
from defa.service.settings import Settings
from tests.service.conftest import AS_OF, XML, bearer, example, row_counts

runner = CliRunner()


def test_migrate_brings_a_new_database_to_the_head(database_url: str) -> None:
    r = runner.invoke(app, ["admin", "migrate", "--database-url", database_url, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {"migration": "0002", "head": True}
    again = runner.invoke(app, ["admin", "migrate", "--database-url", database_url])
    assert again.exit_code == 0
    assert "0002" in again.output


def test_tenant_create_prints_a_working_key_once(database_url: str) -> None:
    # No migrate first: the command brings the new database up to date itself.
    r = runner.invoke(
        app,
        ["admin", "tenant", "create", "Acme Sdn Bhd", "--json"],
        env={"DEFA_DATABASE_URL": database_url},
    )
    assert r.exit_code == 0, r.output
    made = json.loads(r.output)
    assert set(made) == {"tenant", "api_key"}
    assert made["tenant"]["name"] == "Acme Sdn Bhd"
    key = made["api_key"]

    db = Database(database_url)
    assert row_counts(db)["api_keys"] == 1
    db.dispose()
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        created = client.post(
            "/v1/documents",
            params={"as_of": AS_OF},
            content=example(),
            headers={**XML, **bearer(key)},
        )
        assert created.status_code == 201, created.text
        audit = client.get("/v1/audit", headers=bearer(key)).json()["items"]
        client.app.state.db.dispose()  # type: ignore[attr-defined]
    # Newest first: the creation of the document, then the tenant's own creation.
    assert [e["action"] for e in audit] == ["document.created", "tenant.created"]
    assert audit[0]["key_id"] == key.split("_")[1]

    listed = runner.invoke(app, ["admin", "tenant", "list", "--json"],
                           env={"DEFA_DATABASE_URL": database_url})  # fmt: skip
    assert listed.exit_code == 0
    (row,) = json.loads(listed.output)
    assert (row["name"], row["documents"]) == ("Acme Sdn Bhd", 1)
    assert key not in listed.output


def test_tenant_create_human_output_and_duplicates(database_url: str) -> None:
    args = ["admin", "tenant", "create", "acme", "--database-url", database_url]
    first = runner.invoke(app, args)
    assert first.exit_code == 0
    assert "API key" in first.output
    assert "defa_" in first.output
    dup = runner.invoke(app, args)
    assert dup.exit_code == 1
    assert "exists already" in dup.output


def test_unusable_database_url_is_exit_3() -> None:
    r = runner.invoke(app, ["admin", "migrate", "--database-url", "mysql://u@h/d"])
    assert r.exit_code == 3
    down = runner.invoke(
        app, ["admin", "migrate", "--database-url", "postgresql://defa:defa@127.0.0.1:1/defa"]
    )
    assert down.exit_code == 3
    assert "cannot be used" in down.output


def test_keys_rotate_and_revoke(database_url: str) -> None:
    env = {"DEFA_DATABASE_URL": database_url}

    def admin(*args: str) -> tuple[int, str]:
        r = runner.invoke(app, ["admin", *args], env=env)
        return r.exit_code, r.output

    code, out = admin("tenant", "create", "acme", "--json")
    assert code == 0
    first = json.loads(out)["api_key"]
    code, out = admin("key", "create", "acme", "--json")
    assert code == 0, out
    second = json.loads(out)["api_key"]
    assert json.loads(out)["key_id"] == second.split("_")[1]
    assert second != first

    with TestClient(create_app(Settings(database_url=database_url))) as client:

        def status(key: str) -> int:
            return client.get("/v1/documents", headers=bearer(key)).status_code

        assert (status(first), status(second)) == (200, 200)
        code, out = admin("key", "revoke", first.split("_")[1])
        assert code == 0, out
        assert (status(first), status(second)) == (401, 200)
        actions = [
            e["action"] for e in client.get("/v1/audit", headers=bearer(second)).json()["items"]
        ]
        client.app.state.db.dispose()  # type: ignore[attr-defined]
    assert {"tenant.created", "key.created", "key.revoked"} <= set(actions)

    assert admin("key", "revoke", first.split("_")[1])[0] == 1  # revoked already
    assert admin("key", "revoke", "0" * 16)[0] == 2  # no such key
    assert admin("key", "create", "nobody")[0] == 2  # no such tenant
