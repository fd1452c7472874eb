"""Disclosure control: every table a report, a sidecar or a dashboard publishes goes through here.

The rules, in one place (README "Data protection" says the same in words). `T` is the
threshold (`min_respondents`, 5 by default, never below 3):

1. **Threshold** (rule "suppressed_small_n"): a figure resting on fewer than T people
   (unweighted denominator) is not published, nor is its n.
2. **Small counts** ("suppressed_small_count"): no count of 1 to T-1 people is published
   or can be read from a figure and its n: a share k/n is published only when k and
   n - k are each 0 or at least T (so is a top-2-box share, a before/after share, a
   Likert answer count, a reliable-change count, and the people who went up, down or
   stayed in a paired test — McNemar's b and c, Wilcoxon's moves, which its statistic
   and r would give away). Such figures are **suppressed, never rounded**.
3. **Class disclosure** ("suppressed_class"): in a group of fewer than 2×T people (all
   respondents of a small enterprise, a breakdown group by sex or age band, the people
   paired for a change, or what is left of the total once the shown groups are taken
   away), "everyone" or "no one" (a share of 0 % or 100 %, all answers in one category)
   is not published: it would tell each member's answer.
4. **Secondary suppression** ("suppressed_secondary"): the tables of one publication
   are linked — total and breakdown groups, sums of answer categories, top-2 share and
   answer counts, wave results and the paired shares of a change. Hidden cells are added
   (smallest first) until every hidden set, worked out by subtraction, holds 0 or at
   least T people and passes rules 2 and 3; a paired share whose difference with the
   wave share would describe the 1 to T-1 people who left or joined is hidden.

What is not claimed: medians and means of hidden groups are not worked out by this
layer beyond rule 4's counts of people (a mean of a hidden set needs its n, which rule 4
keeps at 0 or ≥ T); step 2's respondent counts per wave say how many answered, not what.

Every suppression is written to a log (table, indicator, wave, group, fields, rule),
kept beside the report and never published (`write_log`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from vises_nb.analysis.results import PRIVATE_CHANGE_COLUMNS
from vises_nb.files import write_atomic

SMALL_N = "suppressed_small_n"
SMALL_COUNT = "suppressed_small_count"
CLASS = "suppressed_class"
SECONDARY = "suppressed_secondary"
#: Class disclosure applies to groups of fewer than this many times the threshold.
CLASS_FACTOR = 2
#: Where the suppression log goes, inside a report's output folder: not linked, not public.
PRIVATE_DIR = "private"
LOG_COLUMNS = ["table", "enterprise_id", "indicator_id", "wave", "group", "fields", "rule"]
RESULT_FIGURES = ("value", "low", "high", "top2", "top2_low", "top2_high")
TOP2_FIGURES = ("top2", "top2_low", "top2_high")
CHANGE_FIGURES = ("statistic", "p_value", "effect_size", "before", "after", "direction",
                  "n_changed", "zeros")


def small(count: int | None, threshold: int) -> bool:
    """A count of 1 to threshold-1 people: never published (rule 2)."""
    return count is not None and 0 < count < threshold


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) \
        and value is not pd.NA


def _int(value: object) -> int | None:
    return int(value) if _present(value) else None


def count_of(share: object, n: object) -> int | None:
    """The count of people behind a published share and n (share × n, rounded)."""
    if not _present(share) or not _present(n):
        return None
    return round(float(share) * int(n))


@dataclass
class Log:
    """What was hidden, where, and by which rule."""

    rows: list[dict] = field(default_factory=list)

    def add(self, table: str, row: dict, fields: tuple[str, ...] | str, rule: str,
            group: object = None) -> None:
        self.rows.append({
            "table": table, "enterprise_id": row.get("enterprise_id"),
            "indicator_id": row.get("indicator_id"),
            "wave": row.get("wave") or (f"{row.get('from_wave')}→{row.get('to_wave')}"
                                        if row.get("to_wave") else None),
            "group": group if group is not None else row.get("group", row.get("answer")),
            "fields": ",".join(fields) if isinstance(fields, tuple) else fields,
            "rule": rule})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=LOG_COLUMNS)


@dataclass
class Publication:
    """The tables of one report, protected together, and their suppression log."""

    results: pd.DataFrame
    changes: pd.DataFrame
    distribution: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    reliable: pd.DataFrame
    log: pd.DataFrame

    def suppressed_cells(self) -> int:
        return len(self.log)


# ------------------------------------------------------------------ wave results


def _blank(row: dict, fields: tuple[str, ...]) -> None:
    for name in fields:
        row[name] = None


def _hide_row(table: str, row: dict, rule: str, log: Log, figures: tuple[str, ...],
              n_fields: tuple[str, ...] = ("n",)) -> None:
    """Suppress a whole row: its figures and its n."""
    shown = tuple(f for f in figures + n_fields if _present(row.get(f)))
    _blank(row, figures + n_fields)
    row.update(suppressed=True, enough_data=False, reason=rule)
    if shown:
        log.add(table, row, shown, rule)


def _protect_result_row(row: dict, threshold: int, log: Log, table: str,
                        class_rule: bool) -> None:
    n = _int(row.get("n"))
    if row.get("suppressed"):
        if n:  # rule 1: neither the figure nor its n
            _hide_row(table, row, SMALL_N, log, RESULT_FIGURES)
        return
    if not n:
        return
    if row.get("statistic") == "proportion" and _present(row.get("value")):
        k = count_of(row["value"], n)
        if small(k, threshold) or small(n - k, threshold):
            _hide_row(table, row, SMALL_COUNT, log, RESULT_FIGURES, ())
            return
        if class_rule and k in (0, n) and n < CLASS_FACTOR * threshold:
            _hide_row(table, row, CLASS, log, RESULT_FIGURES, ())
            return
    if _present(row.get("top2")):
        t = count_of(row["top2"], n)
        if small(t, threshold) or small(n - t, threshold):
            _blank(row, TOP2_FIGURES)
            log.add(table, row, TOP2_FIGURES, SMALL_COUNT)
        elif class_rule and t in (0, n) and n < CLASS_FACTOR * threshold:
            _blank(row, TOP2_FIGURES)
            log.add(table, row, TOP2_FIGURES, CLASS)


def protect_results(results: pd.DataFrame, threshold: int, log: Log | None = None
                    ) -> pd.DataFrame:
    """Rules 1 to 3 on wave results."""
    log = log if log is not None else Log()
    rows = results.to_dict("records")
    for row in rows:
        _protect_result_row(row, threshold, log, "results", class_rule=True)
    return _frame(rows, results)


def _frame(rows: list[dict], like: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=like.columns)
    for column in ("n", "n_paired", "n_from", "n_changed", "zeros", "count", "alpha_n",
                   "improved", "unchanged", "deteriorated"):
        if column in frame:
            frame[column] = frame[column].astype("Int64") if len(frame) else frame[column]
    return frame


# ------------------------------------------------------------------ answer distributions


def protect_distribution(distribution: pd.DataFrame, results: pd.DataFrame, threshold: int,
                         log: Log) -> pd.DataFrame:
    """Rule 2 on each answer count, rule 4 on the sum of categories (= n) and on the
    top-2 share published with the wave result (= count of the two top answers)."""
    if distribution.empty:
        return distribution
    top2_shown = {(r["indicator_id"], r["wave"]): count_of(r["top2"], r["n"])
                  for r in results.to_dict("records") if _present(r.get("top2"))}
    out = []
    for (indicator_id, wave), group in distribution.groupby(["indicator_id", "wave"], sort=False):
        cells = group.to_dict("records")
        n = int(cells[0]["n"])
        hidden = {c["answer"] for c in cells if small(int(c["count"]), threshold)}
        for c in cells:
            if c["answer"] in hidden:
                log.add("likert_distribution", c, ("count", "share"), SMALL_COUNT)
        if n < CLASS_FACTOR * threshold and any(int(c["count"]) == n for c in cells):
            for c in cells:  # everyone gave the same answer: the whole distribution goes
                if c["answer"] not in hidden:
                    hidden.add(c["answer"])
                    log.add("likert_distribution", c, ("count", "share"), CLASS)
        points = max(c["answer"] for c in cells)
        top = {points - 1, points} if (indicator_id, wave) in top2_shown else None
        parts = [{c["answer"] for c in cells}]
        if top is not None:
            parts = [parts[0], top, parts[0] - top]
        while True:
            worst = None
            for part in parts:
                hidden_sum = sum(int(c["count"]) for c in cells
                                 if c["answer"] in hidden and c["answer"] in part)
                if small(hidden_sum, threshold):
                    worst = part
                    break
            if worst is None:
                break
            shown = [c for c in cells if c["answer"] not in hidden and c["answer"] in worst
                     and int(c["count"]) > 0]
            if not shown:
                shown = [c for c in cells if c["answer"] not in hidden and int(c["count"]) > 0]
            if not shown:
                break
            pick = min(shown, key=lambda c: int(c["count"]))
            hidden.add(pick["answer"])
            log.add("likert_distribution", pick, ("count", "share"), SECONDARY)
        for c in cells:
            if c["answer"] in hidden:
                c.update(count=None, share=None)
            c["n"] = n
        out.extend(cells)
    return _frame(out, distribution)


# ------------------------------------------------------------------ breakdowns


def _cell_count(cell: dict, what: str) -> int | None:
    share = cell.get("value") if what == "value" else cell.get("top2")
    return count_of(share, cell.get("n"))


def protect_breakdown(breakdown: pd.DataFrame, results: pd.DataFrame, threshold: int,
                      log: Log) -> pd.DataFrame:
    """Rules 1–3 on each group, then rule 4 against the published total of each wave."""
    if breakdown.empty:
        return breakdown
    name = f"breakdowns_{breakdown['breakdown'].iloc[0]}"
    totals = {(r["indicator_id"], r["wave"]): r for r in results.to_dict("records")}
    out = []
    for (indicator_id, wave), group in breakdown.groupby(["indicator_id", "wave"], sort=False):
        cells = group.to_dict("records")
        # the true group sizes, kept aside: the cells lose their n when hidden
        sizes = [_int(c.get("n")) for c in cells]
        hidden = [bool(c.get("suppressed")) and bool(sizes[i]) for i, c in enumerate(cells)]
        for i, c in enumerate(cells):
            if hidden[i] or not sizes[i]:
                continue
            n = sizes[i]
            for what in ("value", "top2"):
                if what == "value" and c.get("statistic") != "proportion":
                    continue
                k = _cell_count(c, what)
                if k is None:
                    continue
                if small(k, threshold) or small(n - k, threshold):
                    hidden[i] = SMALL_COUNT
                elif k in (0, n) and n < CLASS_FACTOR * threshold:
                    hidden[i] = CLASS
                if hidden[i]:
                    break
        # counts needed for rule 4, computed before anything is blanked
        counts = {what: [_cell_count(c, what) for c in cells] for what in ("value", "top2")}
        total = totals.get((indicator_id, wave), {})
        total_n = _int(total.get("n")) if not total.get("suppressed") else None
        total_k = {"value": count_of(total.get("value"), total_n)
                   if total.get("statistic") == "proportion" else None,
                   "top2": count_of(total.get("top2"), total_n)}
        while total_n:
            shown = [i for i in range(len(cells)) if not hidden[i] and sizes[i]]
            n_h = total_n - sum(sizes[i] for i in shown)
            bad = small(n_h, threshold)
            for what in ("value", "top2"):
                if bad or total_k[what] is None or n_h == 0:
                    continue
                if any(counts[what][i] is None for i in shown):
                    continue
                k_h = total_k[what] - sum(counts[what][i] for i in shown)
                bad = small(k_h, threshold) or small(n_h - k_h, threshold) or (
                    k_h in (0, n_h) and n_h < CLASS_FACTOR * threshold)
            if not bad or not shown:
                break
            pick = min(shown, key=lambda i: sizes[i])
            hidden[pick] = SECONDARY
        for i, c in enumerate(cells):
            if hidden[i]:
                rule = hidden[i] if isinstance(hidden[i], str) else \
                    (c.get("reason") if c.get("reason") == "suppressed_complementary" else SMALL_N)
                if rule == "suppressed_complementary":
                    rule = SECONDARY
                _hide_row(name, c, rule, log, RESULT_FIGURES)
            elif c.get("suppressed"):
                c["n"] = None
        out.extend(cells)
    return _frame(out, breakdown)


# ------------------------------------------------------------------ paired changes


def _protect_change_row(row: dict, waves: dict, threshold: int, log: Log) -> None:
    if small(_int(row.get("n_from")), threshold):
        row["n_from"] = None
        log.add("changes", row, "n_from", SMALL_N)
    n_p = _int(row.get("n_paired"))
    if row.get("suppressed"):
        if n_p:
            _hide_row("changes", row, SMALL_N, log, CHANGE_FIGURES, ("n_paired", "attrition"))
        return
    if not n_p:
        return
    moves = (_int(row.get("n_up")), _int(row.get("n_down")), _int(row.get("zeros")))
    if any(small(m, threshold) for m in moves):
        # McNemar's b and c, or Wilcoxon's moves read from W and r: not published
        _hide_row("changes", row, SMALL_COUNT, log, CHANGE_FIGURES, ())
        return
    if row.get("test") != "mcnemar":
        return
    k0, k1 = count_of(row.get("before"), n_p), count_of(row.get("after"), n_p)
    rule = None
    if any(small(k, threshold) or small(n_p - k, threshold) for k in (k0, k1) if k is not None):
        rule = SMALL_COUNT
    elif n_p < CLASS_FACTOR * threshold and any(k in (0, n_p) for k in (k0, k1)):
        rule = CLASS
    else:
        for wave, k in ((row["from_wave"], k0), (row["to_wave"], k1)):
            wave_row = waves.get((row["indicator_id"], wave))
            if k is None or wave_row is None or not _present(wave_row.get("value")):
                continue
            n_w = _int(wave_row["n"])
            k_w = count_of(wave_row["value"], n_w)
            d, k_d = n_w - n_p, k_w - k
            if d > 0 and (small(d, threshold) or small(k_d, threshold)
                          or small(d - k_d, threshold)
                          or (k_d in (0, d) and d < CLASS_FACTOR * threshold)):
                rule = SECONDARY  # wave minus paired would describe who left or joined
                break
    if rule is not None:
        _blank(row, ("before", "after"))
        log.add("changes", row, ("before", "after"), rule)


def protect_changes(changes: pd.DataFrame, results: pd.DataFrame, threshold: int,
                    log: Log) -> pd.DataFrame:
    """Rules 1, 2 and 4 on paired changes; the private move counts are dropped."""
    if changes.empty:
        return changes.drop(columns=[c for c in PRIVATE_CHANGE_COLUMNS if c in changes])
    waves = {(r["indicator_id"], r["wave"]): r for r in results.to_dict("records")}
    rows = changes.to_dict("records")
    for row in rows:
        _protect_change_row(row, waves, threshold, log)
    frame = _frame(rows, changes)
    return frame.drop(columns=[c for c in PRIVATE_CHANGE_COLUMNS if c in frame])


# ------------------------------------------------------------------ reliable change


def protect_reliable(reliable: pd.DataFrame, threshold: int, log: Log) -> pd.DataFrame:
    """Rules 1 and 2 on the counts of people who improved, stayed or worsened."""
    if reliable.empty:
        return reliable
    rows = reliable.to_dict("records")
    counts = ("improved", "unchanged", "deteriorated")
    for row in rows:
        n = _int(row.get("n_paired"))
        if row.get("suppressed"):
            if n:
                _hide_row("reliable_change", row, SMALL_N, log, counts, ("n_paired",))
            continue
        if any(small(_int(row.get(c)), threshold) for c in counts):
            _hide_row("reliable_change", row, SMALL_COUNT, log, counts, ())
    return _frame(rows, reliable)


# ------------------------------------------------------------------ one publication


def protect(results: pd.DataFrame, changes: pd.DataFrame | None = None,
            distribution: pd.DataFrame | None = None,
            breakdowns: dict[str, pd.DataFrame] | None = None,
            reliable: pd.DataFrame | None = None, threshold: int = 5) -> Publication:
    """All tables of one publication protected together (the results are read, before
    protection, as the published total the other tables are linked to)."""
    if threshold < 3:
        raise ValueError(f"threshold must be >= 3, got {threshold}")
    log = Log()
    shown = protect_results(results, threshold, log)
    empty = pd.DataFrame()
    return Publication(
        results=shown,
        changes=protect_changes(changes if changes is not None else empty, shown, threshold,
                                log),
        distribution=protect_distribution(distribution if distribution is not None else empty,
                                          shown, threshold, log),
        breakdowns={by: protect_breakdown(frame, shown, threshold, log)
                    for by, frame in (breakdowns or {}).items()},
        reliable=protect_reliable(reliable if reliable is not None else empty, threshold, log),
        log=log.frame(),
    )


def step3_publication(indicators: pd.DataFrame, answers: pd.DataFrame,
                      min_respondents: int = 5,
                      breakdowns: tuple[str, ...] = ("sex", "age_band")) -> Publication:
    """Every table step 3 publishes for one enterprise, computed and protected together."""
    from vises_nb.analysis import results as r

    values = r.person_values(answers)
    wave_results = r.indicator_results(indicators, answers, min_respondents, values=values)
    return protect(
        wave_results,
        r.indicator_changes(indicators, answers, min_respondents, values=values),
        r.likert_distribution(indicators, answers, min_respondents),
        {by: r.indicator_breakdowns(indicators, answers, by, min_respondents) for by in breakdowns},
        r.reliable_changes(indicators, answers, min_respondents),
        threshold=min_respondents,
    )


def write_log(output_dir: str | Path, log: pd.DataFrame, name: str = "suppression_log") -> None:
    """The suppression log, beside the report in a `private/` folder the index never links.

    It says which figure was hidden and why, for the analyst; it is not for publication
    (it tells where the small groups are).
    """
    folder = Path(output_dir) / PRIVATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    write_atomic(path, json.dumps(log.to_dict("records"), ensure_ascii=False, indent=1,
                                  default=str))
