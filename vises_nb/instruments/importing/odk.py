"""ODK Central CSV exports: `SubmissionDate`, `meta-instanceID`, `KEY`, group paths with `-`.

Repeat groups come as separate CSV files whose `PARENT_KEY` starts with the
submission's `KEY` (`uuid:.../repeat[1]` for nested ones). `FormVersion` holds the
XLSForm's settings version when Central includes it.
"""

from __future__ import annotations

from vises_nb.instruments.importing.layout import Layout, lower_set

META = frozenset({"submissiondate", "meta-instanceid", "meta-instancename", "meta-audit",
                  "meta-deprecatedid", "key", "parent_key", "submitterid", "submittername",
                  "attachmentspresent", "attachmentsexpected", "status", "reviewstate",
                  "deviceid", "edits", "formversion", "instanceid"})


def _claims(headers: list[str]) -> bool:
    low = lower_set(headers)
    return "submissiondate" in low or "meta-instanceid" in low or "parent_key" in low


LAYOUT = Layout(
    name="ODK Central", meta=META, separators=("-", "/"), submission_keys=("key",
    "meta-instanceid"), version_columns=("formversion",), meta_prefixes=(), claims=_claims,
)
