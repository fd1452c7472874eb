"""Importing survey responses from KoboToolbox, ODK Central, LimeSurvey and spreadsheets.

`import_responses(store, enterprise_id, wave_code, export_file, xlsform_file)` is the
one entry point (the `vises import` command and the dashboards call it).
"""

from vises_nb.instruments.importing.problems import ImportProblems, Problem
from vises_nb.instruments.importing.storing import ImportReport, import_responses

__all__ = ["ImportProblems", "ImportReport", "Problem", "import_responses"]
