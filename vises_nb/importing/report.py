"""What an import did, for the person who ran it and for the dashboards."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    import_id: str | None = None

    def summary(self) -> str:
        if self.already_imported:
            return (f"{self.file} was already imported for {self.enterprise_id} "
                    f"{self.wave_code}: nothing added")
        text = (f"{self.file} ({self.source_format}): {self.rows_read} row(s), "
                f"{self.respondents} respondent(s), {self.responses} answer(s) stored for "
                f"{self.enterprise_id} {self.wave_code}, instrument {self.instrument_id}")
        if self.replaced:
            text += f"; {self.replaced} earlier answer(s) replaced"
        if self.personal_columns or self.personal_answers:
            text += (f"; personal data not stored: columns {', '.join(self.personal_columns)}"
                     f" and {self.personal_answers} answer(s)")
        return text
