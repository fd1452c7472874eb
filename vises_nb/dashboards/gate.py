"""The door of a page that is for some roles only, and how a refusal is shown.

`show_page` is what a dashboard notebook's entry function calls: without accounts it
shows the page; with accounts it opens the guarded store, asks it for the role the page
needs (the access layer re-reads the person from the store, refuses and logs), closes it,
and shows the page or, refused, the page's title and the refusal in the page's language.
The server refuses these pages to the other roles too (`vises_nb.dashboards.voila_app`):
this is the second door, for a page opened before the account was disabled or changed.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
from IPython.display import display

from vises_nb.dashboards import access
from vises_nb.dashboards.header import header
from vises_nb.errors import AccessError, VisesError
from vises_nb.store.store import normalise_url

REFUSED_COLOUR = "#b2182b"


def refusal_html(text: str, tag: str = "b") -> str:
    """A refusal as shown on every page: class `vises-refused`, in red."""
    return (f"<{tag} class='vises-refused' style='color:{REFUSED_COLOUR}'>"
            f"{html.escape(text)}</{tag}>") if text else ""


def refused_html(error: VisesError, lang: str, tag: str = "b") -> str:
    """`refusal_html` of an access error's message in `lang`."""
    return refusal_html(error.message(lang), tag)


def allowed(store_url: str, lang: str, kind: str,
            require: Callable[[access.GuardedStore], object]) -> bool:
    """Whether page `kind` may be shown; refused, its title and the refusal are shown."""
    guard = access.open_store(normalise_url(store_url))
    if not isinstance(guard, access.GuardedStore):
        return True  # no accounts: one person on one laptop (the token is the door)
    try:
        require(guard)
    except AccessError as error:
        display(header(kind, lang), widgets.HTML(refused_html(error, lang)))
        return False
    finally:
        guard.close()
    return True


def show_page(store_url: str, lang: str, kind: str,
              require: Callable[[access.GuardedStore], object],
              build: Callable[[str, str], widgets.Widget]) -> None:
    """Show page `kind` built by `build(store_url, lang)` if `require` lets the person in."""
    if allowed(store_url, lang, kind, require):
        display(build(store_url, lang))
