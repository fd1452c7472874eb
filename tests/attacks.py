"""Differencing attacks on published tables: what an outsider can work out about 1–4 people.

Written apart from vises_nb.analysis.disclosure on purpose (it reads only what a report,
a sidecar or a dashboard publishes, and shares no code with the protection), so that a
gap in the protection is not repeated here. Each attack returns findings: one line per
figure it recovered about fewer than `threshold` people, saying how.

The attacks:
- direct: a published count, or a share × n, or its complement, of 1..T-1 people; an n of
  1..T-1; "everyone"/"no one" in a breakdown group of fewer than 2T;
- totals minus shown groups (breakdowns against the wave result);
- sums of categories (answer counts against n, against the top-2 share; reliable-change
  counts against n paired);
- wave minus paired (a McNemar before/after share against the wave's share: the people
  who left or joined);
- McNemar b and c (from the before/after shares and the number of changes, from the
  statistic, or by searching every (b, c) that gives the published p-value);
- Wilcoxon moves (the statistic with r, or r with the number of changes, give the rank
  sum of the minority direction: below T(T+1)/2 fewer than T people moved that way), and
  the unchanged pairs (n paired minus changes).
"""

from __future__ import annotations

import functools
import math

import pandas as pd
from scipy import stats as sps


def _num(value: object) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _small(count: float | None, threshold: int) -> bool:
    return count is not None and 0 < round(count) < threshold


def _count(share: object, n: object) -> int | None:
    s, m = _num(share), _num(n)
    return None if s is None or m is None else round(s * m)


def _records(frame: pd.DataFrame | None) -> list[dict]:
    return [] if frame is None or len(frame) == 0 else frame.to_dict("records")


def direct(tables: dict[str, pd.DataFrame], threshold: int) -> list[str]:
    found = []
    for name, frame in tables.items():
        for row in _records(frame):
            where = f"{name} {row.get('enterprise_id', '')} {row.get('indicator_id')} " \
                    f"{row.get('wave') or row.get('to_wave')} {row.get('group', '')}"
            for col in ("n", "n_paired", "n_from", "count", "improved", "unchanged",
                        "deteriorated", "alpha_n", "n_changed", "zeros"):
                if _small(_num(row.get(col)), threshold):
                    found.append(f"direct: {where} {col} = {row.get(col)}")
            n = _num(row.get("n"))
            if row.get("statistic") == "proportion" and _num(row.get("value")) is not None:
                k = _count(row["value"], n)
                if _small(k, threshold) or _small(n - k, threshold):
                    found.append(f"direct: {where} share {row['value']:.3f} of {n:.0f} = {k}")
                if k in (0, n) and n < 2 * threshold:
                    found.append(f"class: {where} all {n:.0f} in one category")
            if _num(row.get("top2")) is not None and n is not None:
                k = _count(row["top2"], n)
                if _small(k, threshold) or _small(n - k, threshold):
                    found.append(f"direct: {where} top-2 {row['top2']:.3f} of {n:.0f} = {k}")
                if k in (0, n) and n < 2 * threshold:
                    found.append(f"class: {where} top-2: all {n:.0f} in one box")
            if row.get("test") == "mcnemar" and _num(row.get("n_paired")) is not None:
                for col in ("before", "after"):
                    k = _count(row.get(col), row["n_paired"])
                    n_p = _num(row["n_paired"])
                    if k is not None and (_small(k, threshold) or _small(n_p - k, threshold)):
                        found.append(f"direct: {where} {col} share × n paired = {k}")
                    if k is not None and k in (0, n_p) and n_p < 2 * threshold:
                        found.append(f"class: {where} {col}: all {n_p:.0f} paired alike")
    return found


def totals_minus_groups(results: pd.DataFrame, breakdowns: dict[str, pd.DataFrame],
                        threshold: int) -> list[str]:
    found = []
    totals = {(r["indicator_id"], r["wave"]): r for r in _records(results)}
    for by, frame in breakdowns.items():
        if frame is None or frame.empty:
            continue
        for (indicator_id, wave), cells in frame.groupby(["indicator_id", "wave"]):
            total = totals.get((indicator_id, wave))
            n = _num(total.get("n")) if total else None
            if n is None:
                continue
            shown = [c for c in cells.to_dict("records") if _num(c.get("n")) is not None]
            n_h = n - sum(_num(c["n"]) for c in shown)
            where = f"{by} {indicator_id} {wave}: total minus shown groups"
            if _small(n_h, threshold):
                found.append(f"{where}: {n_h:.0f} people")
                continue
            if n_h <= 0:
                continue
            for column in ("value", "top2"):
                if column == "value" and total.get("statistic") != "proportion":
                    continue
                k = _count(total.get(column), n)
                parts = [_count(c.get(column), c["n"]) for c in shown]
                if k is None or any(p is None for p in parts):
                    continue
                k_h = k - sum(parts)
                if _small(k_h, threshold) or _small(n_h - k_h, threshold):
                    found.append(f"{where}: {k_h} of {n_h:.0f} ({column})")
                elif k_h in (0, n_h) and n_h < 2 * threshold:
                    found.append(f"{where}: all {n_h:.0f} in one category ({column})")
    return found


def sums_of_categories(results: pd.DataFrame, distribution: pd.DataFrame,
                       reliable: pd.DataFrame, threshold: int) -> list[str]:
    found = []
    top2 = {(r["indicator_id"], r["wave"]): _count(r.get("top2"), r.get("n"))
            for r in _records(results)}
    if distribution is not None and not distribution.empty:
        for (indicator_id, wave), cells in distribution.groupby(["indicator_id", "wave"]):
            rows = cells.to_dict("records")
            n = _num(rows[0].get("n"))
            shown = {r["answer"]: _num(r["count"]) for r in rows if _num(r.get("count")) is not None}
            if n is not None and _small(n - sum(shown.values()), threshold):
                found.append(f"categories {indicator_id} {wave}: n minus shown answers = "
                             f"{n - sum(shown.values()):.0f}")
            if n is not None and n < 2 * threshold and (
                    n in shown.values() or (len(shown) == len(rows) - 1
                                            and sum(shown.values()) == 0)):
                found.append(f"class: categories {indicator_id} {wave}: all {n:.0f} alike")
            points = max(r["answer"] for r in rows)
            t = top2.get((indicator_id, wave))
            if t is not None:
                top = [a for a in (points - 1, points)]
                rest = [a for a in range(1, points - 1)]
                hidden_top = t - sum(shown.get(a, 0) for a in top)
                if _small(hidden_top, threshold) and any(a not in shown for a in top):
                    found.append(f"categories {indicator_id} {wave}: top-2 minus shown = "
                                 f"{hidden_top}")
                if n is not None:
                    hidden_rest = (n - t) - sum(shown.get(a, 0) for a in rest)
                    if _small(hidden_rest, threshold) and any(a not in shown for a in rest):
                        found.append(f"categories {indicator_id} {wave}: rest minus shown = "
                                     f"{hidden_rest}")
    for row in _records(reliable):
        n = _num(row.get("n_paired"))
        counts = [_num(row.get(c)) for c in ("improved", "unchanged", "deteriorated")]
        known = [c for c in counts if c is not None]
        if n is not None and len(known) == 2 and _small(n - sum(known), threshold):
            found.append(f"categories {row['indicator_id']} reliable change: third count")
    return found


def wave_minus_paired(results: pd.DataFrame, changes: pd.DataFrame, threshold: int
                      ) -> list[str]:
    found = []
    waves = {(r["indicator_id"], r["wave"]): r for r in _records(results)}
    for row in _records(changes):
        if row.get("test") != "mcnemar" or _num(row.get("n_paired")) is None:
            continue
        n_p = _num(row["n_paired"])
        for wave, column in ((row["from_wave"], "before"), (row["to_wave"], "after")):
            k_p = _count(row.get(column), n_p)
            wave_row = waves.get((row["indicator_id"], wave))
            if k_p is None or wave_row is None:
                continue
            n_w, k_w = _num(wave_row.get("n")), _count(wave_row.get("value"), wave_row.get("n"))
            if n_w is None or k_w is None or wave_row.get("statistic") != "proportion":
                continue
            d, k_d = n_w - n_p, k_w - k_p
            if d > 0 and (d < threshold or _small(k_d, threshold) or _small(d - k_d, threshold)
                          or (k_d in (0, d) and d < 2 * threshold)):
                found.append(f"wave minus paired {row['indicator_id']} {wave}: {k_d} of the "
                             f"{d:.0f} people who left or joined")
    return found


@functools.cache
def _mcnemar_p(b: int, c: int) -> float:
    m = b + c
    if m < 25:
        return min(1.0, 2.0 * float(sps.binom.cdf(min(b, c), m, 0.5)))
    return float(sps.chi2.sf((abs(b - c) - 1.0) ** 2 / m, 1))


def mcnemar_moves(changes: pd.DataFrame, threshold: int) -> list[str]:
    found = []
    for row in _records(changes):
        if row.get("test") != "mcnemar":
            continue
        where = f"mcnemar {row['indicator_id']} {row['from_wave']}→{row['to_wave']}"
        n_p = _num(row.get("n_paired"))
        m = _num(row.get("n_changed"))
        before, after = _num(row.get("before")), _num(row.get("after"))
        if n_p is not None and m is not None and before is not None and after is not None:
            diff = round((after - before) * n_p)
            b, c = (m - diff) / 2, (m + diff) / 2
            if _small(b, threshold) or _small(c, threshold):
                found.append(f"{where}: b = {b:.0f}, c = {c:.0f} from the shares")
        stat = _num(row.get("statistic"))
        if stat is not None and m is not None and m < 25 and _small(stat, threshold):
            found.append(f"{where}: min(b, c) = statistic = {stat:.0f}")
        p = _num(row.get("p_value"))
        if p is not None and n_p is not None:
            candidates = [(b, c) for b in range(int(n_p) + 1) for c in range(int(n_p) + 1 - b)
                          if b + c > 0 and abs(_mcnemar_p(b, c) - p) < 1e-9]
            effect = _num(row.get("effect_size"))
            if effect is not None:
                candidates = [(b, c) for b, c in candidates
                              if abs((c / b if b and c else (c + .5) / (b + .5)) - effect) < 1e-6]
            if candidates and all(_small(min(b, c), threshold) for b, c in candidates):
                found.append(f"{where}: every (b, c) giving p = {p:.4g} has a count below "
                             f"{threshold}: {candidates[:3]}")
    return found


def wilcoxon_moves(changes: pd.DataFrame, threshold: int) -> list[str]:
    found = []
    smallest_sum = threshold * (threshold + 1) / 2
    for row in _records(changes):
        if row.get("test") != "wilcoxon":
            continue
        where = f"wilcoxon {row['indicator_id']} {row['from_wave']}→{row['to_wave']}"
        r, w, m = _num(row.get("effect_size")), _num(row.get("statistic")), _num(row.get("n_changed"))
        total = None
        if m is not None:
            total = m * (m + 1) / 2
        elif w is not None and r is not None and abs(r) < 1:
            total = 2 * w / (1 - abs(r))
        if total is not None and r is not None:
            minority = total * (1 - abs(r)) / 2
            if 0 < round(minority, 6) < smallest_sum:
                found.append(f"{where}: the minority direction's rank sum is {minority:.1f}, "
                             f"so fewer than {threshold} people moved that way")
        n_p = _num(row.get("n_paired"))
        if m is not None and n_p is not None and _small(n_p - m, threshold):
            found.append(f"{where}: {n_p - m:.0f} unchanged pairs")
    return found


def attack(tables: dict[str, pd.DataFrame], threshold: int = 5) -> list[str]:
    """Every attack on the tables of one publication (names as the step 3 sidecars)."""
    results = tables.get("results")
    changes = tables.get("changes")
    breakdowns = {k: v for k, v in tables.items() if k.startswith("breakdowns")}
    found = direct(tables, threshold)
    if results is not None:
        found += totals_minus_groups(results, breakdowns, threshold)
        found += sums_of_categories(results, tables.get("likert_distribution"),
                                    tables.get("reliable_change"), threshold)
        if changes is not None:
            found += wave_minus_paired(results, changes, threshold)
    if changes is not None:
        found += mcnemar_moves(changes, threshold)
        found += wilcoxon_moves(changes, threshold)
    return found


ATTACK_KINDS = ("direct counts and n", "class disclosure in groups", "totals minus shown groups",
                "sums of answer categories", "top-2 minus shown answers",
                "reliable-change third count", "wave minus paired",
                "McNemar b/c from shares", "McNemar b/c from statistic",
                "McNemar b/c from the p-value", "Wilcoxon moves from W and r",
                "Wilcoxon unchanged pairs")
