"""What distinguishes one tool's export from another's, as data.

Each source format (kobo.py, odk.py, limesurvey.py, plain.py) describes its meta
columns, how group paths are joined in headers, which column identifies a submission
when the form has no respondent code, and how repeat tables point at their parent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Layout:
    name: str
    meta: frozenset[str]  # lower-case names of the tool's own columns
    separators: tuple[str, ...] = ("/",)
    submission_keys: tuple[str, ...] = ()  # identify a submission (lower-case)
    version_columns: tuple[str, ...] = ()  # hold the XLSForm version (lower-case)
    meta_prefixes: tuple[str, ...] = ("_",)
    claims: Callable[[list[str]], bool] = field(default=lambda headers: False)
    answer_codes: Callable[[str], str] = field(default=lambda value: value)
    meta_pattern: re.Pattern[str] | None = None  # more meta columns (lower-case, whole)
    # the tool writes d/m/y or m/d/y by its owner's country (see `importing.dates`)
    either_date_order: Callable[[list[str]], bool] = field(default=lambda headers: False)
    clock_column: Callable[[list[str]], int | None] = field(default=lambda headers: None)
    # what a select_multiple's chosen labels are joined with in one cell ('' : names
    # separated by spaces, as KoboToolbox and ODK write them)
    choice_joins: tuple[str, ...] = ()

    def is_meta(self, header: str) -> bool:
        low = header.strip().lower()
        return low in self.meta or (bool(low) and low.startswith(self.meta_prefixes)) or (
            self.meta_pattern is not None and self.meta_pattern.fullmatch(low) is not None)


def lower_set(headers: list[str]) -> set[str]:
    return {h.strip().lower() for h in headers}
