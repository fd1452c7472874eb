"""The enterprise's own XLSForms kept in the store, to read a later wave without the form.

An accompanier imports T0 with the enterprise's own form, and T1 a year later without it
at hand. The store's items are not the form (its groups, repeats, select_multiple
option columns, calculate and geopoint columns, `or_other`, declarations...), so an
import keeps the form file it was given (`keep`: the file's bytes, read again by the
very parser that read it; one per enterprise, form_id and version, the latest file
kept), and an export that comes without `--form` is read with the kept form whose
columns it fits (`choose_form`):

- one kept form fits every column (and asks at least one question of it): that one;
  the import report names it (file, form_id, version, date imported);
- several fit: the one whose version the export's version column carries, else the
  questionnaire vises generates when the export fits that, else the import is refused,
  naming them (give `--form`);
- none fits: the questionnaire vises generates when the export fits it (its own
  export), else the kept form closest to the export reads it, and the columns it does
  not know are refused, naming the kept forms and saying to give `--form`.

Stores made before schema 13 kept no form: an import with the form once (even of a file
already imported) keeps it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from vises_nb.errors import Message, VisesError
from vises_nb.instruments.importing.files import Sheet
from vises_nb.instruments.importing.layout import Layout
from vises_nb.instruments.importing.mapping import QuestionIndex, map_columns
from vises_nb.instruments.importing.problems import Collector
from vises_nb.instruments.personal import is_personal_name
from vises_nb.instruments.xlsform import (
    META_TYPES,
    RESPONDENT_CODE,
    WAVE_FIELD,
    Form,
    _identifier,
    read_xlsform,
)
from vises_nb.store import model as m
from vises_nb.store.store import Store

KEPT_FORM = "import.form.kept"  # the title of a kept form (a catalogue key)


def keep(path: Path, form: Form, enterprise_id: str, instrument_id: str) -> m.OwnForm | None:
    """The record keeping the form file an import was given; None for the questionnaire
    vises generates for the enterprise (the store makes it again whenever needed)."""
    if form.form_id == f"vises_{_identifier(enterprise_id)}":
        return None
    data = Path(path).read_bytes()
    key = f"{form.form_id}\x1f{form.version}".encode()
    return m.OwnForm(
        id=f"{enterprise_id[:40]}-F{hashlib.sha1(key).hexdigest()[:16]}",
        enterprise_id=enterprise_id, instrument_id=instrument_id,
        form_id=form.form_id[:500], version=form.version[:500],
        file_name=Path(path).name[:500] or "form.xlsx",
        sha256=hashlib.sha256(data).hexdigest(),
        imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        content=base64.b64encode(data).decode("ascii"))


def read_kept(record: m.OwnForm) -> Form:
    """A kept form read as its file was (same parser, same file name in messages)."""
    with tempfile.TemporaryDirectory(prefix="vises-kept-form-") as folder:
        path = Path(folder) / Path(record.file_name).name
        path.write_bytes(base64.b64decode(record.content))
        return read_xlsform(path)


def described(record: m.OwnForm) -> str:
    """`suivi.xlsx (suivi_riche, version 2024-03, 2026-11-30)`: how messages name it."""
    parts = [p for p in (record.form_id, record.version and f"v. {record.version}",
                         record.imported_at.date().isoformat()) if p]
    return f"{record.file_name} ({', '.join(parts)})"


@dataclass
class Fit:
    record: m.OwnForm
    form: Form
    unknown: list[str] = field(default_factory=list)  # columns the form does not know
    asks: bool = False  # a column holds the answers to one of its questions


def fit(form: Form, sheet: Sheet, layout: Layout, ignore: set[str]) -> tuple[list[str], bool]:
    """The export's columns a form does not know, and whether one answers its question."""
    unknown, asks = [], False
    for column in map_columns(sheet.headers, QuestionIndex(form, layout), ignore):
        if column.kind == "unknown":
            if column.header and not is_personal_name(column.header) or not column.header \
                    and any(row[column.index] for row in sheet.rows):
                unknown.append(column.header or f"#{column.index + 1}")
        elif column.kind in ("question", "option") and column.question is not None and \
                column.question.type not in META_TYPES and \
                column.question.name not in (RESPONDENT_CODE, WAVE_FIELD):
            asks = True
    return unknown, asks


def kept_forms(store: Store, enterprise_id: str) -> list[tuple[m.OwnForm, Form]]:
    """The enterprise's kept forms, read (a form that no longer reads is passed over)."""
    out = []
    for record in sorted(store.list(m.OwnForm, enterprise_id=enterprise_id),
                         key=lambda r: r.imported_at, reverse=True):
        try:
            out.append((record, read_kept(record)))
        except VisesError:
            continue
    return out


def choose_form(store: Store, enterprise_id: str, sheets: list[Sheet], layout: Layout,
                ignore: set[str], store_form: Form | None, problems: Collector
                ) -> tuple[Form | None, m.OwnForm | None]:
    """The form an export given without one is read with (see module doc): (a kept
    form, its record), or (None, None) for the store's questionnaire (or a form inferred
    from the file). Several kept forms fitting alike: a problem, nothing chosen."""
    kept = kept_forms(store, enterprise_id)
    if not kept:
        return None, None
    main = sheets[0]
    fits = []
    for record, form in kept:
        unknown, asks = fit(form, main, layout, ignore)
        fits.append(Fit(record, form, unknown, asks))
    fitting = [f for f in fits if f.asks and not f.unknown]
    store_fits = store_form is not None and fit(store_form, main, layout, ignore) == ([], True)
    if len(fitting) > 1:
        versions = _versions(main, layout)
        same = [f for f in fitting if f.record.version and f.record.version in versions]
        if len(versions) == 1 and len(same) == 1:
            fitting = same
        elif store_fits:
            return None, None
        else:
            problems.add("err.import.kept_forms_alike", sheet=main.name, row=1,
                         enterprise=enterprise_id,
                         forms="; ".join(described(f.record) for f in fitting),
                         expected=Message("err.import.expect_kept_form"))
            return None, None
    if len(fitting) == 1:
        chosen = fitting[0]
        chosen.form.title = _title(chosen.form, [chosen.record])
        return chosen.form, chosen.record
    if store_fits:
        return None, None
    asking = [f for f in fits if f.asks]
    if not asking:
        return None, None  # not one of its questions: the store's refusal says so
    closest = min(asking, key=lambda f: len(f.unknown))
    closest.form.title = _title(closest.form, [f.record for f in fits])
    return closest.form, None


def _title(form: Form, records: list[m.OwnForm]) -> Message:
    return Message(KEPT_FORM, forms="; ".join(described(r) for r in records),
                   file=form.file)


def is_kept_form(form: Form) -> bool:
    return isinstance(form.title, Message) and form.title.key == KEPT_FORM


def _versions(sheet: Sheet, layout: Layout) -> set[str]:
    """The form versions an export's version column carries."""
    found: set[str] = set()
    for position, header in enumerate(sheet.headers):
        if header.strip().lower() in layout.version_columns:
            found |= {row[position] for row in sheet.rows if row[position]}
    return found
