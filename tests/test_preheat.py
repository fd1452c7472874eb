"""Preheated Voila kernels are on by default, and no dashboard does what made pages on them
hang: writing to an ipywidgets.Output (`with output:`) while Voila runs the notebook."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest
from ipywidgets.widgets import widget as widget_module

from vises_nb.cli import build_parser
from vises_nb.dashboards.voila_serve import voila_command


def test_serve_keeps_one_preheated_kernel_per_dashboard_by_default():
    args = build_parser().parse_args(["serve"])
    assert args.pool_size == 1
    command = voila_command("python", 8866, args.pool_size)
    assert "--preheat_kernel=True" in command
    assert "--VoilaConfiguration.default_pool_size=1" in command
    assert "--Voila.ip=127.0.0.1" in command and "vises_nb.dashboards.voila_app" in command
    assert not any("token" in part.lower() for part in command), "no secret in argv (ps)"


def test_pool_size_zero_turns_preheating_off():
    command = voila_command("python", 8866, 0)
    assert not any("preheat" in part or "pool_size" in part for part in command)


def test_a_negative_pool_size_is_refused(sample_db, capsys):
    from vises_nb.cli import main

    assert main(["serve", "--store", str(sample_db), "--pool-size", "-1"]) != 0
    assert "--pool-size" in capsys.readouterr().err


def _build_workspace(store: str) -> object:
    from vises_nb.dashboards.workspace.app import Workspace

    return Workspace(store, "en").box


def _build_explorer(store: str) -> object:
    from vises_nb.dashboards.explorer import Explorer

    return Explorer(store, "en", prefetch=False).box


def _build_enterprise(store: str) -> object:
    from vises_nb.dashboards.enterprise import enterprise_browser

    return enterprise_browser(store, "en")


def _build_coordinator(store: str) -> object:
    from vises_nb.dashboards.coordinator import Coordinator

    return Coordinator(store, "en").box


def _build_groups(store: str) -> object:
    from vises_nb.dashboards.groups import GroupsPage

    return GroupsPage(store, "en").box


@pytest.mark.parametrize("build", [_build_enterprise, _build_workspace, _build_explorer,
                                   _build_coordinator, _build_groups],
                         ids=["enterprise", "workspace", "cohort_explorer", "coordinator",
                              "groups"])
def test_no_dashboard_writes_to_an_output_widget_while_its_notebook_runs(build, sample_db,
                                                                         monkeypatch):
    """Voila's executor mimics an Output widget written to (`with output:` sets its msg_id,
    and the executor then copies the cell's outputs into it) by sending comm messages on
    the kernel's shell socket while it waits there for the cell's reply; under load the
    reply's wake-up is lost and the page never finishes (jupyter/nbclient#312). Widgets
    built after the page is shown (a click) may do so; what the notebook builds may not.
    An Output whose `outputs` is set as a whole (the explorer's charts) is a plain state
    update, which the mimic ignores (nbclient's OutputWidget reacts to msg_id only)."""
    entered: list[widgets.Output] = []
    enter = widgets.Output.__enter__
    monkeypatch.setattr(widgets.Output, "__enter__",
                        lambda self: (entered.append(self), enter(self))[1])
    before = set(widget_module._instances)
    box = build(str(sample_db))
    assert box is not None
    created = [w for key, w in widget_module._instances.items() if key not in before]
    assert created, "the dashboard was built from widgets"
    assert entered == []
    assert all(not w.msg_id for w in created if isinstance(w, widgets.Output))


def test_the_enterprise_card_holds_the_chosen_enterprise_as_escaped_html(sample_db):
    from vises_nb.dashboards.enterprise import enterprise_browser
    from vises_nb.store import model as m
    from vises_nb.store.store import Store

    store = Store.open(sample_db)
    first = store.get(m.Enterprise, "E01")[0]
    chosen = store.get(m.Enterprise, "E09")[0]
    store.close()
    box = enterprise_browser(str(sample_db), "en")
    title, controls, card = box.children
    chooser, language = controls.children
    assert "<h1 class='vises-title' lang='en'>Enterprises</h1>" in title.value
    assert card.value.startswith(f"<h2>{html.escape(first.name)}</h2>")
    assert "Identity card" in card.value
    chooser.value = "E09"
    assert card.value.startswith(f"<h2>{html.escape(chosen.name)}</h2>") and "Year founded" in card.value
    language.value = "fr"
    assert "Identity card" not in card.value and f"<h2>{html.escape(chosen.name)}</h2>" in card.value
    assert "<h1 class='vises-title' lang='fr'>Entreprises</h1>" in title.value, "the title follows too"
