"""`vises backup` / `vises restore` on real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from vises_nb.errors import ConflictError
from vises_nb.store import model as m
from vises_nb.store.backup import BackupError, backup, restore
from vises_nb.store.schema import BY_NAME
from vises_nb.store.store import Store


def snapshot(url: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a store, rows in key order, for exact comparison."""
    store = Store.open(url)
    try:
        return {name: store.frame(name).reset_index(drop=True) for name in sorted(BY_NAME)}
    finally:
        store.close()


def assert_same(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert left.keys() == right.keys()
    for name, frame in left.items():
        assert len(frame) == len(right[name]), name
        pd.testing.assert_frame_equal(frame, right[name], check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def sample_rows(sample_db):
    return snapshot(sample_db)


def test_sqlite_backup_and_restore_round_trip_every_row(sample_db, sample_rows, tmp_path):
    done = backup(sample_db, tmp_path / "vises.backup")
    assert done["kind"] == "sqlite" and done["rows"] == sum(len(f) for f in sample_rows.values())
    assert (tmp_path / "vises.backup").read_bytes()[:16] == b"SQLite format 3\x00"
    restored = tmp_path / "restored.sqlite"
    assert restore(tmp_path / "vises.backup", restored)["rows"] == done["rows"]
    assert_same(snapshot(restored), sample_rows)
    store = Store.open(restored)
    assert store.integrity_check() == "ok"
    store.close()
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert names == ["restored.sqlite", "vises.backup"], "no partial file left behind"


def test_jsonl_round_trip_through_postgresql(sample_db, sample_rows, postgres_url, tmp_path):
    dump = tmp_path / "sample.jsonl"
    backup(sample_db, dump)
    assert dump.read_text().startswith('{"format": "vises-backup"')
    restore(dump, postgres_url)
    assert_same(snapshot(postgres_url), sample_rows)
    # and back out of PostgreSQL (a server store always dumps JSON lines)
    again = tmp_path / "from-postgres.backup"
    assert backup(postgres_url, again)["kind"] == "jsonl"
    restored = tmp_path / "restored.sqlite"
    restore(again, restored)
    assert_same(snapshot(restored), sample_rows)
    store = Store.open(restored)
    card, revision = store.get(m.Enterprise, "E09")
    assert revision == 1 and card.name == sample_rows["enterprises"].set_index("id").at["E09", "name"]
    store.close()


def test_a_non_empty_target_is_refused_unless_forced(sample_copy, tmp_path, empty_store_url):
    dump = tmp_path / "sample.jsonl"
    backup(sample_copy, dump)
    store = Store.open(empty_store_url, create=True)
    store.save(m.Enterprise(id="X1", name="Déjà là", pole="autres", region="brussels",
                            language="fr"))
    store.close()
    with pytest.raises(BackupError, match="is not empty .*--force"):
        restore(dump, empty_store_url)
    assert Store.open(empty_store_url).enterprise_ids() == ["X1"]
    restore(dump, empty_store_url, force=True)
    ids = Store.open(empty_store_url).enterprise_ids()
    assert "X1" not in ids and len(ids) == 68


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) * 2 // 3])
    elif how == "flipped":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x5A]) + data[middle + 1:])
    elif how == "garbage":
        path.write_bytes(b"not a backup at all\n" * 50)


@pytest.mark.parametrize("kind", ["vises.backup", "vises.jsonl"])
@pytest.mark.parametrize("how", ["truncated", "flipped", "garbage"])
def test_a_damaged_backup_is_refused_and_changes_nothing(sample_copy, tmp_path, kind, how):
    source = tmp_path / kind
    backup(sample_copy, source)
    _damage(source, how)
    # an existing target (forced) must keep its content; a new target must not appear
    target = tmp_path / "target.sqlite"
    other = tmp_path / "other.sqlite"
    Store.open(target, create=True).save(
        m.Enterprise(id="KEEP", name="Keep me", pole="autres", region="brussels", language="fr"))
    with pytest.raises(BackupError, match="nothing was restored"):
        restore(source, target, force=True)
    assert Store.open(target).enterprise_ids() == ["KEEP"]
    with pytest.raises(BackupError, match="nothing was restored"):
        restore(source, other)
    assert not other.exists()


def test_cli_backup_and_restore_with_clear_errors(sample_copy, tmp_path):
    vises = [sys.executable, "-m", "vises_nb.cli"]
    fresh = str(tmp_path / "n.sqlite")
    file = tmp_path / "b.sqlite"
    ok = subprocess.run([*vises, "backup", str(file), "--store", str(sample_copy)],
                        check=False, capture_output=True, text=True)
    assert ok.returncode == 0 and "backup written" in ok.stdout
    again = subprocess.run([*vises, "backup", str(file), "--store", str(sample_copy)],
                           check=False, capture_output=True, text=True)
    assert again.returncode == 2 and again.stderr.startswith("vises: error: ")
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    refused = subprocess.run([*vises, "restore", str(file), "--store", str(sample_copy)],
                             check=False, capture_output=True, text=True)
    assert refused.returncode == 2 and "is not empty" in refused.stderr
    file.write_bytes(file.read_bytes()[:5000])
    broken = subprocess.run([*vises, "restore", str(file), "--store", fresh],
                            check=False, capture_output=True, text=True)
    assert broken.returncode == 2 and "truncated or damaged" in broken.stderr
    assert "Traceback" not in broken.stderr and not (tmp_path / "n.sqlite").exists()


def _paired_writer(url: str, stop_after: float) -> None:
    """Keep saving E01 and E02 with the same counter, both in one transaction."""
    store = Store.open(url)
    deadline = time.monotonic() + stop_after
    counter = 0
    while time.monotonic() < deadline:
        counter += 1
        try:
            with store.transaction() as w:
                for eid in ("E01", "E02"):
                    card, revision = store.get(m.Enterprise, eid)
                    w.save(card.model_copy(update={"missions": f"tick {counter}"}), revision)
        except ConflictError:
            continue  # the other writer got there first: nothing of this transaction stays
    store.close()


@pytest.mark.parametrize("name", ["during.backup", "during.jsonl"])
def test_backups_taken_while_writers_run_are_consistent_snapshots(sample_copy, tmp_path, name):
    store = Store.open(sample_copy)
    with store.transaction() as w:
        for eid in ("E01", "E02"):
            card, revision = store.get(m.Enterprise, eid)
            w.save(card.model_copy(update={"missions": "start"}), revision)
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_paired_writer, args=(str(sample_copy), 6.0))
               for _ in range(2)]
    for w in writers:
        w.start()
    while store.get(m.Enterprise, "E01")[0].missions == "start":
        time.sleep(0.2)
    store.close()
    seen = set()
    for i in range(4):
        file = tmp_path / f"{i}-{name}"
        backup(sample_copy, file)
        restored = tmp_path / f"restored-{i}.sqlite"
        restore(file, restored)
        store = Store.open(restored)
        assert store.integrity_check() == "ok"
        first = store.get(m.Enterprise, "E01")[0].missions
        second = store.get(m.Enterprise, "E02")[0].missions
        assert first == second, "a backup must never hold half a transaction"
        assert len(store.enterprise_ids()) == 68
        seen.add(first)
        store.close()
    for w in writers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert any(s.startswith("tick") for s in seen), "the writers did run during the backups"


# ------------------------------------------------- issue 14, item 9: values, not only format
def _rewrite_jsonl(source: Path, target: Path, change) -> None:
    """A JSON-lines backup with rows changed by `change(rows)`, counts and checksum made
    right again: a backup that passes every format check but holds bad values."""
    import hashlib
    import json

    lines = [json.loads(line) for line in source.read_text().splitlines()]
    header, rows = lines[0], [line for line in lines[1:] if "t" in line]
    change(rows)
    counts = dict.fromkeys(header["counts"], 0)
    for row in rows:
        counts[row["t"]] += 1
    header["counts"] = counts
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for obj in [header, *rows]:
            line = (json.dumps(obj, ensure_ascii=False) + "\n").encode()
            digest.update(line)
            out.write(line)
        total = sum(v for k, v in counts.items() if k != "vises_meta")
        out.write((json.dumps({"end": True, "rows": total, "sha256": digest.hexdigest()})
                   + "\n").encode())


def _bad_pole(rows):
    next(r for r in rows if r["t"] == "enterprises")["r"]["pole"] = "nope"


def _duplicate_respondent(rows):
    first = next(r for r in rows if r["t"] == "respondents")
    rows.append({"t": "respondents", "r": dict(first["r"])})


def _unknown_column(rows):
    next(r for r in rows if r["t"] == "items")["r"]["evil"] = "x"


@pytest.mark.parametrize("change, expected", [
    (_bad_pole, ["table enterprises, row 1", "field 'pole'", "'nope'"]),
    (_duplicate_respondent, ["table respondents, row", "appears twice"]),
    (_unknown_column, ["table items, row 1", "unknown column(s) evil"]),
])
def test_restore_validates_every_value_and_changes_nothing(sample_copy, tmp_path, change,
                                                           expected):
    dump = tmp_path / "good.jsonl"
    backup(sample_copy, dump)
    before = snapshot(sample_copy)
    bad = tmp_path / "bad.jsonl"
    _rewrite_jsonl(dump, bad, change)
    target = tmp_path / "target.sqlite"
    with pytest.raises(BackupError) as refused:
        restore(bad, target)
    message = str(refused.value)
    assert all(part in message for part in expected), message
    assert "nothing was restored" in message and len(message) < 600
    assert not target.exists()
    done = subprocess.run([sys.executable, "-m", "vises_nb.cli", "restore", str(bad),
                           "--store", str(sample_copy), "--force"],
                          check=False, capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("vises: error: ")
    assert "Traceback" not in done.stderr and "INSERT" not in done.stderr
    assert len(done.stderr) < 800, done.stderr
    assert_same(snapshot(sample_copy), before)  # --force on a bad backup changed nothing


def test_a_sqlite_backup_with_bad_values_is_refused(sample_copy, tmp_path):
    import sqlite3

    copy = tmp_path / "copy.backup"
    backup(sample_copy, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE enterprises SET pole = 'nope' WHERE id = 'E09'")
        conn.execute("UPDATE research_notes SET text = 'page' || char(12) || 'break'")
    conn.close()
    with pytest.raises(BackupError, match="table enterprises, row .*field 'pole'"):
        restore(copy, tmp_path / "t.sqlite")
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE enterprises SET pole = 'autres' WHERE id = 'E09'")
    conn.close()
    restored = tmp_path / "ok.sqlite"
    restore(copy, restored)
    assert oct(restored.stat().st_mode & 0o777) == "0o600"
    store = Store.open(restored)
    assert set(store.frame("research_notes").text) == {"page\nbreak"}, "normalised"
    store.close()
