"""Sections of a tab built on first opening: a row of sub-tabs whose pages are empty until
the user (or a next action) opens them, so opening step 1 builds the identity card alone
(~150 widget models instead of ~620 for all six forms, each model a view the browser makes).

A built section is kept: switching between sections loses nothing typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as widgets

# The old page, every section built at once (for benchmarks/bench_collective_session.py
# --config "whole:--session 10:VISES_WHOLE_STEP1=1")
WHOLE_ENV = "VISES_WHOLE_STEP1"


class LazySections:
    """`box`: a Tab of (css class, title, builder) sections; the first is built at once,
    the others when first chosen (or `open(css)`). `on_built(css)` runs after each build."""

    def __init__(self, sections: Sequence[tuple[str, str, Callable[[], widgets.Widget]]],
                 on_built: Callable[[str], None] | None = None, css: str = ""):
        self.order = [name for name, _title, _build in sections]
        self.builders = {name: build for name, _title, build in sections}
        self.on_built = on_built
        self.box = widgets.Tab(children=[widgets.VBox() for _ in sections],
                               titles=[title for _name, title, _build in sections])
        if css:
            self.box.add_class(css)
        self.box.observe(self._chosen, names="selected_index")
        self.open(self.order[0])

    @property
    def built(self) -> list[str]:
        return [name for name in self.order if name not in self.builders]

    def open(self, css: str) -> bool:
        """Show the section `css`, building it the first time; False if it is not here."""
        if css not in self.order:
            return False
        index = self.order.index(css)
        self._build(index)
        self.box.selected_index = index
        return True

    def _build(self, index: int) -> None:
        name = self.order[index]
        build = self.builders.pop(name, None)
        if build is None:
            return
        children = list(self.box.children)
        children[index] = build()
        self.box.children = children
        if self.on_built is not None:
            self.on_built(name)

    def _chosen(self, change: dict) -> None:
        if change["new"] is not None:
            self._build(change["new"])
