"""Importing survey responses from KoboToolbox, ODK Central, LimeSurvey and spreadsheets.

`import_responses(store, enterprise_id, wave_code, export_file, xlsform_file)` is the
one entry point (the `vises import` command and the dashboards call it).
"""

from .problems import ImportProblems, Problem
from .storing import ImportReport, import_responses

__all__ = ["ImportProblems", "ImportReport", "Problem", "import_responses"]
