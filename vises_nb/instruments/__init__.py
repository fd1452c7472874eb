"""Questionnaires out (XLSForm) and survey exports in (KoboToolbox, ODK Central,
LimeSurvey, spreadsheets), and the cohort's data out (CSV, XLSX, Parquet, datapackage)."""
