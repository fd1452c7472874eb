"""The landing page of `vises serve` (vises_nb.dashboards.landing), without a server: every
dashboard notebook listed with its title and line in the language, a fallback for a
notebook the catalogues do not know, the pages a role may open, the text escaped."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

from vises_nb import i18n
from vises_nb.dashboards.landing import Dashboard, dashboards, describe, landing_html
from vises_nb.dashboards.voila_app import may_open
from vises_nb.dashboards.voila_serve import loading_texts, voila_command
from vises_nb.paths import DASHBOARDS_DIR

SHIPPED = sorted(p.name for p in DASHBOARDS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_shipped_dashboard_has_its_title_and_line_in_each_language(lang):
    for notebook in SHIPPED:
        entry = describe(notebook, lang)
        stem = notebook.removesuffix(".ipynb")
        kind = {"cohort_explorer": "explorer"}.get(stem, stem)
        assert f"dash.{kind}.title" in i18n.catalogue(lang), notebook
        assert entry.title == i18n.t(f"dash.{kind}.title", lang)
        assert entry.summary and "\n" not in entry.summary
    titles = {describe(n, lang).title for n in SHIPPED}
    assert len(titles) == len(SHIPPED), "no two dashboards share a title"


def test_the_languages_differ():
    for notebook in SHIPPED:
        assert describe(notebook, "fr").title != describe(notebook, "en").title or \
            describe(notebook, "fr").summary != describe(notebook, "en").summary


def test_a_new_notebook_is_listed_with_a_fallback_title(tmp_path):
    for notebook in SHIPPED:
        shutil.copy(DASHBOARDS_DIR / notebook, tmp_path / notebook)
    (tmp_path / "semi_collective_sessions.ipynb").write_text("{}")
    (tmp_path / ".hidden.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    listed = dashboards(tmp_path, "nl")
    assert sorted(d.notebook for d in listed) == sorted([*SHIPPED,
                                                         "semi_collective_sessions.ipynb"])
    new = next(d for d in listed if d.notebook == "semi_collective_sessions.ipynb")
    assert (new.title, new.summary) == ("Semi collective sessions", "")
    assert [d.title for d in listed] == sorted((d.title for d in listed), key=str.casefold)


def test_the_pages_a_role_may_open():
    assert [n for n in SHIPPED if may_open("researcher", n)] == ["cohort_explorer.ipynb"]
    assert "coordinator.ipynb" not in [n for n in SHIPPED if may_open("accompanier", n)]
    assert [n for n in SHIPPED if may_open("coordinator", n)] == SHIPPED
    listed = dashboards(DASHBOARDS_DIR, "fr", lambda n: may_open("researcher", n))
    assert [d.notebook for d in listed] == ["cohort_explorer.ipynb"]


def test_the_page_says_its_language_escapes_and_links_each_dashboard():
    entries = dashboards(DASHBOARDS_DIR, "nl")
    page = landing_html(entries, "nl", "/base/")
    assert page.startswith("<!DOCTYPE html><html lang='nl'>")
    assert page.count("<h1>") == 1 and i18n.t("landing.title", "nl") in page
    links = re.findall(r"<a href='/base/voila/render/([^']+)'>", page)
    assert links == [d.notebook for d in entries]
    assert "logout" not in page
    assert "/base/logout" in landing_html(entries, "nl", "/base", logout=True)
    hostile = Dashboard("a'b<c>.ipynb", "<script>", "&")
    page = landing_html([hostile], "en")
    assert "<script>" not in page and "&lt;script&gt;" in page and "a%27b%3Cc%3E.ipynb" in page
    assert html.escape(i18n.t("landing.none", "fr")) in landing_html([], "fr")


def test_voila_is_told_the_language_and_the_dashboards_titles():
    command = voila_command("python", 8866, 1, lang="nl")
    assert "--VoilaExporter.language_code=nl" in command
    resources = json.loads(next(a for a in command if a.startswith(
        "--VoilaConfiguration.resources=")).split("=", 1)[1])
    assert resources == loading_texts("nl")
    assert resources["vises_loading"] == i18n.t("voila.loading", "nl")
    assert resources["vises_titles"]["workspace"] == i18n.t("dash.workspace.title", "nl")
    assert set(resources["vises_titles"]) == {n.removesuffix(".ipynb") for n in SHIPPED}
