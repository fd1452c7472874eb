"""An enterprise's own hand-written XLSForm and its answers in the real tools' shapes.

The form names things its own way: the respondent code is `repondant`, labels are French
and Dutch, choice lists are its own (a 4-level frequency, oui/non, services), a
select_multiple, an integer and a free text. `vises` is the extra analysis-plan column.
Export shapes follow tests/exports.py (Kobo XLSX: group paths joined by `/`, 0/1 option
columns beside a select_multiple, meta columns `_id` ... `_index` at the end; ODK
Central CSV: `SubmissionDate` first, groups joined by `-`, `KEY` ... `FormVersion`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from forms_builder import workbook, xlsform

FREQ = [("jamais", "Jamais", "Nooit"), ("parfois", "Parfois", "Soms"),
        ("souvent", "Souvent", "Vaak"), ("toujours", "Toujours", "Altijd")]
SERVICES = [("cpas", "CPAS", "OCMW"), ("forem", "Forem", "VDAB"),
            ("mutuelle", "Mutuelle", "Ziekenfonds")]
KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]
VERSION = "2024-01"


def own_form(path: Path, code_question: str = "repondant", vises_code: bool = False,
             link: str = "indicator:stable_contract", satisfaction_link: str = "") -> Path:
    survey = [
        ["type", "name", "label::Français (fr)", "label::Nederlands (nl)", "required", "vises"],
        ["start", "start", "", "", "", ""],
        ["end", "end", "", "", "", ""],
        ["text", code_question, "Code du répondant", "Code van de deelnemer", "yes",
         "respondent_code" if vises_code else ""],
        ["select_one vague", "wave", "Vague", "Golf", "yes", ""],
        ["begin_group", "suivi", "Suivi", "Opvolging", "", ""],
        ["select_one freq", "satisfaction", "Êtes-vous satisfait·e ?", "Bent u tevreden?",
         "yes", satisfaction_link],
        ["select_one oui_non", "emploi", "Avez-vous un contrat stable ?",
         "Hebt u een vast contract?", "yes", link],
        ["select_multiple services", "aides", "Services utilisés", "Gebruikte diensten", "",
         ""],
        ["integer", "heures", "Heures de formation", "Uren opleiding", "",
         "indicator:training_hours"],
        ["text", "commentaire", "Un commentaire ?", "Een opmerking?", "", ""],
        ["end_group", "", "", "", "", ""],
    ]
    choices = [
        ["list_name", "name", "label::Français (fr)", "label::Nederlands (nl)"],
        ["vague", "T0", "Entrée", "Instap"], ["vague", "T1", "Sortie", "Uitstap"],
        *(["freq", *option] for option in FREQ),
        ["oui_non", "oui", "Oui", "Ja"], ["oui_non", "non", "Non", "Nee"],
        *(["services", *option] for option in SERVICES),
    ]
    return xlsform(path, survey, choices,
                   {"form_id": "suivi_stagiaires", "form_title": "Suivi des stagiaires",
                    "version": VERSION, "default_language": "Français (fr)"})


def one_question_form(path: Path, question: str, choices: list[tuple[str, str]]) -> Path:
    """A hand-written XLSForm asking a code (`repondant`) and one select_one `question`
    with its own list `mes_choix` of (name, French label) choices."""
    return xlsform(path, [["type", "name", "label::Français (fr)", "required"],
                          ["text", "repondant", "Code", "yes"],
                          ["select_one mes_choix", question, "Ma question à moi", "yes"]],
                   [["list_name", "name", "label::Français (fr)"],
                    *(["mes_choix", name, label] for name, label in choices)])


def people(n: int, wave: str, shift: int = 0, prefix: str = "BXL-") -> list[dict[str, str]]:
    """n respondents with deterministic answers; codes like `BXL-007`."""
    rows = []
    for k in range(n):
        picked = [s for j, (s, _, _) in enumerate(SERVICES) if (k + j + shift) % 2 == 0]
        rows.append({
            "repondant": f"{prefix}{k + 1:03d}", "wave": wave,
            "satisfaction": FREQ[(k + shift) % 4][0],
            "emploi": "oui" if (k + shift) % 3 else "non",
            "aides": " ".join(picked), "heures": str(10 + (k * 7 + shift) % 30),
            "commentaire": "" if k % 4 else f"Très bien, merci ({k})",
        })
    return rows


QUESTIONS = ["satisfaction", "emploi", "aides", "heures", "commentaire"]


def kobo_xlsx(path: Path, rows: list[dict[str, str]], labels: bool = False) -> Path:
    """Kobo's XLSX export: `group/question`, then one 0/1 column per select_multiple option."""
    headers = ["start", "end", "repondant", "wave"]
    for q in QUESTIONS:
        headers.append(f"suivi/{q}")
        if q == "aides":
            headers += [f"suivi/aides/{s}" for s, _, _ in SERVICES]
    sheet = [headers + KOBO_META]
    for k, row in enumerate(rows, start=1):
        values = ["2024-03-01T09:50:00.000+01:00", "2024-03-01T09:58:00.000+01:00",
                  row["repondant"], row["wave"]]
        for q in QUESTIONS:
            values.append(row[q])
            if q == "aides":
                values += [1 if s in row["aides"].split() else 0 for s, _, _ in SERVICES]
        sheet.append(values + [1000 + k, f"uuid-{k}", "2024-03-01T10:00:00", "", "", "",
                               "", VERSION, "", k])
    return workbook(path, {"suivi_stagiaires": sheet})


def odk_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """ODK Central's CSV export: groups joined by `-`, select_multiple as space-separated
    names (ODK Central writes no option columns by default)."""
    headers = ["SubmissionDate", "start", "end", "repondant", "wave",
               *(f"suivi-{q}" for q in QUESTIONS), "meta-instanceID", "KEY", "SubmitterID",
               "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
               "ReviewState", "DeviceID", "Edits", "FormVersion"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for k, row in enumerate(rows, start=1):
        instance = f"uuid:0a1b2c3d-0000-4000-8000-{k:012d}"
        writer.writerow(["2024-06-01T10:00:00.000Z", "2024-06-01T09:50:00.000+01:00",
                         "2024-06-01T09:58:00.000+01:00", row["repondant"], row["wave"],
                         *(row[q] for q in QUESTIONS), instance, instance, "12", "enqueteur",
                         "0", "0", "", "", "collect:abc", "0", VERSION])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def plain_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    headers = ["repondant", "wave", *QUESTIONS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row[h] for h in headers])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
