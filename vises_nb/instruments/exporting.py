"""The cohort's tidy tables out of the store: CSV, XLSX, Parquet and a Frictionless package.

Researchers take the data to R, Stata or a spreadsheet. CSV and XLSX cells holding text
that starts with `=`, `+`, `-` or `@` are prefixed with `'` so a spreadsheet never runs
them as formulas (answers typed by respondents end up there). `datapackage.json`
describes every CSV with a table schema derived from the store's own column types.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from vises_nb import __version__
from vises_nb.errors import VisesError
from vises_nb.files import PRIVATE, atomic_path, private_folder, write_atomic
from vises_nb.instruments.xlsx import write_xlsx
from vises_nb.store.schema import TABLES
from vises_nb.store.store import Store
from vises_nb.text import cell

FORMATS = ("csv", "xlsx", "parquet", "datapackage")
PRIVATE_COLUMNS = {"revision", "updated_at"}


neutralise = cell  # kept for callers of the old name: see vises_nb.text


def _frictionless_type(column: sa.Column) -> str:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return "boolean"
    if isinstance(kind, sa.Integer):
        return "integer"
    if isinstance(kind, sa.Float):
        return "number"
    if isinstance(kind, sa.DateTime):
        return "datetime"
    if isinstance(kind, sa.Date):
        return "date"
    return "string"


def tidy_tables(store: Store, enterprise_id: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the store (or of one enterprise) typed for export."""
    tables = {}
    for table in TABLES.values():
        if enterprise_id is not None and "enterprise_id" not in table.c and \
                table.name != "enterprises":
            continue  # shared tables (accompaniers) are not one enterprise's data
        frame = store.frame(table.name, enterprise_id=enterprise_id)
        frame = frame[[c for c in frame.columns if c not in PRIVATE_COLUMNS]]
        for column in table.columns:
            if column.name not in frame:
                continue
            kind = _frictionless_type(column)
            series = frame[column.name]
            if isinstance(column.type, sa.JSON):
                frame[column.name] = series.map(
                    lambda v: json.dumps(v, ensure_ascii=False) if v is not None else None)
            elif kind == "integer":
                frame[column.name] = pd.to_numeric(series).astype("Int64")
            elif kind == "boolean":
                frame[column.name] = series.map(lambda v: None if v is None else bool(v)
                                                ).astype("boolean")
            elif kind == "date":
                frame[column.name] = series.map(_iso_date).astype("string")
            elif kind == "datetime":
                frame[column.name] = pd.to_datetime(series).dt.strftime(
                    "%Y-%m-%dT%H:%M:%S").astype("string")
        tables[table.name] = frame.reset_index(drop=True)
    return tables


def _iso_date(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            try:  # each distinct text once: ids and codes repeat on every row
                safe = {v: cell(v) for v in series.unique() if not _missing(v)}
            except TypeError:  # unhashable values: cell by cell
                out[column] = series.map(cell, na_action="ignore")
            else:
                out[column] = series.map(safe.__getitem__, na_action="ignore")
    return out


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def export_cohort(store: Store, folder: str | Path, formats: tuple[str, ...] = FORMATS,
                  enterprise_id: str | None = None) -> list[Path]:
    """Write the tables in each format to `folder`; returns the files written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise VisesError("err.export.format", unknown=unknown, formats=list(FORMATS))
    folder = private_folder(Path(folder))
    tables = tidy_tables(store, enterprise_id)
    written: list[Path] = []
    safe = {name: _safe(frame) for name, frame in tables.items()} \
        if {"csv", "datapackage", "xlsx"} & set(formats) else {}
    # each file written whole under a temporary name, readable by its owner only
    # (personal data), then renamed: a failure leaves no half-written export
    if "csv" in formats or "datapackage" in formats:
        for name, frame in safe.items():
            path = folder / f"{name}.csv"
            with atomic_path(path, PRIVATE) as tmp:
                frame.to_csv(tmp, index=False, encoding="utf-8")
            written.append(path)
    if "xlsx" in formats:
        path = folder / "vises.xlsx"
        with atomic_path(path, PRIVATE) as tmp:
            write_xlsx(tmp, safe)  # the cells pandas' to_excel writes, in a tenth of the time
        written.append(path)
    if "parquet" in formats:
        for name, frame in tables.items():
            path = folder / f"{name}.parquet"
            with atomic_path(path, PRIVATE) as tmp:
                frame.to_parquet(tmp, index=False)
            written.append(path)
    if "datapackage" in formats:
        path = folder / "datapackage.json"
        write_atomic(path, json.dumps(datapackage(tables), indent=2, ensure_ascii=False),
                     PRIVATE)
        written.append(path)
    return written


def datapackage(tables: dict[str, pd.DataFrame]) -> dict:
    """A Frictionless data package describing the CSV files, typed from the store schema."""
    resources = []
    for table in TABLES.values():
        if table.name not in tables:
            continue
        fields = [{"name": c.name, "type": _frictionless_type(c)}
                  for c in table.columns if c.name not in PRIVATE_COLUMNS]
        resources.append({
            "name": table.name.replace("_", "-"), "path": f"{table.name}.csv",
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": fields,
                       "primaryKey": [c.name for c in table.primary_key.columns]},
        })
    return {
        "profile": "tabular-data-package", "name": "vises-cohort",
        "title": "VISES cohort data", "version": __version__,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "resources": resources,
    }
