"""Batch runs: every step notebook for every enterprise that reached the step, and the
cohort notebook, executed with papermill and published as offline HTML reports.

One failing notebook never stops the others: its error (cell and message) goes in the
summary and in the index, with a link to the partly executed notebook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from vises_nb.publishing.engine.imports import skip_iri_grammar

skip_iri_grammar()  # before anything imports jsonschema: 2.9 s saved (see engine.imports)

from vises_nb import __version__, i18n
from vises_nb.analysis.cohort_data import CohortData, archived_ids, overview
from vises_nb.errors import Message, NotFoundError, ParameterError, VisesError, render
from vises_nb.files import exclusive, remove_orphans
from vises_nb.paths import NOTEBOOKS_DIR, REPORTS_DIR
from vises_nb.publishing.engine import jobs as wire
from vises_nb.publishing.engine.incremental import Manifest, inputs_digest
from vises_nb.publishing.parameters import declared_parameters
from vises_nb.publishing.publish import IndexEntry, index_page, publish_notebook, write_atomic
from vises_nb.store.store import Store, normalise_url

STEP_NOTEBOOKS = {"1": "01_diagnostic", "2": "02_collecte", "3": "03_analyse"}
VALORISATION_NOTEBOOK = "04_valorisation"
VALORISATION = "valorisation"  # the one-pager's key among an enterprise's reports
COHORT_NOTEBOOK = "cohort"
TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float),
                                      "bool": (bool,)}
KERNEL_START_RETRIES = 2
# Held by a run for its whole length: two runs on one reports folder would rewrite each
# other's run.log, manifest, index and peer files (the later-planned run's manifest
# vouching for a report the other wrote over), so a second one is refused.
RUN_LOCK = ".vises-run.lock"


def notebook_path(name: str) -> Path:
    path = NOTEBOOKS_DIR / f"{name}.ipynb"
    if not path.exists():
        raise NotFoundError("err.run.no_notebook", path=path)
    return path


@cache
def _declared(notebook: Path, mtime: float) -> dict[str, Any]:
    return declared_parameters(notebook)


def check_parameters(notebook: Path, parameters: dict[str, Any]) -> None:
    """Refuse parameters the notebook does not declare, or of the wrong type."""
    declared = _declared(notebook, notebook.stat().st_mtime)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ParameterError("err.param.unknown", notebook=notebook.name, unknown=unknown,
                             declared=sorted(declared))
    for name, value in parameters.items():
        expected = declared[name].get("inferred_type_name", "None")
        allowed = TYPES.get(expected.replace("Optional[", "").rstrip("]"))
        if allowed is None or value is None:
            continue
        if isinstance(value, bool) and bool not in allowed:
            allowed = ()
        if not isinstance(value, allowed):
            raise ParameterError("err.param.type", notebook=notebook.name, name=name,
                                 expected=expected, got=type(value).__name__, value=value)


@dataclass
class Job:
    """One notebook to run and publish."""

    notebook: str
    parameters: dict[str, Any]
    executed: Path
    report: Path
    title: str
    lang: str
    audit: dict[str, Any]
    enterprise_id: str | None = None
    step: str | None = None
    data_version: str = ""  # the enterprise's data hash when planned (see zygote.preload)


@dataclass
class JobResult:
    job: Job
    ok: bool
    seconds: float
    error: str | Message = ""  # a Message when vises itself says why (timeout, kernel died)
    cell: int | None = None
    skipped: bool = False  # inputs unchanged since its last publication: not run again


def failure_message(outcome: dict[str, Any]) -> str | Message:
    """What went wrong, translatable when the engine sent a catalogue key."""
    message = outcome.get("message")
    if isinstance(message, dict) and "key" in message:
        return Message(str(message["key"]), **dict(message.get("values") or {}))
    return str(outcome.get("error", ""))


def execute(job: Job, timeout: int = 600) -> JobResult:
    """Run one notebook with papermill and publish it; never raises for a notebook error.

    One fresh kernel per notebook: the naive reference that benchmarks/bench_run.py
    compares the engine with (`run` uses warm processes instead).
    """
    import papermill

    start = time.monotonic()
    job.executed.parent.mkdir(parents=True, exist_ok=True)
    attempt = 0
    while True:
        try:
            papermill.execute_notebook(
                str(notebook_path(job.notebook)), str(job.executed), parameters=job.parameters,
                kernel_name="python3", progress_bar=False, log_output=False,
                execution_timeout=timeout, report_mode=False,
            )
            publish_notebook(job.executed, job.report, job.title, job.lang, job.audit)
            return JobResult(job, True, time.monotonic() - start)
        except papermill.PapermillExecutionError as exc:
            message = f"{exc.ename}: {exc.evalue}".splitlines()[0][:300]
            return JobResult(job, False, time.monotonic() - start, message, exc.cell_index)
        except Exception as exc:  # noqa: BLE001 - a kernel that dies or hangs is reported
            text = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            starting = "kernel" in text.lower() and "died" in text.lower()
            if starting and attempt < KERNEL_START_RETRIES:
                attempt += 1  # concurrent start-ups can race for ports: try again
                continue
            return JobResult(job, False, time.monotonic() - start, text)


@dataclass
class RunSummary:
    results: list[JobResult] = field(default_factory=list)
    index: Path | None = None
    run_id: str = ""

    @property
    def failures(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok]


def enterprise_languages(own: str, lang: str, own_language: str,
                         asked: tuple[str, ...] = ()) -> list[str]:
    """The languages an enterprise's reports are published in by a run in `lang`.

    own_language "only": its own language alone (no --lang asked); "add": `lang` and its
    own language unless that was asked too (it is then run in its own turn); "no": `lang`.
    """
    if own_language == "only":
        return [own]
    if own_language == "add" and own != lang and own not in asked:
        return [lang, own]
    return [lang]


def plan(store_url: str, reports_dir: Path, lang: str,
         enterprise: str | list[str] | None = None,
         step: str | None = None, min_respondents: int = 5, run_id: str = "",
         include_cohort: bool = False, own_language: str = "no",
         asked: tuple[str, ...] = ()) -> tuple[list[Job], list[IndexEntry]]:
    """The jobs of a run: each enterprise's steps up to its current one (and its
    valorisation one-pager from step 3), in its languages, then the cohort.

    The cohort notebook runs in a full run (no enterprise or step chosen), or when asked.
    """
    store = Store.open(store_url)
    try:
        enterprises = store.frame("enterprises")
        archived = archived_ids(enterprises)
        everyone = overview(CohortData(enterprises, {"step_status": store.frame("step_status")}))
        table = everyone[~everyone["id"].isin(archived)]  # archived: left, out of new runs
        if enterprise is not None:
            wanted = [enterprise] if isinstance(enterprise, str) else list(enterprise)
            for enterprise_id in wanted:
                store.require_enterprise(enterprise_id)
            table = everyone[everyone["id"].isin(wanted)]
        hashes = store.data_hashes(list(everyone["id"]))
        cleaning = _cleaning_counts(store)
        valorising = step in (None, "3") and bool((table["step"] >= 3).any())
        codes = store.frame("indicators")[["enterprise_id", "code"]] if valorising else None
    finally:
        store.close()
    peers_file, peer_versions = None, {}
    with_cohort = (enterprise is None or include_cohort) and step is None
    if valorising:  # the cohort's results the one-pagers compare with: computed once here
        peers_file, peer_versions = _peers(store_url, reports_dir, hashes, min_respondents,
                                           everyone, codes)
    elif with_cohort:  # the cohort report publishes them too (vises_nb.publishing.peers)
        from vises_nb.publishing import peers

        peers.prepare(store_url, peers.peers_path(reports_dir, cohort_hash(hashes),
                                                  min_respondents), min_respondents)
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    jobs: list[Job] = []
    entries = [IndexEntry(r.id, r.name, r.pole, r.region, int(r.step), language=r.language,
                          archived=r.id in archived)
               for r in everyone.itertuples(index=False)]
    for row in table.itertuples(index=False):
        steps = [(s, name, f"step{s}") for s, name in STEP_NOTEBOOKS.items()]
        steps.append(("3", VALORISATION_NOTEBOOK, VALORISATION))
        languages = enterprise_languages(row.language, lang, own_language, asked)
        for language in languages:
            for s, name, stem in steps:
                if int(s) > row.step or (step is not None and s != step):
                    continue
                folder = reports_dir / row.id
                # the run's language keeps <id>/<stepN>/; an added language has its own
                # folder, as both may run at once on two workers
                work = folder / (stem if language == languages[0] else f"{stem}.{language}")
                params = {"enterprise_id": row.id, "lang": language, "store_url": store_url,
                          "output_dir": str(work), "min_respondents": min_respondents}
                if stem == VALORISATION:
                    params["peers_file"] = str(peers_file)
                title = (f"{row.name} — {i18n.t('val.title', language)}" if stem == VALORISATION
                         else f"{row.name} — {i18n.t('step', language)} {s}")
                jobs.append(Job(
                    notebook=name, parameters=params, executed=work / f"{name}.ipynb",
                    report=folder / f"{stem}.{language}.html", title=title, lang=language,
                    # The one-pager sets the enterprise beside its peers: it re-runs when
                    # its data or the peer figures it shows change.
                    audit={"enterprise": row.id, "notebook": name, "parameters": params,
                           "data_hash": peer_versions[row.id] if stem == VALORISATION
                           else hashes[row.id], "package_version": __version__,
                           "run_id": run_id, "date": now, "language": language,
                           "cleaning_actions": cleaning.get(row.id, 0)},
                    enterprise_id=row.id, step=VALORISATION if stem == VALORISATION else s,
                    data_version=hashes[row.id],
                ))
    if with_cohort:
        params = {"lang": lang, "store_url": store_url, "output_dir": str(reports_dir / "cohort"),
                  "min_respondents": min_respondents}
        jobs.append(Job(
            notebook=COHORT_NOTEBOOK, parameters=params,
            executed=reports_dir / "cohort" / "cohort.ipynb",
            report=reports_dir / f"cohort.{lang}.html", title=i18n.t("cohort.title", lang),
            lang=lang, audit={"notebook": COHORT_NOTEBOOK, "parameters": params,
                              "data_hash": cohort_hash(hashes), "package_version": __version__, "run_id": run_id, "date": now,
                              "language": lang, "cleaning_actions": sum(cleaning.values())},
        ))
    return jobs, entries


def _peers(store_url: str, reports_dir: Path, hashes: dict[str, str], min_respondents: int,
           everyone: Any, codes: Any) -> tuple[Path, dict[str, str]]:
    """The run's file of the cohort's peer results (see `vises_nb.publishing.peers`) and,
    per enterprise, the version of what its one-pager shows: its own data and the peer
    figures of its indicators."""
    from vises_nb.analysis.valorisation import peer_digests
    from vises_nb.publishing import peers

    path = peers.peers_path(reports_dir, cohort_hash(hashes), min_respondents)
    shown = peer_digests(peers.prepare(store_url, path, min_respondents), everyone, codes)
    return path, {eid: hashlib.sha256(f"{hashes[eid]}:{shown[eid]}".encode()).hexdigest()[:16]
                  for eid in hashes}


#: Parameters that say where an input is, not what it is: left out of a report's digest
#: (the peer results' content is in the one-pager's data version).
LOCATION_PARAMETERS = ("peers_file",)


def digest_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in parameters.items() if k not in LOCATION_PARAMETERS}


def _cleaning_counts(store: Store) -> dict[str, int]:
    """Cleaning actions in force per enterprise (counted in each report's footer)."""
    log = store.frame("cleaning_actions")
    if log.empty:
        return {}
    return {str(k): int(v) for k, v in
            log[log["undone_at"].isna()].groupby("enterprise_id").size().items()}


def cohort_hash(hashes: dict[str, str]) -> str:
    """The cohort's data version: changes when any enterprise's data changes."""
    text = "\n".join(f"{eid}={value}" for eid, value in sorted(hashes.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run(store_url: str | None = None, reports_dir: Path = REPORTS_DIR, lang: str = "fr",
        enterprise: str | list[str] | None = None, step: str | None = None,
        workers: int | None = None, min_respondents: int = 5, include_cohort: bool = False,
        on_result: Callable[[JobResult, int, int], None] | None = None,
        force: bool = False, executor: str = "local", scheduler: str | None = None,
        timeout: float = 600, other_languages: tuple[str, ...] = (),
        keep_warm: float = 0, own_language: str = "no", pdf: bool = False) -> RunSummary:
    """Run and publish every due notebook; write reports/index.html; never stop on a failure.

    A notebook whose inputs are unchanged since its last publication is skipped unless
    `force`. Notebooks run in warm processes, each in a forked child (vises_nb.publishing.engine),
    on this machine's cores or, with executor="dask", on the cluster at `scheduler`.
    `own_language` publishes each enterprise's reports in its own language too ("add")
    or only ("only"; the index and cohort report stay in `lang`), see
    `enterprise_languages`. `pdf` prints every valorisation one-pager published by the
    run to a PDF beside it (Chromium).
    """
    if lang not in i18n.available_languages():
        raise ParameterError("err.param.language", lang=lang,
                             languages=list(i18n.available_languages()))
    if step is not None and step not in STEP_NOTEBOOKS:
        raise ParameterError("err.param.step", step=step)
    if executor not in ("local", "dask"):
        raise ParameterError("err.param.executor", executor=executor)
    if executor == "dask" and not scheduler:
        raise ParameterError("err.param.no_scheduler")
    store_url = normalise_url(store_url)
    reports_dir = Path(reports_dir).resolve()
    run_id = uuid.uuid4().hex[:12]
    _refuse_bad_input(store_url, enterprise)  # before anything is written or started
    reports_dir.mkdir(parents=True, exist_ok=True)
    try:  # one run at a time per reports folder: see `RUN_LOCK`
        with exclusive(reports_dir / RUN_LOCK):
            return _locked_run(store_url, reports_dir, lang, enterprise, step, workers,
                               min_respondents, include_cohort, on_result, force, executor,
                               scheduler, timeout, other_languages, keep_warm, own_language,
                               pdf, run_id)
    except BlockingIOError:
        raise VisesError("err.run.busy", folder=reports_dir) from None


def _locked_run(store_url: str, reports_dir: Path, lang: str,
                enterprise: str | list[str] | None, step: str | None, workers: int | None,
                min_respondents: int, include_cohort: bool,
                on_result: Callable[[JobResult, int, int], None] | None, force: bool,
                executor: str, scheduler: str | None, timeout: float,
                other_languages: tuple[str, ...], keep_warm: float, own_language: str,
                pdf: bool, run_id: str) -> RunSummary:
    remove_orphans(reports_dir)  # half-written files of a run that was killed
    log = reports_dir / "run.log"
    log.write_text(f"vises {__version__} run {run_id}\n", encoding="utf-8")
    warm: list[Any] = []
    if executor == "local":
        wanted = min(workers or os.cpu_count() or 1, _most_jobs(enterprise))
        warm = _warm_workers(max(1, wanted), keep_warm, log)
    try:
        summary = _run(store_url, reports_dir, lang, enterprise, step, min_respondents,
                       include_cohort, on_result, force, executor, scheduler, timeout, run_id,
                       log, warm, other_languages, own_language)
    finally:
        for zygote in warm:
            zygote.close()
    if pdf:
        write_valorisation_pdfs(summary)
    return summary


def write_valorisation_pdfs(summary: RunSummary) -> list[Path]:
    """valorisation.<lang>.pdf beside each one-pager of the run (published now or unchanged
    since an earlier run, when its PDF is missing or older)."""
    from vises_nb.publishing.valorisation import write_pdfs

    due = []
    for result in summary.results:
        job = result.job
        if job.step != VALORISATION or not result.ok or not job.report.exists():
            continue
        target = job.report.with_suffix(".pdf")
        if not result.skipped or not target.exists() or \
                target.stat().st_mtime < job.report.stat().st_mtime:
            due.append(job.report)
    return write_pdfs(due)


def _warm_workers(workers: int, keep_warm: float, log: Path) -> list[Any]:
    """This run's warm processes, or the warm engine's (started if need be)."""
    from vises_nb.publishing.engine.local import start

    if keep_warm > 0:
        from vises_nb.publishing.engine.daemon import connect

        try:
            engine = connect(workers, keep_warm)
        except (OSError, RuntimeError) as exc:  # no private folder, no socket: run alone
            with log.open("a", encoding="utf-8") as handle:
                handle.write(f"no warm engine ({exc}); this run starts its own processes\n")
        else:
            with log.open("a", encoding="utf-8") as handle:
                handle.write(f"warm engine {engine.path} (its log beside it)\n")
            return [engine] * workers
    return start(workers, log)


def _most_jobs(enterprise: str | list[str] | None) -> int:
    """At most how many notebooks a run on `enterprise` (None: everyone) can have, known
    before it is planned: the cohort report alone with no enterprise (`enterprise=[]`)
    needs one warm process, not one per core importing beside the plan."""
    if enterprise is None:
        return 1 << 30
    chosen = 1 if isinstance(enterprise, str) else len(enterprise)
    return chosen * (len(STEP_NOTEBOOKS) + 1) * len(i18n.available_languages()) + 1


def _refuse_bad_input(store_url: str, enterprise: str | list[str] | None) -> None:
    """A missing store or an unknown enterprise is an error that leaves no trace."""
    store = Store.open(store_url)
    try:
        for enterprise_id in [enterprise] if isinstance(enterprise, str) else enterprise or []:
            store.require_enterprise(enterprise_id)
    finally:
        store.close()


def _run(store_url: str, reports_dir: Path, lang: str, enterprise: str | list[str] | None,
         step: str | None, min_respondents: int, include_cohort: bool,
         on_result: Callable[[JobResult, int, int], None] | None, force: bool, executor: str,
         scheduler: str | None, timeout: float, run_id: str, log: Path,
         warm: list[Any], other_languages: tuple[str, ...] = (),
         own_language: str = "no") -> RunSummary:
    jobs, entries = plan(store_url, reports_dir, lang, enterprise, step, min_respondents, run_id,
                         include_cohort, own_language, other_languages)
    for job in jobs:
        check_parameters(notebook_path(job.notebook), job.parameters)
    summary = RunSummary(run_id=run_id)
    manifest = Manifest(reports_dir)
    digests = {id(job): inputs_digest(notebook_path(job.notebook),
                                      digest_parameters(job.parameters),
                                      str(job.audit.get("data_hash", "")))
               for job in jobs}
    due = [job for job in jobs if force or not manifest.is_current(job.report, digests[id(job)])]
    running = {id(job) for job in due}
    skipped = [job for job in jobs if id(job) not in running]

    def report(result: JobResult) -> None:
        summary.results.append(result)
        if on_result:
            on_result(result, len(summary.results), len(jobs))

    for job in skipped:
        report(JobResult(job, True, 0.0, skipped=True))
    manifest.forget([job.report for job in due])
    shared = wire.shared_work(due)
    payloads = [(job, wire.to_dict(job, notebook_path(job.notebook), shared.get(
                    (job.enterprise_id, int(job.parameters.get("min_respondents", 5))), ())))
                for job in wire.longest_first(due)]
    if executor == "dask":
        from vises_nb.publishing.engine.cluster import run_dask

        results = run_dask(payloads, str(scheduler), timeout, log)
    else:
        from vises_nb.publishing.engine.local import run_local

        needed, spare = warm[:len(due)], warm[len(due):]
        for zygote in spare:  # more warm processes than notebooks to run
            zygote.close()
        del warm[:]
        results = run_local(payloads, needed, timeout, log) if due else iter(())
    try:
        for job, outcome in results:
            if outcome.get("ok") and not job.report.is_file():  # an answer is no report
                outcome = {"ok": False, "seconds": outcome.get("seconds", 0.0),
                           "error": f"no report was written at {job.report}",
                           "message": {"key": "run.no_report",
                                       "values": {"path": str(job.report)}}}
            result = JobResult(job, bool(outcome["ok"]), float(outcome.get("seconds", 0.0)),
                               failure_message(outcome), outcome.get("cell"))
            if result.ok:
                manifest.record(job.report, digests[id(job)], run_id, str(job.audit["date"]))
            report(result)
    finally:
        manifest.save()  # what `record` has not written yet
    summary.index = write_index(summary, entries, reports_dir, lang, other_languages)
    return summary


def write_index(summary: RunSummary, entries: list[IndexEntry], reports_dir: Path,
                lang: str, other_languages: tuple[str, ...] = ()) -> Path:
    """The index lists every enterprise: reports published now or by an earlier run.

    It is written as index.<lang>.html and as index.html (the language run last), and
    links the indexes of the other languages published in the same folder.
    """
    by_enterprise = {e.enterprise_id: e for e in entries}
    for entry in entries:
        for step in [*STEP_NOTEBOOKS, VALORISATION]:
            stem = VALORISATION if step == VALORISATION else f"step{step}"
            if (3 if step == VALORISATION else int(step)) > entry.step:
                continue
            # The index's language, else the enterprise's own (its default reports).
            for language in dict.fromkeys([lang, entry.language or lang]):
                published = reports_dir / entry.enterprise_id / f"{stem}.{language}.html"
                if published.exists():
                    entry.reports[step] = os.path.relpath(published, reports_dir)
                    entry.languages[step] = language
                    break
    cohort_file = reports_dir / f"cohort.{lang}.html"
    cohort_report = os.path.relpath(cohort_file, reports_dir) if cohort_file.exists() else None
    cohort_failure = None
    for result in summary.results:
        job = result.job
        link_report = os.path.relpath(job.report, reports_dir)
        link_partial = os.path.relpath(job.executed, reports_dir)
        message = str(render(result.error, lang)) + (
            i18n.t("run.cell", lang, cell=result.cell) if result.cell is not None else "")
        if job.enterprise_id is None:
            if result.ok:
                cohort_report = link_report
            else:
                cohort_report, cohort_failure = None, (message, link_partial)
            continue
        entry = by_enterprise[job.enterprise_id]
        if job.lang != lang and entry.languages.get(job.step) == lang:
            continue  # the report in the index's language is the one linked
        if result.ok:
            entry.reports[job.step] = link_report
            entry.languages[job.step] = job.lang
        else:
            entry.reports.pop(job.step, None)
            entry.failures[job.step] = (message, link_partial)
    languages = sorted({lang, *other_languages,
                        *(p.name.split(".")[1] for p in reports_dir.glob("index.*.html"))},
                       key=lambda code: (code not in i18n.LOCALES, code))
    page = index_page(entries, cohort_report, lang, cohort_failure, summary.run_id, languages)
    write_atomic(reports_dir / f"index.{lang}.html", page)
    index = reports_dir / "index.html"
    write_atomic(index, page)
    return index


def ensure_error_free(summary: RunSummary) -> None:
    if summary.failures:
        raise VisesError("err.run.failed", count=len(summary.failures), index=summary.index)
