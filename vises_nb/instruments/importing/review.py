"""Submissions the collection tool's reviewer did not approve.

KoboToolbox lets a reviewer mark each submission "Approved", "Not approved" or "On hold"
(`_validation_status`, its label or its uid `validation_status_not_approved`); ODK
Central marks it `approved`, `hasIssues` or `rejected` (`ReviewState`). An export holds
every submission whatever its mark, and vises leaves the reviewer's meta columns out:
the rejected ones were imported and counted in step 3 without a word. They are still
imported (vises does not decide for the reviewer), and the import report says which rows
they are and how to leave them out (`vises clean exclude`).
"""

from __future__ import annotations

from vises_nb.errors import Message
from vises_nb.instruments.importing.files import Sheet
from vises_nb.instruments.importing.values import comparable

REVIEW_COLUMNS = ("_validation_status", "reviewstate")
REJECTED = frozenset({"validation_status_not_approved", "not approved", "not_approved",
                      "rejected", "non approuvé", "non approuve", "niet goedgekeurd",
                      "afgekeurd", "rejeté", "rejete"})


def rejected_warning(sheet: Sheet, enterprise_id: str, wave: str) -> Message | None:
    """The warning naming the rows a reviewer rejected, or None when there are none."""
    lower = [h.strip().lower() for h in sheet.headers]
    for name in REVIEW_COLUMNS:
        if name not in lower:
            continue
        position = lower.index(name)
        rows = [sheet.row_number(k) for k, row in enumerate(sheet.rows)
                if comparable(row[position]) in REJECTED]
        if rows:
            shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
            return Message("import.rejected", count=len(rows), column=sheet.headers[position],
                           rows=shown, enterprise=enterprise_id, wave=wave)
    return None
