"""The cohort's published results, computed once per run: the one-pagers compare their
enterprise with them (its pole's and the cohort's median and range), and the cohort
report publishes them.

Every one-pager sets its enterprise beside the whole cohort. Computed by each one-pager,
that is the whole cohort's results once per enterprise at step 3: a run of n enterprises
did O(n²) work (7 s per one-pager on 500 enterprises). A run computes them once instead,
into `reports/cohort/peers-<cohort data version>-<threshold>.parquet`, and passes the file
to the one-pagers (parameter `peers_file`); a notebook run by hand, without it, computes
them from the store as before.

The cohort notebook publishes the same results, with the paired changes: the run writes
these beside them (`changes-<version>-<threshold>.parquet`, and the suppression log in
the cohort's `private/` folder), and the cohort notebook takes all three from its output
folder when they were computed from exactly the data it has loaded, by this code, at its
threshold (`cohort_publication`): else (run by hand from JupyterLab, data changed since
the run planned) it computes them. The files hold what the cohort report publishes
(disclosure-controlled), and the suppression log where the report keeps its own.

The run also knows from them what each one-pager shows of its peers
(`vises_nb.analysis.valorisation.peer_digests`), so a one-pager is re-run when its own
data or the peer figures it shows change, not on every change anywhere in the cohort.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pandas as pd

from vises_nb import __version__
from vises_nb.analysis.cohort_data import CohortData
from vises_nb.files import PRIVATE, atomic_path

#: The columns of the cohort's results a one-pager reads for its peer comparison.
PEER_COLUMNS = ("enterprise_id", "pole", "indicator_code", "wave", "value", "top2")
PREFIX = "peers-"
CHANGES_PREFIX = "changes-"
LOG_PREFIX = "suppression-"
PRIVATE_DIR = "private"  # as vises_nb.analysis.disclosure.PRIVATE_DIR
META_KEY = b"vises"
#: The packages whose code decides the published results (a file from other code is stale).
CODE = ("analysis", "method", "store")


def peers_path(reports_dir: Path, cohort_hash: str, min_respondents: int) -> Path:
    """Where a run keeps the peer results of one cohort data version and threshold."""
    return Path(reports_dir) / "cohort" / f"{PREFIX}{cohort_hash}-{int(min_respondents)}.parquet"


def _changes_path(path: Path) -> Path:
    return path.with_name(CHANGES_PREFIX + path.name[len(PREFIX):])


def _log_path(path: Path) -> Path:
    return path.parent / PRIVATE_DIR / (LOG_PREFIX + path.name[len(PREFIX):])


def slim(results: pd.DataFrame) -> pd.DataFrame:
    """The peer columns of the cohort's `all_results` (those it has)."""
    return results[[c for c in PEER_COLUMNS if c in results.columns]].reset_index(drop=True)


@cache
def code_version() -> str:
    """This package's version and the source of the code that computes the results."""
    import vises_nb

    root = Path(vises_nb.__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for package in CODE:
        for source in sorted((root / package).rglob("*.py")):
            digest.update(source.relative_to(root).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(cohort: CohortData, min_respondents: int) -> str:
    """What the cohort's published results are computed from: every table as loaded
    (after cleaning), the threshold and the code (`code_version`). Vectorised: 0.1 s for
    500 enterprises."""
    digest = hashlib.sha256(f"{code_version()}:{int(min_respondents)}".encode())
    frames = {"enterprises": cohort.enterprises, **cohort.frames}
    for name in sorted(frames):
        frame = frames[name]
        digest.update(json.dumps([name, len(frame), list(map(str, frame.columns)),
                                  list(map(str, frame.dtypes))]).encode())
        for column in frame.columns:
            series = frame[column]
            try:
                hashed = pd.util.hash_pandas_object(series, index=False)
            except TypeError:  # lists (dimensions, stakeholders): by their text
                hashed = pd.util.hash_pandas_object(series.map(repr), index=False)
            digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()[:32]


def _stamp(path: Path) -> dict:
    """The fingerprint and code version a results file was written with ({} if none)."""
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_schema(path).metadata or {}
        return json.loads(metadata.get(META_KEY, b"{}"))
    except (OSError, ValueError):  # not a parquet file (a half-copied one, an old format)
        return {}


def _write(frame: pd.DataFrame, path: Path, stamp: dict | None = None,
           mode: int = 0o644) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    if stamp is not None:
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), META_KEY: json.dumps(stamp).encode()})
    with atomic_path(path, mode) as tmp:
        pq.write_table(table, tmp)


def save(path: Path, publication, stamp: str, min_respondents: int | None = None) -> None:
    """Write a publication's results, changes and suppression log (results last: their
    file, stamped, says the three are there)."""
    path = Path(path)
    _write(publication.changes, _changes_path(path))
    log = _log_path(path)
    log.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write(publication.log, log, mode=PRIVATE)
    _write(publication.results, path, {"fingerprint": stamp, "code": code_version(),
                                       "min_respondents": _threshold_of(path)
                                       if min_respondents is None else int(min_respondents)})


def _read(path: Path):
    from vises_nb.analysis.disclosure import Publication

    empty = pd.DataFrame()
    return Publication(pd.read_parquet(path), pd.read_parquet(_changes_path(path)), empty, {},
                       empty, pd.read_parquet(_log_path(path)))


def _publish(cohort: CohortData, min_respondents: int):
    from vises_nb.analysis.cohort import published

    return published(cohort, min_respondents)


def compute(store_url: str, min_respondents: int) -> pd.DataFrame:
    """The cohort's published results (disclosure-controlled), as the one-pager reads them."""
    return slim(_publish(_load(store_url), min_respondents).results)


def _load(store_url: str) -> CohortData:
    from vises_nb.analysis.cohort_data import load_cohort
    from vises_nb.store.store import Store, normalise_url

    store = Store.open(normalise_url(store_url))
    try:
        return load_cohort(store)
    finally:
        store.close()


def prepare(store_url: str, path: Path, min_respondents: int) -> pd.DataFrame:
    """The peer results at `path`, computed with the cohort's whole publication and
    written (atomically) unless already there for this data version and this code; the
    files of other data versions beside it are removed."""
    path = Path(path)
    current = path.is_file() and _stamp(path).get("code") == code_version() and \
        _changes_path(path).is_file() and _log_path(path).is_file()
    if current:
        peers = slim(pd.read_parquet(path))
    else:
        cohort = _load(store_url)
        publication = _publish(cohort, min_respondents)
        save(path, publication, fingerprint(cohort, min_respondents), min_respondents)
        peers = slim(publication.results)
    for folder, prefix, keep in ((path.parent, PREFIX, path),
                                 (path.parent, CHANGES_PREFIX, _changes_path(path)),
                                 (path.parent / PRIVATE_DIR, LOG_PREFIX, _log_path(path))):
        for old in folder.glob(f"{prefix}*.parquet"):
            if old != keep:
                old.unlink(missing_ok=True)
    return peers


def load(store_url: str, min_respondents: int, peers_file: str = "") -> pd.DataFrame:
    """The peer results for a one-pager: the run's file when given and present, else
    computed from the store (a notebook run by hand).

    The file must be what it claims (it was read whatever it was): written by a run, by
    this code, at this one-pager's threshold; a file made at another threshold or any
    other parquet (raw results, an export) would publish peer figures this one-pager's
    disclosure control never saw. Refused, naming it, else."""
    if peers_file and Path(peers_file).is_file():
        path = Path(peers_file)
        stamp = _stamp(path)
        threshold = stamp.get("min_respondents", _threshold_of(path))
        if stamp.get("code") != code_version() or threshold != int(min_respondents):
            from vises_nb.errors import ParameterError

            raise ParameterError("err.param.peers_file", file=path.name,
                                 min_respondents=int(min_respondents))
        return slim(pd.read_parquet(path))
    return compute(store_url, min_respondents)


def _threshold_of(path: Path) -> int | None:
    """The threshold a run's file name says (`peers-<version>-<threshold>.parquet`)."""
    tail = Path(path).stem.rsplit("-", 1)[-1]
    return int(tail) if Path(path).name.startswith(PREFIX) and tail.isdigit() else None


def cohort_publication(cohort: CohortData, output_dir: Path, min_respondents: int):
    """The cohort report's results, changes and suppression log
    (`vises_nb.analysis.cohort.published`): read from the run's files in `output_dir`
    when they were computed from this very data, by this code, at this threshold; else
    computed."""
    stamp = None
    for path in sorted(Path(output_dir).glob(f"{PREFIX}*-{int(min_respondents)}.parquet")):
        found = _stamp(path)
        if found.get("code") != code_version():
            continue
        stamp = stamp or fingerprint(cohort, min_respondents)
        if found.get("fingerprint") == stamp:
            try:
                return _read(path)
            except OSError:  # its changes or log removed meanwhile
                break
    return _publish(cohort, min_respondents)
