"""An enterprise's own choice list is an ordered scale only when it recognisably is one.

A province, a commune, a type of service or a reason for leaving has no order: step 3
shows the share of each answer (disclosure control as for any distribution), never a
median, a top-2 box, a mean or a test of change. An ordered list (codes 1..k, frequency,
agreement, satisfaction, intensity words) keeps its median and test; the form's `vises`
column can say either way (`ordered` / `unordered`), and what it says wins.
Real pyxform-readable XLSForms, real SQLite stores, the real disclosure path.
"""

from __future__ import annotations

import attacks
import pandas as pd
import pytest
from forms_builder import xlsform

from vises_nb.analysis import disclosure, findings
from vises_nb.analysis import results as r
from vises_nb.instruments.owned import own_scale
from vises_nb.instruments.xlsform import instrument_from_form, read_xlsform

CHOICES = {
    "province": [("bxl", "Bruxelles", "Brussel"), ("namur", "Namur", "Namen"),
                 ("liege", "Liège", "Luik"), ("hainaut", "Hainaut", "Henegouwen")],
    "freq": [("a", "Jamais", "Nooit"), ("b", "Parfois", "Soms"), ("c", "Souvent", "Vaak"),
             ("d", "Toujours", "Altijd")],
    "coded": [("1", "Bruxelles", "Brussel"), ("2", "Namur", "Namen"), ("3", "Liège", "Luik")],
    "level": [("0", "Aucun", "Geen"), ("1", "Un", "Een"), ("2", "Deux", "Twee"),
              ("3", "Trois", "Drie"), ("4", "Quatre", "Vier"), ("5", "Cinq", "Vijf")],
    "odd": [("x", "Bleu", "Blauw"), ("y", "Vert", "Groen"), ("z", "Rouge", "Rood")],
    "odd2": [("x", "Bleu", "Blauw"), ("y", "Vert", "Groen"), ("z", "Rouge", "Rood")],
    "quality": [("m", "Mauvais", "Slecht"), ("b", "Bon", "Goed"), ("e", "Excellent", "Uitstekend")],
    "agree": [("pd", "Pas du tout d'accord", "Helemaal niet akkoord"),
              ("p", "Plutôt pas d'accord", "Eerder niet akkoord"),
              ("n", "Ni d'accord ni pas d'accord", "Neutraal"),
              ("a", "Plutôt d'accord", "Eerder akkoord"),
              ("ta", "Tout à fait d'accord", "Helemaal akkoord")],
    "services": [("cpas", "CPAS", "OCMW"), ("forem", "Forem", "VDAB"),
                 ("mutuelle", "Mutuelle", "Ziekenfonds"), ("autre", "Autre", "Andere")],
}
QUESTIONS = [  # name, list, vises column
    ("prov", "province", ""), ("freq", "freq", ""), ("prov_code", "coded", "unordered"),
    ("level", "level", ""), ("colour", "odd", "ordered"), ("colour2", "odd2", ""),
    ("accord", "agree", ""), ("service", "services", "indicator:SERV"),
    ("quality", "quality", "indicator:QUAL; ordered"),
]


def own_form(path):
    return xlsform(
        path,
        [["type", "name", "label::Français (fr)", "label::Nederlands (nl)", "required", "vises"],
         ["text", "respondent_code", "Code", "Code", "yes", ""],
         *([f"select_one {list_name}", name, name.title(), name.title(), "", vises]
           for name, list_name, vises in QUESTIONS)],
        [["list_name", "name", "label::Français (fr)", "label::Nederlands (nl)"],
         *([list_name, *option] for list_name, options in CHOICES.items()
           for option in options)],
        {"form_id": "own_lists", "default_language": "Français (fr)"})


@pytest.fixture
def form(tmp_path):
    return read_xlsform(own_form(tmp_path / "form.xlsx"))


def test_a_province_list_is_unordered_and_a_frequency_list_ordered(form):
    kinds = {name: own_scale(form, list_name, "E01")[0].kind for name, list_name, _ in QUESTIONS}
    assert kinds == {"prov": "nominal", "freq": "ordinal", "prov_code": "nominal",
                     "level": "ordinal", "colour": "ordinal", "colour2": "nominal",
                     "accord": "ordinal", "service": "nominal", "quality": "ordinal"}
    _, items = instrument_from_form(form, "E01")
    scales = {i.code: i.scale for i in items}
    assert scales["prov"] == scales["service"] == "nominal" and scales["freq"] == "ordinal"
    # the items keep their own scale's options (coded 1..k in the form's order)
    assert all(i.scale_id for i in items if i.scale in ("nominal", "ordinal"))


def test_a_declaration_wins_over_what_the_choices_look_like(form):
    # numeric codes 1..3 would be read as a scale (here even as the catalogue's network
    # size scale); `vises: unordered` says it is not
    assert own_scale(form, "coded", "E01")[0].kind == "nominal"
    # numeric codes without a declaration are a scale (level 0..5)
    assert own_scale(form, "level", "E01")[0].kind == "ordinal"
    # words vises does not know: unordered, unless the form says `ordered`
    assert own_scale(form, "odd", "E01")[0].kind == "ordinal"
    assert own_scale(form, "odd2", "E01")[0].kind == "nominal"


# ------------------------------------------------------------------ analysis
PROVINCES = 4


def answers_of(counts: dict[str, list[int]], scale="nominal", indicator="I1", item="it1",
               points=PROVINCES):
    """Joined answers: per wave, counts[wave][k] people answering option k+1; the same
    people (p0, p1...) at each wave."""
    rows = []
    for wave, per_option in counts.items():
        person = 0
        for option, count in enumerate(per_option, start=1):
            for _ in range(count):
                rows.append({"indicator_id": indicator, "item_id": item, "scale": scale,
                             "reverse": False, "points": float(points),
                             "defined_items": 1, "wave": wave, "respondent_id": f"p{person}",
                             "value": float(option), "eligible": None, "enterprise_id": "E01"})
                person += 1
    return pd.DataFrame(rows)


def indicators(*ids):
    return pd.DataFrame({"id": list(ids), "enterprise_id": "E01",
                         "code": [f"OWN{k}" for k in range(len(ids))],
                         "polarity": "higher_better"})


def test_an_unordered_item_has_shares_only_no_median_no_test():
    answers = answers_of({"T0": [10, 8, 7, 5], "T1": [5, 7, 8, 10]})
    published = disclosure.step3_publication(indicators("I1"), answers, 5, breakdowns=())
    wave = published.results.set_index("wave")
    assert set(wave["kind"]) == {"nominal"} and set(wave["statistic"]) == {"distribution"}
    assert wave["value"].isna().all() and wave["top2"].isna().all()
    assert list(wave["n"]) == [30, 30]
    assert published.changes.empty  # no Wilcoxon on province codes
    shares = published.distribution.set_index(["wave", "answer"])["share"]
    assert shares[("T0", 1)] == pytest.approx(10 / 30) and shares[("T1", 4)] == pytest.approx(1 / 3)
    assert set(published.distribution["kind"]) == {"nominal"}
    text = findings.describe_result(published.results.iloc[0].to_dict(), "fr")
    assert "médiane" not in text and "n = 30" in text
    # the valorisation one-pager says why it shows no change for it
    from vises_nb.analysis.valorisation import _not_conclusive_reason
    assert _not_conclusive_reason(published.results, None, 5, "en") == \
        "unordered list: the share of each answer, with no direction of change to estimate"


def test_the_same_answers_on_an_ordered_scale_keep_their_median_and_test():
    answers = answers_of({"T0": [10, 8, 7, 5], "T1": [5, 7, 8, 10]}, scale="ordinal")
    published = disclosure.step3_publication(indicators("I1"), answers, 5, breakdowns=())
    assert set(published.results["statistic"]) == {"median"}
    assert list(published.changes["test"]) == ["wilcoxon"]


def test_a_small_cell_of_an_unordered_list_is_suppressed():
    # 2 people in Liège (below the threshold of 5): their count and share are hidden,
    # and one more cell so the hidden one cannot be found from n
    answers = answers_of({"T0": [12, 9, 2, 7]})
    published = disclosure.step3_publication(indicators("I1"), answers, 5, breakdowns=())
    cells = published.distribution.set_index("answer")
    assert pd.isna(cells.loc[3, "count"]) and pd.isna(cells.loc[3, "share"])
    hidden = cells["count"].isna().sum()
    assert hidden == 2  # secondary suppression: a sum of hidden cells below 5 would show
    assert int(cells["count"].dropna().sum()) in (30 - 2 - 7, 30 - 2 - 9, 30 - 2 - 12)
    assert (published.log["rule"] != "").sum() >= 2
    # with a breakdown by sex too: no differencing attack finds a small count
    answers["sex"] = ["f" if k % 2 else "m" for k in range(len(answers))]
    guarded = disclosure.step3_publication(indicators("I1"), answers, 5, breakdowns=("sex",))
    assert attacks.attack({"results": guarded.results, "changes": guarded.changes,
                           "likert_distribution": guarded.distribution,
                           "breakdowns_sex": guarded.breakdowns["sex"]}, 5) == []
    assert guarded.breakdowns["sex"].empty  # an unordered list's shares are not broken down
    # a wave of 4 people: nothing at all
    few = disclosure.step3_publication(indicators("I1"), answers_of({"T0": [2, 1, 1, 0]}),
                                       5, breakdowns=())
    assert few.distribution.empty and few.results["n"].isna().all()


def test_several_unordered_items_are_never_summed_into_a_score():
    answers = pd.concat([answers_of({"T0": [10, 8, 7, 5]}, item="a"),
                         answers_of({"T0": [5, 7, 8, 10]}, item="b")])
    answers["defined_items"] = 2
    published = disclosure.step3_publication(indicators("I1"), answers, 5, breakdowns=())
    row = published.results.iloc[0]
    assert row["kind"] == "unscored" and pd.isna(row["value"])
    assert published.distribution.empty and published.changes.empty
    assert "score" in findings.describe_result(row.to_dict(), "fr")
    mixed = answers.assign(scale=["nominal"] * 30 + ["ordinal"] * 30)
    assert r.kind_of("OWN0", tuple(mixed["scale"]), 2) == "unscored"


# ------------------------------------------------------------------ stores made before
def test_schema_12_decides_again_the_own_lists_an_older_store_made_ordered(tmp_path):
    import sqlalchemy as sa

    from vises_nb.store import model as m
    from vises_nb.store.schema import MIGRATIONS, SCHEMA_VERSION, meta_table
    from vises_nb.store.store import Store

    assert SCHEMA_VERSION >= 12
    path = tmp_path / "old.sqlite"
    store = Store.open(path, create=True)
    store.save(m.Enterprise(id="E01", name="Un", pole="insertion", region="wallonia",
                            language="fr"))
    store.save(m.Instrument(id="E01-f", enterprise_id="E01", name="f", method="questionnaire"))
    for list_name in ("province", "freq"):  # as schema 11 stored them: both "ordinal"
        sid = f"E01-S-f-{list_name}"
        store.save(m.AnswerScale(id=sid, enterprise_id="E01", list_name=list_name,
                                 kind="ordinal"))
        for k, (name, fr, nl) in enumerate(CHOICES[list_name], start=1):
            store.save(m.ScaleOption(scale_id=sid, position=k, enterprise_id="E01", name=name,
                                     value=float(k), labels={"fr": fr, "nl": nl}))
        store.save(m.Item(id=f"E01-f-{list_name}", enterprise_id="E01", instrument_id="E01-f",
                          code=list_name, text=list_name, scale="ordinal", scale_id=sid))
    with store.engine.begin() as conn:
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version"),
                     {"value": "11"})
    store.close()
    store = Store.open(path)  # upgraded on opening
    assert store.schema_version == SCHEMA_VERSION
    kinds = {s.list_name: s.kind for s in store.list(m.AnswerScale, enterprise_id="E01")}
    assert kinds == {"province": "nominal", "freq": "ordinal"}
    scales = {i.code: i.scale for i in store.list(m.Item, enterprise_id="E01")}
    assert scales == {"province": "nominal", "freq": "ordinal"}
    with store.engine.begin() as conn:  # a second run changes nothing
        MIGRATIONS[12](conn)
        assert conn.execute(sa.text("select count(*) from items where scale = 'nominal'")
                            ).scalar() == 1
    store.close()


def test_the_workspace_step_3_shows_an_unordered_indicators_shares(tmp_path):
    from rich_form import kobo_xlsx, people, rich_form

    from vises_nb.dashboards.workspace.step3 import results_view
    from vises_nb.instruments.importing import import_responses
    from vises_nb.instruments.importing.links import link_item
    from vises_nb.store import model as m
    from vises_nb.store.store import Store

    store = Store.open(tmp_path / "vises.sqlite", create=True)
    store.save(m.Enterprise(id="E01", name="Un", pole="insertion", region="wallonia",
                            language="fr"))
    form = rich_form(tmp_path / "form.xlsx")
    import_responses(store, "E01", "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(30)), form)
    store.save(m.Indicator(id="E01-own-prov", enterprise_id="E01", code="PROV",
                           name="Province des stagiaires", level="output",
                           nature="quantitative", dimension="territorial"))
    link_item(store, "E01", "prov", "PROV")
    html = results_view(store, "E01", "fr").value
    store.close()
    assert "Listes non ordonnées : part de chaque réponse" in html
    assert "Liège" in html and "50 % (15)" in html
    assert "médiane" not in html.split("Province des stagiaires")[1].split("</tr>")[0]
