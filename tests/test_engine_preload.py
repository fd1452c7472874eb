"""A batch run's warm processes load each enterprise once, before forking its notebooks
(vises_nb.store.loading.preload): never stale data, and still one fresh copy per notebook.

The data is kept by its data version (the hash of everything stored about the
enterprise, which the run plans from the store's content), so a store changed between two
runs, or replaced by another file at the same path, is read again.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import nbformat
import pytest

from vises_nb.store import loading
from vises_nb.store.store import Store, normalise_url

pytestmark = pytest.mark.slow


def data_hash(path: Path, enterprise_id: str) -> str:
    store = Store.open(path)
    try:
        return store.data_hash(enterprise_id)
    finally:
        store.close()


def rename(path: Path, enterprise_id: str, name: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE enterprises SET name = ? WHERE id = ?", (name, enterprise_id))


@pytest.fixture
def clean_registry():
    loading.PRELOADED.clear()
    yield
    loading.PRELOADED.clear()


def test_kept_at_its_data_version_and_read_again_when_the_store_changed(sample_copy,
                                                                        clean_registry):
    url = normalise_url(str(sample_copy))
    first = loading.preload(url, "E09", data_hash(sample_copy, "E09"))
    assert loading.preloaded(str(sample_copy), "E09") is first, "found by path or URL"
    assert loading.preload(url, "E09", data_hash(sample_copy, "E09")) is first, "kept"

    rename(sample_copy, "E09", "Renamed between two runs")
    fresh = loading.preload(url, "E09", data_hash(sample_copy, "E09"))
    assert fresh is not first and fresh.enterprise.name == "Renamed between two runs"
    assert loading.preloaded(url, "E09").enterprise.name == "Renamed between two runs"
    assert fresh.data_hash == data_hash(sample_copy, "E09") != first.data_hash


def test_another_store_at_the_same_path_is_read_again(sample_db, tmp_path, clean_registry):
    path = tmp_path / "vises.sqlite"
    path.write_bytes(sample_db.read_bytes())
    before = loading.preload(str(path), "E09", data_hash(path, "E09"))
    other = tmp_path / "other.sqlite"
    other.write_bytes(sample_db.read_bytes())
    rename(other, "E09", "Other file")
    with sqlite3.connect(other) as source, sqlite3.connect(path) as target:
        source.backup(target)  # another store restored over this one, same path
    after = loading.preload(str(path), "E09", data_hash(path, "E09"))
    assert before.enterprise.name != "Other file" and after.enterprise.name == "Other file"


def test_a_failed_load_leaves_no_older_version_behind(sample_copy, clean_registry):
    loading.preload(str(sample_copy), "E09", data_hash(sample_copy, "E09"))
    sample_copy.unlink()  # the store went away: loading it again fails
    with pytest.raises(Exception):  # noqa: B017 - whatever the store layer raises
        loading.preload(str(sample_copy), "E09", "another version")
    assert loading.preloaded(str(sample_copy), "E09") is None, "no stale data served"


def test_nothing_is_preloaded_outside_a_warm_process(sample_copy, clean_registry):
    from vises_nb.publishing import notebook

    ctx = notebook.open_enterprise(str(sample_copy), "E09", "en", str(sample_copy.parent))
    assert ctx.data.enterprise.id == "E09" and not loading.PRELOADED


# ------------------------------------------------------------------ through a warm process

PROBE = ("from vises_nb.publishing import notebook\n"
         "import vises_nb.analysis.results as results\n"
         "ctx = notebook.open_enterprise(store_url, 'E09', 'en', output_dir)\n"
         "print(ctx.data.enterprise.name, len(ctx.data.responses), "
         "results.DEFAULT_MIN_RESPONDENTS)")
POLLUTE = ("ctx.data.enterprise.name = 'patched'\n"
           "ctx.data.frames['responses'].drop(ctx.data.responses.index, inplace=True)\n"
           "results.DEFAULT_MIN_RESPONDENTS = 99\n" + PROBE.splitlines()[-1])


def probe_job(folder: Path, name: str, store: Path, *sources: str) -> dict:
    source = folder / f"{name}.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("store_url = ''\noutput_dir = ''",
                                  metadata={"tags": ["parameters"]}),
        *(nbformat.v4.new_code_cell(s) for s in sources)])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}
    nbformat.write(notebook, source)
    out = folder / "out" / name
    parameters = {"store_url": normalise_url(str(store)), "output_dir": str(out),
                  "enterprise_id": "E09"}
    return {"source": str(source), "parameters": parameters,
            "executed": str(out / f"{name}.ipynb"), "report": str(out / "report.html"),
            "title": name, "lang": "en", "audit": {"run_id": "test"},
            "preload": {"store_url": parameters["store_url"], "enterprise_id": "E09",
                        "data_hash": data_hash(store, "E09")}}


def printed(payload: dict) -> list[str]:
    executed = nbformat.read(payload["executed"], as_version=4)
    return [o.text.strip() for cell in executed.cells for o in cell.get("outputs", [])
            if o.output_type == "stream" and o.name == "stdout"]


def test_in_a_warm_process_each_notebook_gets_its_own_fresh_copy(sample_copy, tmp_path):
    """A notebook that changes its enterprise's data or patches a module changes its own
    forked copy only; a store changed between two runs is read again."""
    from vises_nb.publishing.engine.zygote import Zygote

    zygote = Zygote(tmp_path / "run.log")
    try:
        original = Store.open(sample_copy)
        name = original.require_enterprise("E09").name
        original.close()
        polluter = probe_job(tmp_path, "polluter", sample_copy, PROBE, POLLUTE)
        assert zygote.run(polluter, timeout=300)["ok"]
        first, polluted = printed(polluter)
        count = int(first.split()[-2])
        assert first == f"{name} {count} 5" and count > 0
        assert polluted == "patched 0 99", "the notebook changed its own copy"

        probe = probe_job(tmp_path, "probe", sample_copy, PROBE)
        assert zygote.run(probe, timeout=300)["ok"]
        assert printed(probe) == [f"{name} {count} 5"], "the next notebook saw nothing of it"

        away = sample_copy.with_suffix(".away")
        sample_copy.rename(away)  # the notebook reads the warm process's copy, not the store
        memory = probe_job(tmp_path, "memory", away, PROBE)
        memory["preload"]["store_url"] = memory["parameters"]["store_url"] = \
            probe["parameters"]["store_url"]
        assert zygote.run(memory, timeout=300)["ok"]
        assert printed(memory) == [f"{name} {count} 5"]
        away.rename(sample_copy)

        rename(sample_copy, "E09", "Renamed before the next run")
        again = probe_job(tmp_path, "again", sample_copy, PROBE)
        assert zygote.run(again, timeout=300)["ok"]
        assert printed(again) == [f"Renamed before the next run {count} 5"], "not stale"
    finally:
        zygote.close()
