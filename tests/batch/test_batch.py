"""``defa.batch`` and ``defa batch check``: statuses, conversion, resuming, inputs, Dask."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import distributed
import pytest
from typer.testing import CliRunner

from defa.batch import Job, expand, run
from defa.cli import app
from defa.errors import InputRejected
from tests.batch.conftest import AS_OF, make_inputs

runner = CliRunner()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _by_input(path: Path) -> dict[str, dict[str, Any]]:
    return {r["input"]: r for r in _lines(path)}


def test_statuses_of_valid_broken_and_junk(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", valid=3, broken=1, junk=1)
    out = tmp_path / "r.jsonl"
    summary = run(Job(inputs, out, as_of=_date(AS_OF), workers=2))
    assert summary.statuses == Counter(valid=3, invalid=1, unreadable=1)
    assert not summary.all_valid
    records = _by_input(out)
    assert set(records) == {str(p) for p in inputs}
    broken = records[str(tmp_path / "in" / "broken-00000.xml")]
    # 1325 + 331.25 != 1000: the total-with-VAT rule fires.
    assert "BR-CO-15" in {i["rule_id"] for i in broken["issues"]}
    junk = records[str(tmp_path / "in" / "junk-00000.xml")]
    assert junk["issues"][0]["code"].startswith("xml.")


def test_convert_to_cii_carries_the_document(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", valid=1)
    out = tmp_path / "r.jsonl"
    run(Job(inputs, out, as_of=_date(AS_OF), convert_to="cii", workers=1))
    (record,) = _lines(out)
    assert record["conversion"]["to"] == "cii"
    assert "CrossIndustryInvoice" in record["conversion"]["document"]
    # The invoice number travels: BT-1 of the copy is V0.
    assert "V0" in record["conversion"]["document"]


def test_restart_skips_done_inputs_and_cuts_a_torn_line(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", valid=4)
    out = tmp_path / "r.jsonl"
    run(Job(inputs[:2], out, as_of=_date(AS_OF), workers=1))
    first = out.read_bytes()
    # A run killed while writing leaves part of a line without its newline.
    out.write_bytes(first + b'{"run": "abc", "input": "/x')
    summary = run(Job(inputs, out, as_of=_date(AS_OF), workers=2))
    assert (summary.skipped, summary.processed) == (2, 2)
    assert summary.earlier == Counter(valid=2)
    assert out.read_bytes().startswith(first)
    names = [r["input"] for r in _lines(out)]
    assert sorted(names) == sorted(str(p) for p in inputs)


def test_results_of_other_options_are_not_mixed(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", valid=1)
    out = tmp_path / "r.jsonl"
    run(Job(inputs, out, as_of=_date(AS_OF), workers=1))
    with pytest.raises(InputRejected):
        run(Job(inputs, out, rules="en16931", as_of=_date(AS_OF), workers=1))
    result = runner.invoke(app, ["batch", "check", str(inputs[0]), "--out", str(out)])
    assert result.exit_code == 2
    assert "another run" in result.output


def test_expand_folder_glob_and_nothing(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", valid=2, junk=1)
    (tmp_path / "in" / "sub").mkdir()
    deep = (tmp_path / "in" / "sub" / "deep.xml").resolve()
    deep.write_bytes(b"x")
    assert expand(tmp_path / "in") == sorted([*(p.resolve() for p in inputs), deep])
    assert expand(f"{tmp_path}/in/valid-*.xml") == [p.resolve() for p in inputs[:2]]
    assert expand(f"{tmp_path}/in/**/deep.xml") == [deep]
    with pytest.raises(InputRejected) as caught:
        expand(f"{tmp_path}/in/*.pdf")
    assert caught.value.issues[0].code == "input.unreadable"


def test_cli_exit_codes_and_summary(tmp_path: Path) -> None:
    make_inputs(tmp_path / "ok", valid=2)
    out = tmp_path / "ok.jsonl"
    args = ["batch", "check", str(tmp_path / "ok"), "--as-of", AS_OF, "--out", str(out)]
    result = runner.invoke(app, [*args, "--no-progress", "-w", "1"])
    assert result.exit_code == 0, result.output
    assert "2 inputs: 2 valid; 0 already in" in result.output
    again = runner.invoke(app, [*args, "--no-progress"])
    assert again.exit_code == 0
    assert "nothing new; 2 already in" in again.output
    make_inputs(tmp_path / "bad", broken=1)
    bad = runner.invoke(
        app,
        [
            "batch",
            "check",
            str(tmp_path / "bad"),
            "--as-of",
            AS_OF,
            "--out",
            str(tmp_path / "bad.jsonl"),
            "--no-progress",
        ],
    )
    assert bad.exit_code == 1
    usage = runner.invoke(
        app, ["batch", "check", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "x.jsonl")]
    )
    assert usage.exit_code == 2
    assert "input.unreadable" in usage.output
    rules = runner.invoke(app, [*args, "--rules", "no-such-rules"])
    assert rules.exit_code == 2
    fmt = runner.invoke(app, [*args, "--convert-to", "pdf"])
    assert fmt.exit_code == 2


def test_dask_cluster_gives_the_same_lines_as_local_processes(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", valid=6, broken=2, junk=1)
    local = tmp_path / "local.jsonl"
    run(Job(inputs, local, as_of=_date(AS_OF), convert_to="cii", workers=2))
    on_dask = tmp_path / "dask.jsonl"
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        result = runner.invoke(
            app,
            [
                "batch",
                "check",
                str(tmp_path / "in"),
                "--as-of",
                AS_OF,
                "--convert-to",
                "cii",
                "--out",
                str(on_dask),
                "--scheduler",
                cluster.scheduler_address,
                "--no-progress",
            ],
        )
    assert result.exit_code == 1, result.output  # two broken and one junk input
    assert sorted(on_dask.read_text().splitlines()) == sorted(local.read_text().splitlines())
    assert len(_lines(on_dask)) == 9


def _date(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def test_a_fault_on_one_input_is_recorded_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from defa.batch import work

    (path,) = make_inputs(tmp_path / "in", valid=1)

    def broken_reader(data: bytes) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(work.einvoice, "read", broken_reader)
    status, line = work.check_file(str(path), Job([path], tmp_path / "r.jsonl").options())
    record = json.loads(line)
    assert (status, record["status"]) == ("failed", "failed")
    assert record["issues"][0]["code"] == "internal.error"
    assert record["input"] == str(path)


def test_a_missing_file_gets_a_line(tmp_path: Path) -> None:
    from defa.batch import work

    gone = tmp_path / "gone.xml"
    status, line = work.check_file(str(gone), Job([gone], tmp_path / "r.jsonl").options())
    assert status == "unreadable"
    assert json.loads(line)["issues"][0]["code"] == "input.unreadable"


def test_progress_bar_goes_to_stderr_and_counts_every_input(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in", valid=2)
    out = tmp_path / "r.jsonl"
    args = ["batch", "check", str(tmp_path / "in"), "--as-of", AS_OF, "--out", str(out)]
    first = runner.invoke(app, [*args, "-w", "1"])
    assert "checking" in first.stderr
    assert "2/2" in first.stderr
    assert "checking" not in first.stdout
    # Resumed with nothing left, the bar still shows every input as done.
    again = runner.invoke(app, args)
    assert "2/2" in again.stderr
    quiet = runner.invoke(app, [*args, "--no-progress"])
    assert quiet.stderr == ""


def test_the_results_file_is_never_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    make_inputs(folder, valid=2)
    out = folder / "results.jsonl"
    args = ["batch", "check", str(folder), "--as-of", AS_OF, "--out", str(out), "--no-progress"]
    assert runner.invoke(app, [*args, "-w", "1"]).exit_code == 0
    # Run again: the folder now holds the results file too, and it is left out.
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "2 inputs: nothing new; 2 already in" in again.output
    assert sorted(Path(r["input"]).name for r in _lines(out)) == [
        "valid-00000.xml",
        "valid-00001.xml",
    ]


def test_dask_worker_processes_give_the_same_lines(tmp_path: Path) -> None:
    # Separate worker processes: the task and its results cross process boundaries.
    inputs = make_inputs(tmp_path / "in", valid=4, broken=1)
    local = tmp_path / "local.jsonl"
    run(Job(inputs, local, as_of=_date(AS_OF), workers=1))
    remote = tmp_path / "dask.jsonl"
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            memory_limit="512MiB",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        summary = run(Job(inputs, remote, as_of=_date(AS_OF), scheduler=client))
        workers_used = len(client.nthreads())
    assert workers_used == 2
    assert summary.statuses == Counter(valid=4, invalid=1)
    assert sorted(remote.read_text().splitlines()) == sorted(local.read_text().splitlines())


def test_a_results_file_with_a_foreign_line_is_refused(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", valid=1)
    out = tmp_path / "r.jsonl"
    out.write_text('{"not": "a result"}\n')
    with pytest.raises(InputRejected) as caught:
        run(Job(inputs, out, as_of=_date(AS_OF), workers=1))
    assert "line 1 is not a batch result" in caught.value.issues[0].msg
    assert out.read_text() == '{"not": "a result"}\n'  # left as it was
