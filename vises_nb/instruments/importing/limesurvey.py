"""LimeSurvey CSV exports: question codes (or full-text headings) and answer codes.

Meta columns are `id`, `submitdate`, `lastpage`, `startlanguage`, `seed`... or their
full-text headings ("Response ID", "Date submitted"...). Answers may be codes `A1`..`An`
(the k-th choice) and `Y`/`N` for yes/no and ticked options; subquestions are headed
`Q[SQ001]`.
"""

from __future__ import annotations

import re

from vises_nb.instruments.importing.layout import Layout, lower_set

META = frozenset({"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate",
                  "datestamp", "ipaddr", "refurl", "token", "response id", "date submitted",
                  "last page", "start language", "date started", "date last action",
                  "ip address", "referrer url", "interviewtime",
                  "total time"})


def _claims(headers: list[str]) -> bool:
    low = lower_set(headers)
    return ({"id", "submitdate"} <= low or {"lastpage", "startlanguage"} <= low
            or {"response id", "last page"} <= low or {"response id", "start language"} <= low)


def answer_code(value: str) -> str:
    """`A3` -> `3`, `Y` -> `1`, `N` -> `0`; anything else unchanged."""
    match = re.fullmatch(r"A0*(\d+)", value)
    if match:
        return match.group(1)
    return {"Y": "1", "N": "0"}.get(value, value)


LAYOUT = Layout(
    name="LimeSurvey", meta=META, separators=("_", "/"), submission_keys=("id",
    "response id"), meta_prefixes=("grouptime", "groupTime".lower()), claims=_claims,
    answer_codes=answer_code,
)
