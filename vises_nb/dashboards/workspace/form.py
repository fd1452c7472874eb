"""A small form framework for the accompanier's workspace.

One `RecordForm` edits one stored record: each field has its own widget with its
validation message beside it (checked as the user types), saving is explicit, the form
knows whether it holds unsaved changes, and a save based on a stale revision is refused
with an offer to reload, so nobody's edit is ever silently overwritten.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pydantic
import sqlalchemy as sa
import traitlets
from pydantic import BaseModel

from vises_nb import i18n
from vises_nb.dashboards import shared_layouts as shared
from vises_nb.dashboards.field_messages import (
    field_row,
    message_widgets,
    show_messages,
    status_html,
)
from vises_nb.errors import ConflictError, NotFoundError, Refused
from vises_nb.instruments.importing import values
from vises_nb.method import vocabulary as voc
from vises_nb.store.schema import TABLES
from vises_nb.store.store import Store

TEXT_KINDS = ("text", "long")
NUMBER_KINDS = ("int", "float")
# The class a widget carries while it holds unsaved changes: the page's `beforeunload`
# handler (in the vises Voila template) asks before closing or reloading when one exists.
UNSAVED = "vises-unsaved"


def mark_unsaved(widget: widgets.DOMWidget, dirty: bool) -> None:
    """Put or take away the unsaved-changes marker (only when it changes: each toggle is a
    message to the browser)."""
    if dirty and UNSAVED not in widget._dom_classes:
        widget.add_class(UNSAVED)
    elif not dirty and UNSAVED in widget._dom_classes:
        widget.remove_class(UNSAVED)

# A check that needs other stored records (an element's arrows...): given a connection and
# the record, field name → message. It also runs inside the saving transaction, after the
# record is written, so what it reads there is what the save is committed against.
RecordCheck = Callable[[sa.Connection, BaseModel], dict[str, str]]


class _Refused(Exception):
    """Raised inside a save's transaction to roll it back when a RecordCheck objects."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Field:
    """One editable field: its model attribute, its widget kind and its label's message id.

    kind: text, long (multi-line text), int, float, choice (one code), optional (one code
    or none), choices (several codes), bool (a checkbox).
    """

    name: str
    kind: str = "text"
    label_key: str = ""
    vocabulary: voc.Vocabulary | None = None
    help_key: str = ""  # a short explanation shown under the field

    @property
    def key(self) -> str:
        return self.label_key or f"ws.field.{self.name}"


def field_errors(model: type[BaseModel], data: dict[str, Any], lang: str) -> dict[str, str]:
    """Field name → message in `lang` for every field of `data` the model refuses."""
    try:
        model.model_validate(data)
    except pydantic.ValidationError as exc:
        found: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            found.setdefault(name, _message(err, lang))
        return found
    return {}


def _message(err: Any, lang: str) -> str:
    """One pydantic error in the user's words and language."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("missing", "string_too_short"):
        return i18n.t("form.error.required", lang)
    if kind in ("int_parsing", "float_parsing", "int_from_float", "int_type", "float_type"):
        return i18n.t("form.error.number" if kind.startswith("float") else "form.error.integer",
                      lang)
    if kind in ("greater_than_equal", "greater_than"):
        return i18n.t("form.error.min", lang, limit=_limit(ctx.get("ge", ctx.get("gt"))))
    if kind in ("less_than_equal", "less_than"):
        return i18n.t("form.error.max", lang, limit=_limit(ctx.get("le", ctx.get("lt"))))
    if kind == "string_too_long":
        return i18n.t("form.error.too_long", lang, limit=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return i18n.t("form.error.pattern", lang)
    return i18n.t("form.error.choice", lang)


def _limit(value: Any) -> str:
    """A bound as people write it (0, not 0.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _options(field: Field, lang: str) -> list[tuple[str, Any]]:
    assert field.vocabulary is not None
    options = [(t.label(lang), t.code) for t in field.vocabulary]
    if field.kind == "optional":
        options = [("—", None), *options]
    return options


class CheckList(widgets.VBox):
    """Several codes picked with one checkbox each (no Ctrl-click as in a multiple select);
    `value` is the tuple of ticked codes, in the options' order."""

    value = traitlets.Tuple()

    def __init__(self, options: list[tuple[str, Any]], description: str, **kwargs: Any):
        self.codes = [code for _label, code in options]
        # one shared layout and style for every box (dashboards/shared_layouts.py)
        self.boxes = [widgets.Checkbox(value=False, description=label, indent=False,
                                       layout=shared.layout(width="auto", margin="0 16px 0 0"),
                                       style=shared.checkbox_style())
                      for label, _code in options]
        self.label = widgets.HTML(
            f"<span class='vises-checklist-label' style='display:block;text-align:right;"
            f"line-height:1.3'>{_escape(description)}</span>",
            layout=widgets.Layout(width="200px", margin="0 8px 0 0"))
        grid = widgets.Box(self.boxes, layout=widgets.Layout(flex_flow="row wrap",
                                                             width="260px"))
        grid.add_class("vises-checklist")
        super().__init__(**kwargs)
        self.children = [widgets.HBox([self.label, grid])]
        self._syncing = False
        for box in self.boxes:
            box.observe(self._ticked, names="value")
        self.observe(self._show, names="value")

    def _ticked(self, _change: object) -> None:
        if not self._syncing:
            self.value = tuple(c for c, b in zip(self.codes, self.boxes) if b.value)

    def _show(self, change: dict) -> None:
        self._syncing = True
        try:
            for code, box in zip(self.codes, self.boxes):
                box.value = code in change["new"]
        finally:
            self._syncing = False


def make_widget(field: Field, lang: str) -> widgets.ValueWidget:
    """The input widget of one field (numbers are typed as text so mistakes can be shown)."""
    label = i18n.t(field.key, lang)
    layout = widgets.Layout(width="480px")
    style = {"description_width": "200px"}
    if field.kind in ("choice", "optional"):
        widget = widgets.Dropdown(options=_options(field, lang), description=label,
                                  layout=layout, style=style)
    elif field.kind == "choices":
        widget = CheckList(_options(field, lang), label, layout=widgets.Layout(width="480px"))
    elif field.kind == "bool":
        widget = widgets.Checkbox(description=label, indent=True, layout=layout, style=style)
    elif field.kind == "long":
        widget = widgets.Textarea(description=label, layout=widgets.Layout(width="480px",
                                  height="70px"), style=style)
    else:
        widget = widgets.Text(description=label, layout=layout, style=style)
    widget.add_class(f"vises-field-{field.name}")
    return widget


def to_widget(field: Field, value: Any) -> Any:
    """A stored value as its widget holds it."""
    if field.kind == "choices":
        return tuple(value or ())
    if field.kind in ("choice", "optional"):
        return value
    if field.kind == "bool":
        return bool(value)
    if value is None:
        return ""
    if field.kind == "float" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_widget(field: Field, value: Any) -> Any:
    """What the user typed as the model expects it ('' → none; 1,5 → 1.5)."""
    if field.kind == "choices":
        return list(value)
    if field.kind in NUMBER_KINDS:
        text = str(value).strip().replace(" ", "")
        if text == "":
            return None
        if field.kind == "float":
            try:  # the importer's one reader: 12,5 and 1.234,5 and 1 234,5
                return values.parse_number(text)
            except ValueError:
                return text  # the model refuses it beside the field
        return text
    return value


def ambiguous_mark(field: Field, value: Any) -> str | None:
    """The separator of a number typed as `250.000` or `12,500` (one mark before exactly
    three digits): thousands grouped or decimals, which the form does not guess (in
    Belgium and France 250.000 € is 250 000 €), as the importer does not
    (`values.GROUPED`); None for anything else."""
    if field.kind not in NUMBER_KINDS or not isinstance(value, str):
        return None
    return values.Separators(tools=False).ambiguous(value.strip())


class RecordForm:
    """Edit one record of `model`: fields, messages beside them, Save, dirty tracking.

    `base` holds the record's other attributes (its id, enterprise_id...). A new record has
    revision None and is inserted on save; later saves update it at its revision.
    """

    def __init__(self, store: Store, model: type[BaseModel], fields: list[Field], lang: str,
                 base: dict[str, Any], revision: int | None = None, name: str = "form",
                 on_saved: Callable[[RecordForm], None] | None = None,
                 check: RecordCheck | None = None):
        self.store, self.model, self.fields, self.lang = store, model, fields, lang
        self.on_saved, self.check = on_saved, check
        self.inputs = {f.name: make_widget(f, lang) for f in fields}
        self.messages = message_widgets(f.name for f in fields)
        self.save_button = widgets.Button(description=i18n.t("form.save", lang),
                                          button_style="primary", icon="")
        self.save_button.add_class("vises-save")
        self.reload_button = widgets.Button(description=i18n.t("form.reload", lang),
                                            layout=widgets.Layout(display="none"))
        self.reload_button.add_class("vises-reload")
        self.status = widgets.HTML(value="")
        self.status.add_class("vises-status")
        self.save_button.on_click(lambda _b: self.save())
        self.reload_button.on_click(lambda _b: self.reload())
        rows = [self._row(f) for f in fields]
        self.box = widgets.VBox([*rows, widgets.HBox([self.save_button, self.reload_button]),
                                 self.status])
        self.box.add_class(f"vises-form-{name}")
        self.load(base, revision)
        for field in fields:
            self.inputs[field.name].observe(self._changed, names="value")

    def _row(self, field: Field) -> widgets.Widget:
        """The field, its message beside it and its help under it. The page's script ties
        the message and the help to the input (aria-describedby, aria-invalid)."""
        return field_row(self.inputs[field.name], self.messages[field.name],
                         i18n.t(field.help_key, self.lang) if field.help_key else None)

    # ------------------------------------------------------------- state
    def load(self, base: dict[str, Any], revision: int | None) -> None:
        """Show a record as stored: its values become the baseline of dirty tracking."""
        self.base = dict(base)
        self.revision = revision
        self._loading = True
        try:
            for field in self.fields:
                self.inputs[field.name].value = to_widget(field, base.get(field.name))
        finally:
            self._loading = False
        self.baseline = self.values()
        for message in self.messages.values():
            message.value = ""
        self.reload_button.layout.display = "none"
        mark_unsaved(self.box, False)

    def values(self) -> dict[str, Any]:
        """The fields' current values as the model expects them; a stored record's key
        as loaded (see `stored_key`)."""
        typed = {f.name: from_widget(f, self.inputs[f.name].value) for f in self.fields}
        return {**typed, **self.stored_key()}

    def stored_key(self) -> dict[str, Any]:
        """The key of the stored record this form edits, as loaded: a key field (the
        coordinator page's id) is shown disabled once stored, but a widget message sets a
        disabled field as any other, and saving under another key at this form's revision
        would write over a record never read here. Empty for a new record."""
        if self.revision is None:
            return {}
        columns = [c.name for c in TABLES[self.model].primary_key.columns]
        return {c: self.base[c] for c in columns if c in self.inputs and c in self.base}

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes not saved yet."""
        return self.values() != self.baseline

    def errors(self) -> dict[str, str]:
        """Messages for this form's fields that the model refuses, as typed now."""
        data = {**self.base, **self.values()}
        found = field_errors(self.model, data, self.lang)
        for f in self.fields:
            typed = self.inputs[f.name].value
            mark = ambiguous_mark(f, typed)
            if mark and typed != to_widget(f, self.base.get(f.name)):  # not as stored
                found[f.name] = i18n.t("form.error.ambiguous_number", self.lang,
                                       raw=self.inputs[f.name].value.strip(), mark=mark)
        names = {f.name for f in self.fields}
        if not found and self.check is not None:
            with self.store.engine.connect() as conn:
                found = self.check(conn, self.model.model_validate(data))
        return {k: v for k, v in found.items() if k in names}

    def _changed(self, _change: object) -> None:
        if self._loading:
            return
        self.show_errors(self.errors())
        dirty = self.dirty
        self._say("dirty", i18n.t("form.unsaved", self.lang) if dirty else "")
        mark_unsaved(self.box, dirty)

    def show_errors(self, errors: dict[str, str]) -> None:
        show_messages(self.messages, errors)

    def _say(self, kind: str, text: str) -> None:
        self.status.value = status_html(kind, text)

    # ------------------------------------------------------------- actions
    def save(self) -> bool:
        """Validate every field, then save at the loaded revision; True when saved."""
        errors = self.errors()
        self.show_errors(errors)
        if errors:
            self._say("invalid", i18n.t("form.invalid", self.lang, count=len(errors)))
            return False
        record = self.model.model_validate({**self.base, **self.values()})
        try:
            with self.store.transaction() as writer:
                revision = writer.save(record, self.revision)
                refused = self.check(writer.conn, record) if self.check else {}
                if refused:
                    raise _Refused(refused)
        except _Refused as exc:
            self.show_errors(exc.errors)
            self._say("invalid", i18n.t("form.invalid", self.lang, count=len(exc.errors)))
            return False
        except (Refused, ConflictError, NotFoundError) as error:
            self.refused(error)
            return False
        self.revision = revision
        self.base = record.model_dump()
        self.baseline = self.values()
        self.reload_button.layout.display = "none"
        mark_unsaved(self.box, False)
        self._say("saved", i18n.t("form.saved", self.lang))
        if self.on_saved:
            self.on_saved(self)
        return True

    def refused(self, error: Refused | ConflictError | NotFoundError) -> None:
        """Say why a write was refused: the access layer's refusal (logged there) or a
        store another program holds, or a record someone changed or removed meanwhile,
        with the offer to reload."""
        if isinstance(error, Refused):
            self._say("conflict", error.message(self.lang))
            return
        self._say("conflict", i18n.t("form.conflict", self.lang))
        self.reload_button.layout.display = ""

    def reload(self) -> None:
        """Discard local changes and show the record as it is stored now."""
        key = _key(self.model, self.base)
        try:
            record, revision = self.store.get(self.model, key)
        except NotFoundError:
            self._say("conflict", i18n.t("form.gone", self.lang))
            return
        self.load(record.model_dump(), revision)
        self._say("reloaded", i18n.t("form.reloaded", self.lang))

    def discard(self) -> None:
        """Put back the values last loaded or saved."""
        self.load(self.base, self.revision)
        self._say("", "")


def _key(model: type[BaseModel], values: dict[str, Any]) -> str | tuple:
    columns = [c.name for c in TABLES[model].primary_key.columns]
    return values[columns[0]] if len(columns) == 1 else tuple(values[c] for c in columns)


def _escape(text: str) -> str:
    return html.escape(text)
