"""The `defa` command: human and JSON output, and the exit-code contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from defa.cli import app

runner = CliRunner()
DEFA = [sys.executable, "-c", "from defa.cli import main; main()"]


def test_members_human_and_json() -> None:
    result = runner.invoke(app, ["members", "--as-of", "2025-10-26"])
    assert result.exit_code == 0
    assert "11 ASEAN members on 2025-10-26" in result.output
    assert "TL  TLS" in result.output
    result = runner.invoke(app, ["members", "--as-of", "1999-04-29", "--json"])
    rows = json.loads(result.output)
    assert [r["alpha2"] for r in rows][-1] == "MM"
    assert len(rows) == 9


def test_members_before_asean_exits_3() -> None:
    result = runner.invoke(app, ["members", "--as-of", "1950-01-01", "--json"])
    assert result.exit_code == 3
    assert json.loads(result.output)["issues"][0]["code"] == "data.not_in_force"


def test_bad_date_is_usage_error() -> None:
    result = runner.invoke(app, ["members", "--as-of", "yesterday"])
    assert result.exit_code == 2


def test_id_validate_valid_and_invalid() -> None:
    # 197401143C: a UEN published by ACRA (ROC format, python-stdnum's example).
    ok = runner.invoke(app, ["id", "validate", "SG", "197401143C"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["id", "validate", "sg", "197401143D", "--json"])
    assert bad.exit_code == 1
    body = json.loads(bad.output)
    assert body["valid"] is False
    assert body["issues"][0]["code"] == "id.invalid_checksum"


def test_id_format_prints_issuer_layout() -> None:
    # Thai TIN 13 digits print as 1-2345-45678-78-1 (Revenue Department layout).
    result = runner.invoke(app, ["id", "format", "TH", "1234545678781"])
    assert result.exit_code == 0
    assert result.output.strip() == "1-2345-45678-78-1"


def test_unknown_country_and_scheme_exit_2() -> None:
    result = runner.invoke(app, ["id", "validate", "XX", "1", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["issues"][0]["code"] == "registry.unknown_country"
    result = runner.invoke(app, ["id", "validate", "SG", "1", "--scheme", "passport"])
    assert result.exit_code == 2
    assert "registry.unknown_scheme" in result.output


def test_no_arguments_is_usage() -> None:
    assert runner.invoke(app, ["id", "validate"]).exit_code == 2


def _run(args: list[str | bytes]) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(DEFA + args, capture_output=True, timeout=60, env=env, check=False)


@pytest.mark.parametrize(
    "value",
    [
        b"\xff\xfe\xfa",
        "\u0000x".encode("utf-8", "surrogatepass")[1:],
        "١٢٣".encode(),
        b"A" * 100_000,
    ],
)
def test_any_bytes_on_the_command_line_get_a_clear_error(value: bytes) -> None:
    result = _run(["id", "validate", "SG", value, "--json"])  # type: ignore[list-item]
    assert result.returncode == 1, result.stderr
    issues = json.loads(result.stdout)["issues"]
    assert issues[0]["code"].startswith("id.")
    assert b"Traceback" not in result.stderr


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("defa")
    assert script.exists()
    out = subprocess.run([script, "version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip()
