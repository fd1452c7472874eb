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
