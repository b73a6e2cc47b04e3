"""Every packaged data file has provenance and parses; the loader selects by date."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from defa import data
from defa.errors import DataError, LookupFailed, NotInForce


def test_every_data_file_has_complete_meta() -> None:
    files = data.catalogue()
    assert files, "no packaged data found"
    for f in files:
        for key in data.REQUIRED_META:
            assert getattr(f.meta, key), f"{f.path}: meta.{key} is empty"
        assert f.meta.retrieved <= date.today(), f"{f.path}: retrieved in the future"
        assert f.meta.source.strip(), f.path


def test_data_ids_do_not_overlap_in_time() -> None:
    by_id: dict[str, list[data.DataFile]] = {}
    for f in data.catalogue():
        by_id.setdefault(f.meta.id, []).append(f)
    for versions in by_id.values():
        versions.sort(key=lambda f: f.meta.valid_from)
        for older, newer in itertools.pairwise(versions):
            assert older.meta.valid_to is not None, (
                f"{older.path} never ends yet {newer.path} starts"
            )
            assert older.meta.valid_to < newer.meta.valid_from, (older.path, newer.path)


def test_parse_requires_meta() -> None:
    with pytest.raises(DataError) as exc:
        data.parse(b"[member]\nx = 1\n", "x.toml")
    assert exc.value.code == "data.missing_meta"


def test_parse_names_missing_fields() -> None:
    raw = b'[meta]\nid = "x"\nsource = "s"\n'
    with pytest.raises(DataError) as exc:
        data.parse(raw, "x.toml")
    assert exc.value.code == "data.missing_meta"
    assert "licence" in exc.value.issues[0].ctx["missing"]


def test_parse_rejects_garbage_and_bad_dates() -> None:
    with pytest.raises(DataError) as exc:
        data.parse(b"\xff\xfe not toml", "x.toml")
    assert exc.value.code == "data.malformed"
    meta = (
        b'{"meta": {"id": "x", "publisher": "p", "source": "s", "version": "1",'
        b' "retrieved": "yesterday", "licence": "l", "valid_from": "2020-01-01"}}'
    )
    with pytest.raises(DataError) as exc:
        data.parse(meta, "x.json")
    assert exc.value.code == "data.missing_meta"


def test_json_files_are_read_too() -> None:
    raw = (
        b'{"meta": {"id": "x", "publisher": "p", "source": "s", "version": "1",'
        b' "retrieved": "2024-01-02", "licence": "l", "valid_from": "2020-01-01",'
        b' "valid_to": "2020-12-31"}, "rows": [1, 2]}'
    )
    f = data.parse(raw, "x.json")
    assert f.meta.valid_to == date(2020, 12, 31)
    assert f.content == {"rows": [1, 2]}
    assert f.meta.in_force(date(2020, 6, 1))
    assert not f.meta.in_force(date(2021, 1, 1))


def test_load_selects_by_date() -> None:
    assert data.load("asean-members", date(2000, 1, 1)).meta.id == "asean-members"
    with pytest.raises(NotInForce) as exc:
        data.load("asean-members", date(1967, 8, 7))
    assert exc.value.code == "data.not_in_force"
    with pytest.raises(LookupFailed) as exc2:
        data.load("no-such-data")
    assert exc2.value.code == "data.unknown_id"
