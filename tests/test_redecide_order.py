"""A re-import whose form declares a stored list's order differently changes its kind.

An enterprise imports, sees in step 3 that a list was read as unordered (or ordered),
adds `ordered` (or `unordered`) in its form's `vises` column and imports again: the
stored scale and its items take the declared kind when the list's options are the same
(names, positions, coded values: every stored answer keeps its meaning), and the import
report says so. When the options changed, nothing changes and the report says why and
what to do. Real XLSForms read by pyxform, real SQLite and PostgreSQL stores, step 3's
real view.
"""

from __future__ import annotations

import csv

import pytest
import sqlalchemy as sa
from forms_builder import xlsform

from vises_nb.dashboards.workspace.step3 import results_view
from vises_nb.instruments.importing import import_responses
from vises_nb.store import model as m
from vises_nb.store.store import Store

# an ordered scale of words vises does not know as one (levels of a label), so unordered
# until a form declares it (mauvais / bon / excellent is known since schema 13)
QUALITY = [("m", "Bronze", "Brons"), ("b", "Argent", "Zilver"), ("e", "Or", "Goud")]
FREQ = [("a", "Jamais", "Nooit"), ("b", "Parfois", "Soms"), ("c", "Souvent", "Vaak"),
        ("d", "Toujours", "Altijd")]
PEOPLE = 30


def form(path, quality_vises="indicator:QUAL", freq_vises="indicator:FREQ", quality=QUALITY):
    return xlsform(
        path,
        [["type", "name", "label::Français (fr)", "label::Nederlands (nl)", "required", "vises"],
         ["text", "respondent_code", "Code", "Code", "yes", ""],
         ["select_one quality", "qualite", "Qualité", "Kwaliteit", "", quality_vises],
         ["select_one freq", "frequence", "Fréquence", "Frequentie", "", freq_vises]],
        [["list_name", "name", "label::Français (fr)", "label::Nederlands (nl)"],
         *(["quality", *option] for option in quality), *(["freq", *option] for option in FREQ)],
        {"form_id": "suivi_qualite", "default_language": "Français (fr)"})


def answers(path):
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["respondent_code", "qualite", "frequence"])
        for k in range(PEOPLE):
            writer.writerow([f"BXL-{k + 1:03d}", "mbe"[k % 3], "abcd"[k % 4]])
    return path


@pytest.fixture
def store(empty_store_url):  # SQLite, and PostgreSQL when VISES_TEST_POSTGRES_URL is set
    store = Store.open(empty_store_url, create=True)
    store.save(m.Enterprise(id="E01", name="Un", pole="insertion", region="wallonia",
                            language="fr"))
    for code, name in (("QUAL", "Qualité perçue du service"),
                       ("FREQ", "Fréquence des contacts")):
        store.save(m.Indicator(id=f"E01-own-{code}", enterprise_id="E01", code=code,
                               name=name, level="output", nature="quantitative",
                               dimension="social"))
    yield store
    store.close()


def kinds(store):
    scales = {s.list_name: s.kind for s in store.list(m.AnswerScale, enterprise_id="E01")}
    items = {i.code: i.scale for i in store.list(m.Item, enterprise_id="E01")}
    return scales, items


def row_of(html, indicator):
    return html.split(indicator)[1].split("</tr>")[0]


def stored_answers(store):
    with store.engine.connect() as conn:
        return sorted(conn.execute(sa.text(
            "select respondent_id, wave_id, item_id, value from responses")).all())


def test_declaring_a_list_ordered_on_a_re_import_shows_its_median(store, tmp_path):
    data = answers(tmp_path / "t0.csv")
    first = import_responses(store, "E01", "T0", data, form(tmp_path / "f1.xlsx"))
    assert kinds(store) == ({"quality": "nominal", "freq": "ordinal"},
                            {"qualite": "nominal", "frequence": "ordinal"})
    html = results_view(store, "E01", "fr").value
    assert "médiane" not in row_of(html, "Qualité perçue du service")
    before = stored_answers(store)
    assert len(before) == 2 * PEOPLE and first.summary("en").count("order") == 0

    again = import_responses(store, "E01", "T0", data, form(
        tmp_path / "f2.xlsx", quality_vises="indicator:QUAL; ordered"))
    assert kinds(store) == ({"quality": "ordinal", "freq": "ordinal"},
                            {"qualite": "ordinal", "frequence": "ordinal"})
    assert "médiane" in row_of(results_view(store, "E01", "fr").value,
                               "Qualité perçue du service")
    # the report names the list and the change, in each language
    assert "quality: unordered list → ordered scale" in again.summary("en")
    assert "quality : liste non ordonnée → échelle ordonnée" in again.summary("fr")
    assert "quality: ongeordende lijst → geordende schaal" in again.summary("nl")
    # nothing else changed: the same answers, no duplicate scale, option or item
    assert stored_answers(store) == before
    with store.engine.connect() as conn:
        counts = {t: conn.execute(sa.text(f"select count(*) from {t}")).scalar()
                  for t in ("scales", "scale_options", "items", "responses")}
    assert counts == {"scales": 2, "scale_options": 7, "items": 2, "responses": 2 * PEOPLE}
    # the same form again: nothing left to change, nothing said
    third = import_responses(store, "E01", "T1", answers(tmp_path / "t1.csv"),
                             form(tmp_path / "f2.xlsx", quality_vises="indicator:QUAL; ordered"))
    assert "→" not in third.summary("en")


def test_declaring_a_scale_unordered_on_a_re_import_drops_its_median(store, tmp_path):
    data = answers(tmp_path / "t0.csv")
    import_responses(store, "E01", "T0", data, form(tmp_path / "f1.xlsx"))
    assert "médiane" in row_of(results_view(store, "E01", "fr").value,
                               "Fréquence des contacts")
    again = import_responses(store, "E01", "T0", data, form(
        tmp_path / "f2.xlsx", freq_vises="indicator:FREQ; unordered"))
    assert kinds(store) == ({"quality": "nominal", "freq": "nominal"},
                            {"qualite": "nominal", "frequence": "nominal"})
    assert "médiane" not in row_of(results_view(store, "E01", "fr").value,
                                   "Fréquence des contacts")
    assert "freq: ordered scale → unordered list" in again.summary("en")


def test_a_list_whose_options_changed_keeps_its_kind_and_the_report_says_why(store, tmp_path):
    data = answers(tmp_path / "t0.csv")
    import_responses(store, "E01", "T0", data, form(tmp_path / "f1.xlsx"))
    before = stored_answers(store)
    # a choice inserted before the others: the stored codes would not mean the same
    changed = [("tm", "Sans label", "Zonder label"), *QUALITY]
    again = import_responses(store, "E01", "T0", data, form(
        tmp_path / "f2.xlsx", quality_vises="indicator:QUAL; ordered", quality=changed))
    assert kinds(store) == ({"quality": "nominal", "freq": "ordinal"},
                            {"qualite": "nominal", "frequence": "ordinal"})
    text = again.summary("en")
    assert "quality" in text and "options changed" in text and "stays an unordered list" in text
    assert "options ont changé" in again.summary("fr") and "reste une liste non ordonnée" \
        in again.summary("fr")
    assert "→" not in text
    assert stored_answers(store) == before
