"""What a step notebook needs in two lines: open its enterprise, show sections, write sidecars.

Notebooks call these so they stay a short list of sections; the results they show are
also written as files (sidecars) that the cohort notebook, dashboards and tests read.
"""

from __future__ import annotations

import json
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import display

from vises_nb import i18n
from vises_nb.analysis.cohort import CohortData, load_cohort
from vises_nb.analysis.disclosure import Publication
from vises_nb.analysis.privacy import mask_everywhere
from vises_nb.errors import ParameterError
from vises_nb.files import write_atomic
from vises_nb.publishing import display as show
from vises_nb.store.loading import (
    ANSWER_TABLES,
    EnterpriseData,
    fingerprint,
    load_enterprise,
    preloaded,
)
from vises_nb.store.store import Store, normalise_url


def _output_dir(output_dir: str) -> Path:
    path = Path(output_dir) if output_dir else Path(tempfile.mkdtemp(prefix="vises-"))
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def _check_lang(lang: str) -> None:
    if lang not in i18n.available_languages():
        raise ParameterError("err.param.lang", lang=lang,
                             languages=list(i18n.available_languages()))


@dataclass
class Context:
    """The language, output folder and sidecar writer shared by every notebook."""

    lang: str
    output_dir: Path
    min_respondents: int

    def t(self, key: str, **values: object) -> str:
        return i18n.t(key, self.lang, **values)

    def title(self, text: str) -> None:
        display(show.heading(text, 1))

    def section(self, key: str, *content: object, level: int = 2) -> None:
        """A translated heading followed by tables, lists or charts."""
        display(show.heading(self.t(key), level))
        for item in content:
            if isinstance(item, pd.DataFrame):
                display(show.table(item, self.lang))
            elif isinstance(item, list):
                display(show.bullets([str(i) for i in item], self.t("nothing_to_report")))
            elif item is None:
                display(show.paragraph(self.t("no_data"), "empty"))
            elif isinstance(item, str):
                display(show.paragraph(item, "note"))
            else:
                display(item)

    def write(self, name: str, data: pd.DataFrame | dict | list) -> None:
        """Save a result as a sidecar: a DataFrame as JSON table (types kept), else JSON.

        Written whole or not at all (a run killed mid-write leaves the previous file).
        Returns nothing, so that a notebook's last line shows nothing in the report.
        Every text in it has its e-mail addresses and phone numbers masked, as in the
        report (`vises_nb.analysis.privacy.mask_everywhere`).
        """
        data = mask_everywhere(data)
        if isinstance(data, pd.DataFrame):
            text = data.to_json(orient="table", index=False, date_format="iso")
        else:
            text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
        write_atomic(self.output_dir / f"{name}.json", text)


@dataclass
class Step3:
    """What the step 3 report and the one-pager both start from: the joined answers, one
    value per indicator, wave and respondent, and every step 3 table, protected together
    (`disclosure.step3_publication`)."""

    answers: pd.DataFrame
    values: pd.DataFrame
    published: Publication


#: The tables step 3 is computed from.
STEP3_TABLES = ("indicators", *ANSWER_TABLES)
#: Step 3 tables a batch run's warm process computed before forking an enterprise's step 3
#: report and one-pager (`share_step3`), by the fingerprint of the data they were computed
#: from and the threshold: a notebook gets them only for frames of exactly that content.
#: Only a warm process fills it; its forked children read it, each its own copy.
SHARED: OrderedDict[tuple[str, int], Step3] = OrderedDict()
SHARED_KEPT = 4


def _step3(data: EnterpriseData, min_respondents: int) -> Step3:
    from vises_nb.analysis import disclosure, results

    answers = data.answers()
    return Step3(answers, results.person_values(answers),
                 disclosure.step3_publication(data.indicators, answers, min_respondents))


def step3_tables(data: EnterpriseData, min_respondents: int) -> Step3:
    """The enterprise's step 3 tables: computed now, or by the warm process of a batch run
    from data of exactly this content (`share_step3`)."""
    if SHARED:
        found = SHARED.get((fingerprint(data.frames, STEP3_TABLES), int(min_respondents)))
        if found is not None:
            return found
    return _step3(data, min_respondents)


def share_step3(data: EnterpriseData, min_respondents: int) -> None:
    """Compute the step 3 tables once, here (a batch run's warm process, before forking
    the enterprise's notebooks that both show them)."""
    key = (fingerprint(data.frames, STEP3_TABLES), int(min_respondents))
    if key not in SHARED:
        SHARED[key] = _step3(data, min_respondents)
        if len(SHARED) > SHARED_KEPT:
            SHARED.popitem(last=False)
    SHARED.move_to_end(key)


@dataclass
class EnterpriseContext(Context):
    data: EnterpriseData | None = None

    def step3(self) -> Step3:
        """The step 3 tables of this notebook's enterprise (see `step3_tables`)."""
        return step3_tables(self.data, self.min_respondents)


def open_enterprise(store_url: str, enterprise_id: str, lang: str, output_dir: str,
                    min_respondents: int = 5) -> EnterpriseContext:
    """Load one enterprise from the store for a step notebook."""
    _check_lang(lang)
    if min_respondents < 3:
        raise ParameterError("err.param.min_respondents")
    data = preloaded(store_url, enterprise_id)  # loaded by a batch run's warm process
    if data is None:
        store = Store.open(normalise_url(store_url))
        try:
            data = load_enterprise(store, enterprise_id)
        finally:
            store.close()
    return EnterpriseContext(lang, _output_dir(output_dir), min_respondents, data)


@dataclass
class CohortContext(Context):
    cohort: CohortData | None = None

    def published(self) -> Publication:
        """Every enterprise's results and changes as the cohort report publishes them
        (`vises_nb.analysis.cohort.published`): the run's files in the output folder when
        computed from this very data (`vises_nb.publishing.peers`), else computed now."""
        from vises_nb.publishing import peers

        return peers.cohort_publication(self.cohort, self.output_dir, self.min_respondents)


def open_cohort(store_url: str, lang: str, output_dir: str,
                min_respondents: int = 5) -> CohortContext:
    _check_lang(lang)
    if min_respondents < 3:
        raise ParameterError("err.param.min_respondents")
    store = Store.open(normalise_url(store_url))
    try:
        cohort = load_cohort(store)
    finally:
        store.close()
    return CohortContext(lang, _output_dir(output_dir), min_respondents, cohort)


def read_sidecar(path: str | Path) -> pd.DataFrame:
    """Read a DataFrame sidecar written by `Context.write`."""
    return pd.read_json(path, orient="table")
