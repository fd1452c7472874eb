"""Step 2 files: download the enterprise's questionnaire as an XLSForm, upload a response
export (KoboToolbox, ODK Central, LimeSurvey or a plain table) and see the import report.

Uploaded bytes go to a private temporary folder under their bare file name (no path from
the browser is ever used), are imported by `vises_nb.instruments.importing`, then deleted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ipywidgets as widgets

from vises_nb import i18n
from vises_nb.dashboards.downloads import data_link
from vises_nb.dashboards.workspace.form import _escape
from vises_nb.errors import VisesError
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.xlsform import questionnaire_bytes
from vises_nb.method import vocabulary as voc
from vises_nb.store.store import Store

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_name(name: str) -> str:
    """The file's own name only, so an upload can never write outside its folder."""
    bare = Path(name.replace("\\", "/")).name
    return bare if bare not in ("", ".", "..") else "upload"


def import_upload(store: Store, enterprise_id: str, wave: str, export: tuple[str, bytes],
                  form: tuple[str, bytes] | None, lang: str,
                  date_order: str | None = None) -> tuple[bool, str]:
    """Import uploaded files; (True, summary) or (False, every problem, one per line).

    A refused file changes nothing in the store (the importer checks it whole first).
    """
    with tempfile.TemporaryDirectory(prefix="vises-upload-") as folder:
        export_path = Path(folder) / _safe_name(export[0])
        export_path.write_bytes(export[1])
        form_path = None
        if form is not None:
            # under its own name: the import keeps the form file, and names it so
            (Path(folder) / "form").mkdir()
            form_path = Path(folder) / "form" / _safe_name(form[0])
            form_path.write_bytes(form[1])
        try:
            report = import_responses(store, enterprise_id, wave, export_path, form_path,
                                      date_order=date_order or None)
        except ImportProblems as exc:
            return False, i18n.t("ws.import_failed", lang) + "\n" + "\n".join(exc.lines(lang))
        except VisesError as exc:
            return False, i18n.t("ws.import_failed", lang) + "\n" + exc.message(lang)
    return True, i18n.t("ws.import_ok", lang) + "\n" + report.summary(lang)


def _uploaded(widget: widgets.FileUpload) -> tuple[str, bytes] | None:
    if not widget.value:
        return None
    first = widget.value[0]
    return first["name"], bytes(first["content"])


class CollectionFiles:
    """Questionnaire download and response upload for one enterprise."""

    def __init__(self, store: Store, enterprise_id: str, lang: str, on_import=None):
        self.store, self.enterprise_id, self.lang = store, enterprise_id, lang
        self.on_import = on_import
        self.download = widgets.Button(description=i18n.t("ws.questionnaire_make", lang),
                                       icon="download", layout=widgets.Layout(width="auto"))
        self.download.add_class("vises-questionnaire-make")
        self.link = widgets.HTML()
        self.link.add_class("vises-questionnaire-link")
        self.wave = widgets.Dropdown(options=[(t.label(lang), t.code) for t in voc.WAVES],
                                     description=i18n.t("wave", lang))
        self.wave.add_class("vises-upload-wave")
        self.export = widgets.FileUpload(accept=".csv,.txt,.xlsx,.xls,.ods", multiple=False,
                                         description=i18n.t("ws.upload_export", lang))
        self.export.add_class("vises-upload-export")
        self.form = widgets.FileUpload(accept=".xlsx,.xls,.xml", multiple=False,
                                       description=i18n.t("ws.upload_form", lang))
        self.form.add_class("vises-upload-form")
        # how the file writes its dates, when its own dates cannot say (Google Forms in
        # English: `vises import --date-order`)
        self.dates = widgets.Dropdown(options=[(i18n.t(f"ws.dates_{order or 'file'}", lang),
                                                order) for order in ("", "dmy", "mdy")],
                                      value="", description=i18n.t("ws.dates", lang))
        self.dates.add_class("vises-upload-dates")
        self.run = widgets.Button(description=i18n.t("ws.import_button", lang), icon="upload",
                                  button_style="primary")
        self.run.add_class("vises-upload-import")
        self.report = widgets.HTML()
        self.report.add_class("vises-import-report")
        self.download.on_click(lambda _b: self.make_questionnaire())
        self.run.on_click(lambda _b: self.import_files())
        self.box = widgets.VBox([
            widgets.HBox([self.download, self.link]),
            widgets.HBox([self.wave, self.export, self.form, self.dates, self.run]),
            self.report,
        ])

    def make_questionnaire(self) -> None:
        try:
            content = questionnaire_bytes(self.store, self.enterprise_id)
        except VisesError as exc:
            self.link.value = f"<span class='vises-error'>{_escape(exc.message(self.lang))}</span>"
            return
        self.link.value = data_link(content, f"questionnaire-{self.enterprise_id}.xlsx",
                                    XLSX_MIME, i18n.t("ws.questionnaire_download", self.lang),
                                    "vises-download-xlsform")

    def import_files(self) -> bool:
        export = _uploaded(self.export)
        if export is None:
            self.report.value = (f"<p class='vises-error'>"
                                 f"{_escape(i18n.t('ws.upload_missing', self.lang))}</p>")
            return False
        ok, text = import_upload(self.store, self.enterprise_id, self.wave.value, export,
                                 _uploaded(self.form), self.lang, self.dates.value or None)
        lines = text.splitlines()
        css = "vises-import-ok" if ok else "vises-error"
        items = "".join(f"<li>{_escape(line)}</li>" for line in lines[1:])
        self.report.value = (f"<div class='{css}'><strong>{_escape(lines[0])}</strong>"
                             f"<ul>{items}</ul></div>")
        if ok and self.on_import is not None:
            self.on_import()
        return ok
