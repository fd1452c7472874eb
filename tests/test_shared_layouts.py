"""Fields' lines, messages, help lines and checkboxes share their layouts and styles (one
model each instead of one per widget: dashboards/shared_layouts.py), a shared one refuses to
change, and the widgets that do change keep their own; step 1 builds a third fewer models."""

from __future__ import annotations

from collections import Counter

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

from vises_nb.dashboards import shared_layouts as shared
from vises_nb.dashboards.field_messages import field_row, message_widgets
from vises_nb.dashboards.workspace import step1
from vises_nb.dashboards.workspace.app import Workspace
from vises_nb.dashboards.workspace.form import CheckList
from vises_nb.dashboards.workspace.sections import WHOLE_ENV


def test_one_model_per_kind_and_it_refuses_to_change():
    assert shared.layout(width="auto") is shared.layout(width="auto")
    assert shared.layout(width="auto", margin="0") is shared.layout(margin="0", width="auto")
    assert shared.layout(width="auto") is not shared.layout()
    assert shared.layout(width="auto").width == "auto"
    with pytest.raises(AttributeError, match="own"):
        shared.layout().display = "none"
    with pytest.raises(AttributeError):
        shared.html_style().font_size = "20px"
    assert shared.layout().display is None  # unchanged
    # a layout of its own still changes
    own = widgets.Layout()
    own.display = "none"
    assert own.display == "none"


def test_rows_and_messages_share_layouts_and_keep_their_classes():
    messages = message_widgets(["a", "b"])
    rows = [field_row(widgets.Text(), messages["a"], "help"),
            field_row(widgets.Text(), messages["b"])]
    assert messages["a"].layout is messages["b"].layout
    assert messages["a"].style is messages["b"].style
    assert rows[0].layout is not rows[1].layout  # rows are shown and hidden (people.py)
    rows[1].layout.display = "none"
    assert rows[0].layout.display is None
    assert rows[0].children[0].layout is rows[1].children[0].layout
    assert rows[0].children[0].layout.flex_flow == "row wrap"
    assert rows[0].children[1].layout.margin == "0 0 4px 208px"  # the help, aligned
    assert all("vises-row" in r._dom_classes for r in rows)
    assert "vises-error" in messages["a"]._dom_classes
    ticks = CheckList([("One", "a"), ("Two", "b")], "Pick")
    assert ticks.boxes[0].layout is ticks.boxes[1].layout
    ticks.value = ("b",)
    assert [b.value for b in ticks.boxes] == [False, True]


def test_step1_builds_fewer_models_and_its_forms_still_hide_and_show(sample_copy, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "enterprise=E07")
    monkeypatch.setenv(WHOLE_ENV, "1")  # all six sections at once (each is built on opening)
    workspace = Workspace(str(sample_copy), "en")
    before = set(_instances)
    workspace.open_tab(1)
    made = [w for k, w in _instances.items() if k not in before]
    kinds = Counter(type(w).__name__ for w in made)
    # 826 models before the rows shared their layouts (331 Layouts), 621 now
    assert len(made) < 650, kinds
    assert kinds["Layout"] < 220, kinds
    # the widgets that are shown and hidden keep layouts of their own
    stakeholders = step1.stakeholders(workspace.store, "E07", "en")
    stakeholders.form.box.layout.display = "none"
    assert stakeholders.form.box.layout.display == "none"
    assert shared.layout().display is None
