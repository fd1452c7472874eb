"""Writers of synthetic export files in the exact shapes the real tools produce.

Shapes learnt from the real files in ../shared/realworld and from KoboToolbox formpack /
ODK Central: Kobo CSV is `;`-separated with every field quoted, group paths joined by
`/`, meta columns `_id` ... `_index` at the end; ODK Central starts with
`SubmissionDate`, joins groups with `-` and ends with `KEY`, `SubmitterID`...;
LimeSurvey starts with `id`, `submitdate`, `lastpage`, `startlanguage`, `seed`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

QUESTIONS = ["network_size/network_size", "self_confidence/self_confidence",
             "services_known/services_known", "wellbeing_index/wb_fatigue",
             "wellbeing_index/wb_getting_up", "wellbeing_index/wb_illness",
             "wellbeing_index/wb_pain", "wellbeing_index/wb_sleep"]
KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]


def answers(n: int, shift: int = 0, wave: str = "T0") -> list[dict[str, str]]:
    """n respondents R001.. with deterministic answers to the E09 questionnaire."""
    rows = []
    for k in range(n):
        rows.append({
            "respondent_code": f"R{k + 1:03d}", "wave": wave,
            "network_size/network_size": str(1 + (k + shift) % 3),
            "self_confidence/self_confidence": str(1 + (k + shift) % 5),
            "services_known/services_known": f"{k % 15}",
            **{q: str(1 + (k + j + shift) % 4) for j, q in enumerate(QUESTIONS[3:])},
        })
    return rows


def kobo_csv(path: Path, rows: list[dict[str, str]], sep: str = ";",
             encoding: str = "utf-8") -> Path:
    headers = ["start", "end", "respondent_code", "wave", *QUESTIONS, *KOBO_META]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(headers)
    for k, row in enumerate(rows, start=1):
        meta = [str(1000 + k), f"5f8a{k:04d}-0000-4000-8000-00000000{k:04d}",
                "2024-03-01T10:00:00", "", "[]", "submitted_via_web", "", "vHbVxS4Vv6", "[]",
                str(k)]
        writer.writerow(["2024-03-01T09:50:00.000+01:00", "2024-03-01T09:58:00.000+01:00",
                         *(row.get(h, "") for h in headers[2:4 + len(QUESTIONS)]), *meta])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def kobo_xlsx(path: Path, rows: list[dict[str, str]], headers: list[str] | None = None,
              meta: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "vises_E09"
    headers = headers or ["start", "end", "respondent_code", "wave", *QUESTIONS]
    sheet.append(headers + (KOBO_META if meta else []))
    for k, row in enumerate(rows, start=1):
        values = [row.get(h, "") for h in headers]
        sheet.append(values + ([1000 + k, f"uuid-{k}", "2024-03-01T10:00:00", "", "", "", "",
                                "vHbVxS4Vv6", "", k] if meta else []))
    book.save(path)
    return path


def odk_csv(path: Path, rows: list[dict[str, str]], version: str) -> Path:
    questions = [q.replace("/", "-") for q in QUESTIONS]
    headers = ["SubmissionDate", "start", "end", "respondent_code", "wave", *questions,
               "meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
               "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
               "FormVersion"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for k, row in enumerate(rows, start=1):
        instance = f"uuid:0a1b2c3d-0000-4000-8000-{k:012d}"
        writer.writerow(["2024-03-01T10:00:00.000Z", "2024-03-01T09:50:00.000+01:00",
                         "2024-03-01T09:58:00.000+01:00", row["respondent_code"], row["wave"],
                         *(row[q] for q in QUESTIONS), instance, instance, "12", "enqueteur",
                         "0", "0", "", "", "collect:abc", "0", version])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def limesurvey_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    codes = [q.split("/")[1] for q in QUESTIONS]
    headers = ["id", "submitdate", "lastpage", "startlanguage", "seed", "respondent_code",
               *codes]
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(headers)
    for k, row in enumerate(rows, start=1):
        values = []
        for q in QUESTIONS:
            values.append(row[q] if q.startswith("services") else f"A{row[q]}")
        writer.writerow([str(k), "1980-01-01 00:00:00", "3", "fr", "12345",
                         row["respondent_code"], *values])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def google_csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    """Google's CSV: every field quoted, `,` separated, CRLF, UTF-8; the response time and
    the e-mail address first, headed in the form owner's language."""
    lines = [",".join('"' + v.replace('"', '""') + '"' for v in row)
             for row in [headers, *rows]]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path
