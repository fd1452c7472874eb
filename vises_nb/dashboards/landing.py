"""The page at `/` of `vises serve`: every dashboard notebook of the served folder, each a
link with its title and a one-line description in the served language, under a heading
in that language (Voila's own list of files, a JupyterLab page with English texts, is not
shown; see vises_nb.dashboards.voila_app.LandingHandler).

A notebook is named by the catalogue keys `dash.<kind>.title` and `dash.<kind>.summary`,
where `kind` is the notebook's name (`KINDS` where they differ); a notebook without them
still appears: its name made readable, and the first sentence of `dash.<kind>.intro` if
there is one.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from vises_nb import i18n

KINDS = {"cohort_explorer": "explorer"}  # notebook name: catalogue name, where they differ


@dataclass(frozen=True)
class Dashboard:
    notebook: str  # file name, e.g. "workspace.ipynb"
    title: str
    summary: str  # one line; may be empty


def _known(key: str) -> bool:
    return key in i18n.catalogue("en")


def describe(notebook: str, lang: str) -> Dashboard:
    """A dashboard notebook's title and one-line description in `lang`."""
    stem = Path(notebook).stem
    kind = KINDS.get(stem, stem)
    title_key, summary_key, intro_key = (f"dash.{kind}.{part}"
                                         for part in ("title", "summary", "intro"))
    title = (i18n.t(title_key, lang) if _known(title_key)
             else stem.replace("_", " ").replace("-", " ").strip().capitalize() or notebook)
    if _known(summary_key):
        summary = i18n.t(summary_key, lang)
    elif _known(intro_key):
        intro = i18n.t(intro_key, lang)
        summary = intro.split(". ")[0].rstrip(".") + "." if intro else ""
    else:
        summary = ""
    return Dashboard(notebook, title, summary)


def dashboards(folder: Path, lang: str,
               may_open: Callable[[str], bool] | None = None) -> list[Dashboard]:
    """The dashboard notebooks of `folder` (those `may_open(file name)` allows, if given),
    in the order of their titles in `lang`."""
    found = [describe(path.name, lang) for path in folder.glob("*.ipynb")
             if not path.name.startswith(".") and (may_open is None or may_open(path.name))]
    return sorted(found, key=lambda d: (d.title.casefold(), d.notebook))


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       background: #fff; margin: 0; line-height: 1.45; }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
.vises-landing-intro { margin: 0 0 1.5rem; color: #333; }
ul.vises-dashboards { list-style: none; padding: 0; margin: 0; }
ul.vises-dashboards li { border: 1px solid #c8c8c8; border-radius: 6px; padding: .8rem 1rem;
                         margin: 0 0 .8rem; }
ul.vises-dashboards a { font-size: 1.15rem; font-weight: 600; color: #0645ad; }
ul.vises-dashboards a:visited { color: #0b0080; }
ul.vises-dashboards a:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
ul.vises-dashboards p { margin: .3rem 0 0; color: #333; }
footer { padding-bottom: 2rem; margin-top: 1.5rem; }
footer a { color: #0645ad; }
"""


def landing_html(entries: list[Dashboard], lang: str, base_url: str = "/",
                 logout: bool = False) -> str:
    """The whole page: `<html lang>`, a heading, one link per dashboard with its line,
    and a sign-out link when people sign in (`logout`)."""
    t = lambda key: html.escape(i18n.t(key, lang))
    base = base_url if base_url.endswith("/") else base_url + "/"
    items = "".join(
        f"<li class='vises-dashboard'><a href='{html.escape(base)}voila/render/"
        f"{html.escape(quote(d.notebook))}'>{html.escape(d.title)}</a>"
        + (f"<p>{html.escape(d.summary)}</p>" if d.summary else "") + "</li>"
        for d in entries)
    listing = (f"<ul class='vises-dashboards'>{items}</ul>" if entries
               else f"<p class='vises-no-dashboard'>{t('landing.none')}</p>")
    footer = (f"<footer><a href='{html.escape(base)}logout'>{t('landing.logout')}</a></footer>"
              if logout else "")
    return (f"<!DOCTYPE html><html lang='{html.escape(lang)}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{t('landing.title')}</title><style>{STYLE}</style></head><body>"
            f"<header><h1>{t('landing.title')}</h1>"
            f"<p class='vises-landing-intro'>{t('landing.intro')}</p></header>"
            f"<main>{listing}</main>{footer}</body></html>")


def error_html(status_code: int, lang: str, base_url: str = "/") -> str:
    """The server's error page (a page refused, not found...) in the served language,
    with a link back to the landing page, in place of Voila's and Tornado's English ones.
    It says what happened and what to do; never the server's own message (it may name
    files or people)."""
    t = lambda key, **v: html.escape(i18n.t(key, lang, **v))
    known = status_code in (403, 404)
    title = t(f"http.{status_code}.title") if known else t("http.other.title", code=status_code)
    text = t(f"http.{status_code}.text") if known else t("http.other.text")
    base = html.escape(base_url if base_url.endswith("/") else base_url + "/")
    return (f"<!DOCTYPE html><html lang='{html.escape(lang)}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{title}</title><style>{STYLE}</style></head><body>"
            f"<header><h1>{title}</h1></header><main>"
            f"<p class='vises-error-page' data-status='{int(status_code)}'>{text}</p>"
            f"<p><a href='{base}'>{t('http.home')}</a></p></main></body></html>")
