"""What an import did, for the person who ran it and for the dashboards."""

from __future__ import annotations

from dataclasses import dataclass, field

from vises_nb import i18n
from vises_nb.errors import Message, current_language


@dataclass
class ImportReport:
    """What an import did: counts a coordinator checks, and what was left out and why."""

    file: str
    sha256: str
    enterprise_id: str
    wave_code: str
    instrument_id: str
    source_format: str
    rows_read: int = 0
    respondents: int = 0
    responses: int = 0
    replaced: int = 0
    already_imported: bool = False
    personal_columns: list[str] = field(default_factory=list)
    personal_answers: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    meta_columns: list[str] = field(default_factory=list)  # the tool's own, not answers
    import_id: str | None = None
    respondent_column: str | None = None  # the column the respondent codes came from
    respondent_how: str = ""  # option | form | name | detected
    warnings: list[Message] = field(default_factory=list)
    linked: int = 0  # items linked to an indicator by the form's `vises` column
    excerpts: int = 0  # free-text answers added as excerpts to code (not publishable yet)
    redecided: list[Message] = field(default_factory=list)  # own lists' order (re)declared
    form_used: str | None = None  # the kept form read with, when none was given

    def summary(self, lang: str | None = None) -> str:
        """One line in `lang` (default: the current language, see vises_nb.errors)."""
        lang = lang or current_language()
        if self.already_imported:
            return i18n.t("import.already", lang, file=self.file,
                          enterprise=self.enterprise_id, wave=self.wave_code) + \
                (i18n.t("import.form_used", lang, form=self.form_used)
                 if self.form_used else "") + \
                "".join("\n" + said.message(lang) for said in self.redecided)
        text = i18n.t("import.summary", lang, file=self.file, format=self.source_format,
                      rows=self.rows_read, respondents=self.respondents,
                      responses=self.responses, enterprise=self.enterprise_id,
                      wave=self.wave_code, instrument=self.instrument_id)
        if self.form_used:
            text += i18n.t("import.form_used", lang, form=self.form_used)
        if self.replaced:
            text += i18n.t("import.replaced", lang, count=self.replaced)
        if self.personal_columns or self.personal_answers:
            text += i18n.t("import.personal", lang, columns=", ".join(self.personal_columns),
                           answers=self.personal_answers)
        if self.meta_columns:
            text += i18n.t("import.meta_columns", lang, count=len(self.meta_columns),
                           columns=", ".join(self.meta_columns))
        if self.respondent_column:
            text += i18n.t("import.respondent_column", lang, column=self.respondent_column,
                           how=i18n.t(f"import.found_by.{self.respondent_how or 'name'}", lang))
        if self.linked:
            text += i18n.t("import.linked", lang, count=self.linked)
        if self.excerpts:
            text += i18n.t("import.excerpts", lang, count=self.excerpts)
        for said in self.redecided:
            text += "\n" + said.message(lang)
        for warning in self.warnings:
            text += "\n" + i18n.t("import.warning", lang) + " " + warning.message(lang)
        return text
