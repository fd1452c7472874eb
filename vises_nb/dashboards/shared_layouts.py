"""Layouts and styles that many widgets of a page share, made once per kernel.

Every ipywidgets widget comes with its own Layout model, and most with their own Style
model: each is one more model the kernel announces and the browser creates, deserialises
and keeps. The workspace's step 1 tab made 826 models, 520 of them Layouts and Styles,
mostly identical (each field's message, its row, each checkbox of a list): that is CPU
in every page's Chromium (benchmarks/profile_page.py). The fields' messages, help lines,
the line of each row, checkboxes and section headings now share one model of each kind
(621 models in step 1).

A shared layout or style refuses to be changed (it would change every widget using it):
a widget whose layout changes (shown, hidden) keeps a Layout of its own.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import HTMLStyle


class _Frozen:
    """Changing a synced trait after construction raises (ipywidgets' own state updates
    from the browser go through set_trait and are unaffected: none are expected)."""

    _vises_frozen = False

    def __setattr__(self, name: str, value: Any) -> None:
        if self._vises_frozen and name in getattr(self, "keys", ()):
            raise AttributeError(
                f"a shared {type(self).__name__} cannot change ({name}): give the widget "
                "a layout or style of its own")
        super().__setattr__(name, value)


class SharedLayout(_Frozen, widgets.Layout):
    pass


class SharedHTMLStyle(_Frozen, HTMLStyle):
    pass


class SharedCheckboxStyle(_Frozen, CheckboxStyle):
    pass


KINDS: dict[str, type] = {"layout": SharedLayout, "html": SharedHTMLStyle,
                          "checkbox": SharedCheckboxStyle}
OWN: dict[str, type] = {"layout": widgets.Layout, "html": HTMLStyle, "checkbox": CheckboxStyle}
# "1": every widget gets its own layout and style again, as before (to measure what sharing
# gives: benchmarks/bench_collective_session.py --config "own:--session 10:VISES_OWN_LAYOUTS=1")
OWN_ENV = "VISES_OWN_LAYOUTS"


@functools.cache
def _shared(kind: str, traits: tuple[tuple[str, str], ...]) -> widgets.Widget:
    made = KINDS[kind](**dict(traits))
    made._vises_frozen = True
    return made


def _made(kind: str, traits: tuple[tuple[str, str], ...]) -> widgets.Widget:
    if os.environ.get(OWN_ENV, "") == "1":
        return OWN[kind](**dict(traits))
    return _shared(kind, traits)


def layout(**traits: str) -> widgets.Layout:
    """The shared Layout with these traits (e.g. `layout(width="auto")`)."""
    return _made("layout", tuple(sorted(traits.items())))


def html_style() -> HTMLStyle:
    """The shared default style of an HTML widget."""
    return _made("html", ())


def checkbox_style() -> CheckboxStyle:
    """The shared default style of a Checkbox."""
    return _made("checkbox", ())
