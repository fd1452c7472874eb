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


# ------------------------------------------------------ work shared by an enterprise's notebooks

SHARED_PROBE = (
    "from vises_nb.publishing import notebook\n"
    "ctx = notebook.open_enterprise(store_url, 'E09', 'en', output_dir)\n")
SHARED_REPORT = (
    "step3 = ctx.step3()\n"
    "print(any(step3 is kept for kept in notebook.SHARED.values()), len(step3.answers), "
    "len(ctx.data.answers()), ctx.data.enterprise.name)\n")


def shared_job(folder: Path, name: str, store: Path, *sources: str) -> dict:
    payload = probe_job(folder, name, store, *sources)
    payload["parameters"]["min_respondents"] = 5
    payload["preload"]["share"] = ["step3"]
    return payload


def test_what_an_enterprise_s_notebooks_compute_alike_is_computed_once_never_stale(
        sample_copy, tmp_path):
    """The step 3 tables, computed in the warm process once for an enterprise's step 3
    report and one-pager: the same tables as a notebook computes; a
    notebook that changed its data gets them from its own data (and the next notebook
    the shared ones, untouched); a store changed between two runs is computed again."""
    from vises_nb.publishing.engine.zygote import Zygote
    from vises_nb.publishing.notebook import step3_tables
    from vises_nb.store.loading import load_enterprise

    store = Store.open(sample_copy)
    fresh = load_enterprise(store, "E09")
    store.close()
    own = step3_tables(fresh, 5)  # computed here, in a process that shares nothing
    rows = len(own.answers)
    assert rows > 0 and not own.published.results.empty
    name = fresh.enterprise.name
    zygote = Zygote(tmp_path / "run.log")
    try:
        first = shared_job(tmp_path, "first", sample_copy, SHARED_PROBE, SHARED_REPORT,
                           "import pandas as pd\n"
                           "again = notebook._step3(ctx.data, 5)  # computed in the child\n"
                           "for name in ('results', 'changes', 'distribution', 'reliable', "
                           "'log'):\n"
                           "    pd.testing.assert_frame_equal(getattr(step3.published, name), "
                           "getattr(again.published, name))\n"
                           "pd.testing.assert_frame_equal(step3.values, again.values)\n"
                           "pd.testing.assert_frame_equal(step3.answers, again.answers)\n"
                           "print('same tables', len(step3.published.results))")
        assert zygote.run(first, timeout=300)["ok"]
        assert printed(first) == [f"True {rows} {rows} {name}",
                                  f"same tables {len(own.published.results)}"]

        changed = shared_job(tmp_path, "changed", sample_copy, SHARED_PROBE,
                             "responses = ctx.data.responses\n"
                             "ctx.data.frames['responses'] = responses.iloc[:10]\n"
                             + SHARED_REPORT,
                             "ctx.data.frames['responses'] = responses\n"
                             "ctx.data.frames['responses'].drop(responses.index, inplace=True)\n"
                             + SHARED_REPORT)
        assert zygote.run(changed, timeout=300)["ok"]
        assert printed(changed) == [f"False 10 10 {name}", f"False 0 0 {name}"], \
            "computed from the notebook's own data"

        after = shared_job(tmp_path, "after", sample_copy, SHARED_PROBE, SHARED_REPORT)
        assert zygote.run(after, timeout=300)["ok"]
        assert printed(after) == [f"True {rows} {rows} {name}"], "the next saw nothing of it"

        with sqlite3.connect(sample_copy) as conn:
            conn.execute("DELETE FROM responses WHERE enterprise_id = 'E09' AND rowid IN "
                         "(SELECT rowid FROM responses WHERE enterprise_id = 'E09' LIMIT 7)")
        again = shared_job(tmp_path, "again", sample_copy, SHARED_PROBE, SHARED_REPORT)
        assert zygote.run(again, timeout=300)["ok"]
        assert printed(again) == [f"True {rows - 7} {rows - 7} {name}"], "not stale"
    finally:
        zygote.close()


def test_a_notebook_changed_between_two_jobs_runs_as_it_is_now(tmp_path):
    """Each notebook is read before forking and kept by its content: a file edited
    between two jobs on one warm process runs its new content."""
    from vises_nb.publishing.engine.zygote import Zygote

    source = tmp_path / "edited.ipynb"
    zygote = Zygote(tmp_path / "run.log")
    try:
        for n, text in enumerate(("first", "second", "second", "third")):
            notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
                f"print({text!r})")])
            notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                               "display_name": "Python 3"}
            nbformat.write(notebook, source)
            out = tmp_path / "out" / str(n)
            payload = {"source": str(source), "parameters": {},
                       "executed": str(out / "edited.ipynb"), "report": str(out / "r.html"),
                       "title": "t", "lang": "en", "audit": {"run_id": "test"}}
            assert zygote.run(payload, timeout=300)["ok"]
            assert printed(payload) == [text]
    finally:
        zygote.close()


def test_the_kept_data_is_bounded_by_its_size(sample_copy, clean_registry, monkeypatch):
    """Past `PRELOADED_BYTES`, the enterprise used least recently is dropped first (the
    one just loaded is always kept)."""
    url = normalise_url(str(sample_copy))
    one = loading.preload(url, "E09", data_hash(sample_copy, "E09"))
    size = loading.preloaded_bytes()
    assert size == loading.data_bytes(one) > 0
    monkeypatch.setattr(loading, "PRELOADED_BYTES", size + 1)
    loading.preload(url, "E10", data_hash(sample_copy, "E10"))
    assert loading.preloaded(url, "E09") is None and loading.preloaded(url, "E10") is not None
    monkeypatch.setattr(loading, "PRELOADED_BYTES", 0)
    loading.preload(url, "E11", data_hash(sample_copy, "E11"))
    assert list(loading.PRELOADED) == [(url, "E11")], "the one just loaded is kept"
