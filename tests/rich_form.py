"""An enterprise's hand-written XLSForm using what XLSForm offers, and Kobo exports of it.

The form mixes `label` without language with `label::Français (fr)` / `label::English (en)`,
has a `required_message`, `relevant` skips, a cascading select (`choice_filter`), a
`select_one ... or_other`, a select_multiple whose choice names hold dots and dashes
(`c.p.a.s`, `forem-ie`), nested groups (`begin_group` and `begin group`), a `calculate`, a
`note`, a `select_one_from_file`, a geopoint and a repeat, with a settings sheet (form_id,
version, default_language). pyxform converts it (with its or_other warning).

The exports follow KoboToolbox's (formpack) shapes: group paths joined by the separator
chosen in the export settings (`/` by default) or left out, one 0/1 (or True/False) column
per select_multiple option named `<question><sep><choice>`, geopoint parts
`_<path>_latitude`..., `<question>_other` for the 'other, specify' text, `meta/instanceID`
and the meta columns `_id` ... `_index`, repeats on their own sheet joined by
`_parent_index` and `_submission__uuid`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from forms_builder import workbook

HEAD = ["type", "name", "label", "label::Français (fr)", "label::English (en)",
        "hint::Français (fr)", "required", "required_message::Français (fr)", "relevant",
        "calculation", "choice_filter", "appearance", "vises"]

def row(type_, name, label="", fr="", en="", **kw):
    r = dict(type=type_, name=name, label=label, **{"label::Français (fr)": fr, "label::English (en)": en}, **kw)
    return [r.get(h, "") for h in HEAD]

def rich_form(path, survey_title="survey", choices_title="choices", settings_title="settings",
              extra_rows=(), version="2024-03"):
    rows = [
        row("start", "start"), row("end", "end"), row("today", "today"),
        row("text", "repondant", "", "Code du répondant", "Respondent code", required="yes",
            **{"required_message::Français (fr)": "Le code est obligatoire"}),
        row("select_one vague", "wave", "", "Vague", "Wave", required="yes"),
        row("begin_group", "identite", "", "Identité", "Identity"),
        row("select_one province", "prov", "", "Province", "Province"),
        row("select_one commune", "commune", "", "Commune", "Municipality", choice_filter="province=${prov}"),
        row("end_group", ""),
        row("begin group", "suivi", "", "Suivi", "Follow-up"),
        row("begin_group", "ressenti", "", "Ressenti", "Feelings"),
        row("select_one freq or_other", "satisfaction", "", "Êtes-vous satisfait·e ?", "Are you satisfied?", required="yes"),
        row("select_multiple services", "aides", "", "Services utilisés", "Services used"),
        row("end_group", ""),
        row("integer", "heures", "", "Heures de formation", "Training hours", relevant="${satisfaction} != 'jamais'"),
        row("decimal", "salaire", "", "Salaire horaire", "Hourly wage"),
        row("calculate", "heures_x2", calculation="${heures} * 2"),
        row("note", "merci", "", "Merci !", "Thanks!"),
        row("select_one_from_file communes.csv", "commune_ext", "", "Commune (liste)", "Municipality (list)"),
        row("geopoint", "gps", "", "Position", "Location"),
        row("begin_repeat", "formations", "", "Formations", "Trainings"),
        row("text", "formation_nom", "", "Nom de la formation", "Training name"),
        row("integer", "formation_heures", "", "Heures", "Hours"),
        row("end_repeat", ""),
        row("text", "commentaire", "", "Un commentaire ?", "A comment?"),
        row("end group", ""),
        *extra_rows,
    ]
    c = [["list_name", "name", "label", "label::Français (fr)", "label::English (en)", "province"]]
    for n, fr, en in (("T0", "Entrée", "Entry"), ("T1", "Sortie", "Exit")):
        c.append(["vague", n, "", fr, en, ""])
    for n, fr, en in (("jamais", "Jamais", "Never"), ("parfois", "Parfois", "Sometimes"),
                      ("souvent", "Souvent", "Often"), ("toujours", "Toujours", "Always")):
        c.append(["freq", n, "", fr, en, ""])
    for n, fr, en in (("c.p.a.s", "CPAS", "Welfare centre"), ("forem-ie", "Forem", "Job centre"),
                      ("mutuelle", "Mutuelle", "Health fund")):
        c.append(["services", n, "", fr, en, ""])
    for n, fr in (("namur", "Namur"), ("liege", "Liège")):
        c.append(["province", n, "", fr, fr, ""])
    for n, fr, p in (("jambes", "Jambes", "namur"), ("dinant", "Dinant", "namur"), ("huy", "Huy", "liege")):
        c.append(["commune", n, "", fr, fr, p])
    # its sheets keep the titles asked for: workbook, not xlsform
    return workbook(path, {survey_title: [HEAD, *rows], choices_title: c, settings_title: [
        ["form_id", "form_title", "version", "default_language"],
        ["suivi_riche", "Suivi riche", version, "Français (fr)"]]})

KMETA = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
         "_submitted_by", "__version__", "_tags", "_index"]
SERV = ["c.p.a.s", "forem-ie", "mutuelle"]
FREQ = ["jamais", "parfois", "souvent", "toujours"]

def people(n, wave="T0", start=0):
    out = []
    for k in range(start, start + n):
        picked = [s for j, s in enumerate(SERV) if (k + j) % 2 == 0]
        sat = FREQ[k % 4] if k % 5 else "other"
        out.append({"repondant": f"BXL-{k+1:03d}", "wave": wave, "prov": "namur" if k % 2 else "liege",
                        "commune": "jambes" if k % 2 else "huy", "satisfaction": sat,
                        "satisfaction_other": "Ça dépend" if sat == "other" else "",
                        "aides": " ".join(picked), "heures": str(10 + k) if sat != "jamais" else "",
                        "salaire": f"{12 + k % 3}.5", "heures_x2": str(2 * (10 + k)) if sat != "jamais" else "",
                        "commune_ext": "jambes", "gps": f"50.4{k} 4.8{k} 100 5",
                        "commentaire": "" if k % 3 else f"Très bien {k}",
                        "formations": [(f"Cours {k}-{j}", str(3 + j)) for j in range(k % 3)]})
    return out

def kobo_headers(sep="/", groups=True):
    def g(*parts):
        return sep.join(parts) if groups else parts[-1]
    h = ["start", "end", "today", "repondant", "wave", g("identite", "prov"), g("identite", "commune"),
         g("suivi", "ressenti", "satisfaction"), g("suivi", "ressenti", "satisfaction_other"),
         g("suivi", "ressenti", "aides"), *[(g("suivi", "ressenti", "aides", s) if groups else sep.join(("aides", s))) for s in SERV],
         g("suivi", "heures"), g("suivi", "salaire"), g("suivi", "heures_x2"), g("suivi", "commune_ext"),
         g("suivi", "gps"), *["_" + g("suivi", "gps") + "_" + p for p in ("latitude", "longitude", "altitude", "precision")],
         g("suivi", "commentaire"), "meta/instanceID" if groups else "instanceID", *KMETA]
    return h

def kobo_row(k, p, version="2024-03", bool_ticks=False):
    lat, lon, alt, prec = p["gps"].split()
    tick = (lambda b: "True" if b else "False") if bool_ticks else (lambda b: 1 if b else 0)
    return ["2024-03-01T09:50:00.000+01:00", "2024-03-01T09:58:00.000+01:00", "2024-03-01",
            p["repondant"], p["wave"], p["prov"], p["commune"], p["satisfaction"], p["satisfaction_other"],
            p["aides"], *[tick(s in p["aides"].split()) for s in SERV], p["heures"], p["salaire"],
            p["heures_x2"], p["commune_ext"], p["gps"], lat, lon, alt, prec, p["commentaire"],
            f"uuid:5f8a{k:04d}-0000-4000-8000-00000000{k:04d}",
            1000 + k, f"5f8a{k:04d}-0000-4000-8000-00000000{k:04d}", "2024-03-01T10:00:00",
            "", "", "submitted_via_web", "", version, "", k]

def kobo_xlsx(path, ppl, sep="/", groups=True, version="2024-03", bool_ticks=False):
    book = openpyxl.Workbook()
    s = book.active; s.title = "Suivi riche"
    s.append(kobo_headers(sep, groups))
    rep = book.create_sheet("formations")
    g = (lambda *p: sep.join(p)) if groups else (lambda *p: p[-1])
    rep.append([g("suivi", "formations", "formation_nom"), g("suivi", "formations", "formation_heures"),
                "_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid"])
    r = 0
    for k, p in enumerate(ppl, start=1):
        s.append(kobo_row(k, p, version, bool_ticks))
        for nom, h in p["formations"]:
            r += 1
            rep.append([nom, int(h), r, "Suivi riche", k, 1000 + k, f"5f8a{k:04d}-0000-4000-8000-00000000{k:04d}"])
    book.save(path)
    return path

def kobo_csv(path, ppl, sep="/", groups=True, delim=";", version="2024-03"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(kobo_headers(sep, groups))
    for k, p in enumerate(ppl, start=1):
        w.writerow(kobo_row(k, p, version))
    Path(path).write_text(buf.getvalue(), encoding="utf-8")
    return path


# Kobo "Labels" export: headers and choices as the form's labels (here French), groups'
# labels joined by `/` (or left out), the or_other text under pyxform's label.
LABELS = {"repondant": "Code du répondant", "wave": "Vague", "prov": "Province",
          "commune": "Commune", "satisfaction": "Êtes-vous satisfait·e ?",
          "aides": "Services utilisés", "heures": "Heures de formation",
          "salaire": "Salaire horaire", "heures_x2": "heures_x2",
          "commune_ext": "Commune (liste)", "gps": "Position", "commentaire": "Un commentaire ?"}
GROUP_LABELS = {"prov": ["Identité"], "commune": ["Identité"],
                "satisfaction": ["Suivi", "Ressenti"], "aides": ["Suivi", "Ressenti"]}
CHOICE_LABELS = {"T0": "Entrée", "T1": "Sortie", "jamais": "Jamais", "parfois": "Parfois",
                 "souvent": "Souvent", "toujours": "Toujours", "other": "Other",
                 "c.p.a.s": "CPAS", "forem-ie": "Forem", "mutuelle": "Mutuelle",
                 "namur": "Namur", "liege": "Liège", "jambes": "Jambes", "huy": "Huy"}


def kobo_labels_csv(path, ppl, groups=True):
    def head(q):
        groups_of = GROUP_LABELS.get(q, ["Suivi"] if q in (
            "heures", "salaire", "heures_x2", "commune_ext", "gps", "commentaire") else [])
        return "/".join([*groups_of, LABELS[q]]) if groups else LABELS[q]
    other = "Suivi/Ressenti/Specify other." if groups else "Specify other."
    heads = ["start", "end", "today", head("repondant"), head("wave"), head("prov"),
             head("commune"), head("satisfaction"), other, head("aides"),
             *[head("aides") + "/" + CHOICE_LABELS[s] for s in SERV], head("heures"),
             head("salaire"), head("heures_x2"), head("commune_ext"), head("gps"),
             *["_" + head("gps") + "_" + p for p in ("latitude", "longitude", "altitude",
                                                      "precision")],
             head("commentaire"), "meta/instanceID", *KMETA]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(heads)
    for k, p in enumerate(ppl, start=1):
        cells = kobo_row(k, p)
        # a select_one_from_file's answer stays its name (formpack has no labels for it)
        for at, q in ((4, "wave"), (5, "prov"), (6, "commune"), (7, "satisfaction")):
            cells[at] = CHOICE_LABELS[p[q]]
        cells[9] = " ".join(CHOICE_LABELS[x] for x in p["aides"].split())
        writer.writerow(cells)
    Path(path).write_text(buffer.getvalue(), encoding="utf-8")
    return path


def odk_central_csv(path, ppl, groups=True, review=None):
    """ODK Central's CSV export (groups joined by `-`, or left out: "Remove group
    names"), geopoint parts `<path>-Latitude`..., the repeat in its own file joined on
    `PARENT_KEY`; `review` maps a row (1-based) to its `ReviewState`."""
    def g(*parts):
        return "-".join(parts) if groups else parts[-1]
    heads = ["SubmissionDate", "start", "end", "today", "repondant", "wave",
             g("identite", "prov"), g("identite", "commune"),
             g("suivi", "ressenti", "satisfaction"), g("suivi", "ressenti", "satisfaction_other"),
             g("suivi", "ressenti", "aides"), g("suivi", "heures"), g("suivi", "salaire"),
             g("suivi", "heures_x2"), g("suivi", "merci"), g("suivi", "commune_ext"),
             *[g("suivi", "gps") + "-" + x for x in ("Latitude", "Longitude", "Altitude",
                                                     "Accuracy")],
             g("suivi", "commentaire"), g("meta", "instanceID"), "KEY", "SubmitterID",
             "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
             "ReviewState", "DeviceID", "Edits", "FormVersion"]
    main, repeat = io.StringIO(), io.StringIO()
    writer, repeat_writer = (csv.writer(main, lineterminator="\n"),
                             csv.writer(repeat, lineterminator="\n"))
    writer.writerow(heads)
    repeat_writer.writerow(["formation_nom", "formation_heures", "PARENT_KEY", "KEY"])
    for k, p in enumerate(ppl, start=1):
        instance = f"uuid:0a1b2c3d-0000-4000-8000-{k:012d}"
        writer.writerow([
            "2024-06-01T10:00:00.000Z", "2024-06-01T09:50:00.000+02:00",
            "2024-06-01T09:58:00.000+02:00", "2024-06-01", p["repondant"], p["wave"],
            p["prov"], p["commune"], p["satisfaction"], p["satisfaction_other"], p["aides"],
            p["heures"], p["salaire"], p["heures_x2"], "", p["commune_ext"],
            *p["gps"].split(), p["commentaire"], instance, instance, "12", "enqueteur", "0",
            "0", "", (review or {}).get(k, ""), "collect:abc", "0", "2024-03"])
        for j, (name, hours) in enumerate(p["formations"], start=1):
            repeat_writer.writerow([name, hours, instance, f"{instance}/suivi/formations[{j}]"])
    path = Path(path)
    path.write_text(main.getvalue(), encoding="utf-8")
    repeat_path = path.with_name(path.stem + "-formations.csv")
    repeat_path.write_text(repeat.getvalue(), encoding="utf-8")
    return path, repeat_path
