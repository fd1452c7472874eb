"""An item on the enterprise's OWN scale is asked with that scale's options.

The enterprise imported its own questionnaire (tests/own_forms.py: a 4-level frequency
`jamais..toujours` and `oui/non` of its own, French and Dutch labels only) and linked
its items to indicators. The questionnaire vises then generates for it (XLSForm for
KoboToolbox/ODK, LimeSurvey structure) must ask those items as `select_one` of the
enterprise's own choices, labelled in every language of the form (a language the scale
has no label in shows the label of the scale's first language, as step 3 labels it and
as the form shows the enterprise's own question text), never as a free-text question.
An export filled from it imports without the form with the scale's codes, and step 3
counts them. An export of an older generated form, where the collector typed the
answer, still imports when the typed answer names an option.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from own_forms import FREQ, kobo_xlsx, own_form, people
from pyxform.xls2xform import convert

from vises_nb.analysis import disclosure
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.importing.links import link_item
from vises_nb.instruments.limesurvey import read_structure
from vises_nb.instruments.xlsform import (
    questionnaire_bytes,
    questionnaire_rows,
    write_limesurvey,
)
from vises_nb.store import model as m
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store

E = "E70"
FRENCH, DUTCH, ENGLISH = "label::French (fr)", "label::Dutch (nl)", "label::English (en)"
PEOPLE = 20
# person k's answers: satisfaction FREQ[k % 4], emploi oui when k is odd, cpas ticked k%3==0
SATISFACTION = [FREQ[k % 4][0] for k in range(PEOPLE)]
EMPLOI = ["oui" if k % 2 else "non" for k in range(PEOPLE)]
CPAS = ["1" if k % 3 == 0 else "0" for k in range(PEOPLE)]


@pytest.fixture
def store(tmp_path):
    """E70 after importing its own form at T0, items linked to indicators."""
    s = Store.open(tmp_path / "vises.sqlite", create=True)
    s.save(m.Enterprise(id=E, name="Atelier du Marais", pole="insertion", region="wallonia",
                        language="fr"))
    for code, name in (("SATISF", "Satisfaction des stagiaires"),
                       ("CPAS", "Recours au CPAS")):
        s.save(m.Indicator(id=f"{E}-own-{code.lower()}", enterprise_id=E, code=code,
                           name=name, level="outcome", nature="quantitative",
                           dimension="social"))
    form = own_form(tmp_path / "form.xlsx", satisfaction_link="indicator:SATISF")
    import_responses(s, E, "T0", kobo_xlsx(tmp_path / "t0.xlsx", people(20, "T0")), form)
    link_item(s, E, "aides.cpas", "CPAS")
    yield s
    s.close()


def sheet(rows: list[list[object]]) -> list[dict[str, object]]:
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def survey_and_choices(store: Store):
    sheets = questionnaire_rows(store, E)
    survey = {row["name"]: row for row in sheet(sheets["survey"]) if row["name"]}
    choices: dict[str, list[dict]] = {}
    for row in sheet(sheets["choices"]):
        choices.setdefault(row["list_name"], []).append(row)
    return survey, choices


def asked_list(survey, name: str) -> str:
    kind, _, list_name = str(survey[name]["type"]).partition(" ")
    assert kind == "select_one", f"{name} is asked as {survey[name]['type']!r}"
    return list_name


# ------------------------------------------------------------------ the XLSForm
def test_an_own_scale_item_is_a_select_one_of_its_options_in_every_language(store):
    survey, choices = survey_and_choices(store)
    satisfaction = choices[asked_list(survey, "satisfaction")]
    assert [c["name"] for c in satisfaction] == [name for name, _, _ in FREQ]
    assert [c[FRENCH] for c in satisfaction] == [fr for _, fr, _ in FREQ]
    assert [c[DUTCH] for c in satisfaction] == [nl for _, _, nl in FREQ]
    # no English label in the own form: the scale's first language (French) is shown,
    # never an empty label (ODK would show "-")
    assert [c[ENGLISH] for c in satisfaction] == [fr for _, fr, _ in FREQ]
    emploi = choices[asked_list(survey, "emploi")]
    assert [(c["name"], c[FRENCH], c[DUTCH], c[ENGLISH]) for c in emploi] == [
        ("oui", "Oui", "Ja", "Oui"), ("non", "Non", "Nee", "Non")]
    # a select_multiple's option item (ticked 1 / not ticked 0) is the catalogue yes/no
    assert asked_list(survey, "aides.cpas") == "yes_no"
    assert [(c["name"], c[ENGLISH]) for c in choices["yes_no"]] == [("1", "Yes"), ("0", "No")]
    assert survey["heures"]["type"] == "decimal"
    # two own lists, each once, besides the wave and the catalogue yes/no
    assert len(choices) == 4


def test_the_generated_form_converts_with_pyxform_without_warnings(store, tmp_path):
    path = tmp_path / "E70.xlsx"
    path.write_bytes(questionnaire_bytes(store, E))
    result = convert(xlsform=str(path))
    assert result.warnings == []
    xform = result.xform
    select = xform.split('<select1 ref="/data/SATISF/satisfaction">', 1)
    assert len(select) == 2, "satisfaction is not a select_one"
    listed = select[1].split("</select1>", 1)[0].split("instance('", 1)[1].split("'")[0]
    instance = xform.split(f'<instance id="{listed}">', 1)[1].split("</instance>", 1)[0]
    assert [f"<name>{name}</name>" in instance for name, _, _ in FREQ] == [True] * 4
    for _, fr, nl in FREQ:  # its itext translations
        assert f"<value>{fr}</value>" in xform and f"<value>{nl}</value>" in xform


# ------------------------------------------------------------------ its exports
def export(store: Store, path: Path, answers: dict[str, list[str]], labels: bool = False
           ) -> Path:
    """A KoboToolbox CSV of the generated form (`group/name` headers; choice names, or
    French labels when `labels`), `answers` giving each person's answer by question."""
    _, choices = survey_and_choices(store)
    sheets = questionnaire_rows(store, E)
    heads, names, group = [], [], None
    for row in sheet(sheets["survey"]):
        kind = str(row["type"])
        if kind == "begin_group":
            group = row["name"]
        elif kind == "end_group":
            group = None
        else:
            heads.append(f"{group}/{row['name']}" if group else row["name"])
            names.append((row["name"], kind))
    rows = []
    for k in range(PEOPLE):
        cells = []
        for name, kind in names:
            if name == "respondent_code":
                value = f"BXL-{k + 1:03d}"
            elif name == "wave":
                value = "T1"
            elif name in answers:
                value = answers[name][k]
            elif kind == "decimal":
                value = str(k)
            else:
                value = ""
            if labels and kind.startswith("select_one ") and name in answers:
                listed = {c["name"]: c[FRENCH] for c in choices[kind.split()[1]]}
                value = listed[value]
            cells.append(value)
        rows.append([*cells, str(100 + k), f"uuid-{k}"])
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        [[*heads, "_id", "_uuid"], *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def t1_values(store: Store, code: str) -> list[float]:
    item = next(i for i in store.list(m.Item, enterprise_id=E) if i.code == code)
    frame = store.frame("responses", E)
    frame = frame[(frame.wave_id == f"{E}-T1") & (frame.item_id == item.id)]
    return sorted(frame.value)


EXPECTED_SATISFACTION = sorted(float(k % 4 + 1) for k in range(PEOPLE))


@pytest.mark.parametrize("labels", [False, True], ids=["names", "labels"])
def test_an_export_of_it_imports_without_the_form_and_step3_counts_it(store, tmp_path,
                                                                       labels):
    path = export(store, tmp_path / "t1.csv", {"satisfaction": SATISFACTION,
                                               "emploi": EMPLOI, "aides.cpas": CPAS}, labels)
    report = import_responses(store, E, "T1", path)
    assert report.respondents == PEOPLE
    assert t1_values(store, "satisfaction") == EXPECTED_SATISFACTION
    assert t1_values(store, "emploi") == sorted(1.0 if k % 2 else 0.0 for k in range(PEOPLE))
    assert t1_values(store, "aides.cpas") == sorted(float(c) for c in CPAS)
    data = load_enterprise(store, E)
    published = disclosure.step3_publication(data.indicators, data.answers(), 5)
    dist = published.distribution
    dist = dist[(dist.indicator_id == f"{E}-own-satisf") & (dist.wave == "T1")]
    assert dict(zip(dist.answer, dist["count"], strict=True)) == {1: 5, 2: 5, 3: 5, 4: 5}
    assert set(dist.n) == {PEOPLE}
    results = published.results
    t1 = results[(results.indicator_id == f"{E}-own-satisf") & (results.wave == "T1")]
    assert t1.n.tolist() == [PEOPLE]


def test_an_export_of_an_older_text_question_still_imports_typed_options(store, tmp_path):
    """Before, the form asked the own-scale item as text: collectors typed the option's
    name or label, in any case; each still reads as its code."""
    typed = [(name, fr, fr.upper(), nl)[k // 4 % 4]
             for k, (name, fr, nl) in ((k, FREQ[k % 4]) for k in range(PEOPLE))]
    assert {"Jamais", "parfois", "SOUVENT", "Altijd"} <= set(typed)
    path = export(store, tmp_path / "old.csv", {"satisfaction": typed, "emploi": EMPLOI,
                                                "aides.cpas": CPAS})
    import_responses(store, E, "T1", path)
    assert t1_values(store, "satisfaction") == EXPECTED_SATISFACTION


@pytest.mark.parametrize("answers", [("1", "0"), ("Yes", "No"), ("Ja", "Nee")])
def test_an_export_of_an_older_form_asking_an_own_yes_no_as_vises_yes_no_reads(
        store, tmp_path, answers):
    """Before, an own yes/no item (oui/non) was asked as vises' yes/no (1/0, labelled
    Oui/Ja/Yes, Non/Nee/No): its XML-values and labels exports still import, each answer
    as the own option of that value."""
    emploi = [answers[0] if e == "oui" else answers[1] for e in EMPLOI]
    path = export(store, tmp_path / "old.csv", {"satisfaction": SATISFACTION,
                                                "emploi": emploi, "aides.cpas": CPAS})
    import_responses(store, E, "T1", path)
    assert t1_values(store, "emploi") == sorted(1.0 if k % 2 else 0.0 for k in range(PEOPLE))


def test_a_typed_answer_that_names_no_option_is_refused_naming_the_options(store, tmp_path):
    typed = [*SATISFACTION[:-1], "un peu"]
    path = export(store, tmp_path / "bad.csv", {"satisfaction": typed, "emploi": EMPLOI,
                                                "aides.cpas": CPAS})
    before = len(store.frame("responses"))
    with pytest.raises(ImportProblems) as caught:
        import_responses(store, E, "T1", path)
    assert len(store.frame("responses")) == before
    text = caught.value.message("fr")
    assert "un peu" in text and "jamais, parfois, souvent, toujours" in text


# ------------------------------------------------------------------ LimeSurvey
def test_the_limesurvey_structure_lists_the_own_options_and_its_export_imports(store,
                                                                                tmp_path):
    out = write_limesurvey(store, E, tmp_path / "E70.txt")
    rows = read_structure(out.read_text(encoding="utf-8"))
    kinds = {r["name"]: r["type/scale"] for r in rows if r["class"] == "Q"}
    assert kinds["satisfaction"] == "L" and kinds["emploi"] == "L"
    answers: dict[str, list[tuple[str, str, str]]] = {}
    question = ""
    for row in rows:
        if row["class"] == "Q":
            question = row["name"]
        elif row["class"] == "A" and question == "satisfaction":
            answers.setdefault(row["language"], []).append((row["name"], row["text"]))
    assert answers["fr"] == [("jam01", "Jamais"), ("par02", "Parfois"), ("sou03", "Souvent"),
                             ("tou04", "Toujours")]
    assert [text for _, text in answers["nl"]] == [nl for _, _, nl in FREQ]
    assert [text for _, text in answers["en"]] == [fr for _, fr, _ in FREQ]
    # its response export (question codes, answer codes) imports without the form
    codes = {name: code for (code, _), (name, _, _) in zip(answers["fr"], FREQ, strict=True)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    heads = [r["name"] for r in rows if r["class"] == "Q" and r["language"] == "fr"]
    writer.writerow(["id", "submitdate", "lastpage", "startlanguage", "seed", *heads])
    for k in range(PEOPLE):
        by_name = {"respondentcode": f"BXL-{k + 1:03d}", "wave": "T1",
                   "satisfaction": codes[SATISFACTION[k]], "emploi": EMPLOI[k],
                   "aidescpas": "Y" if CPAS[k] == "1" else "N"}
        writer.writerow([str(k + 1), "2026-03-01 10:00:00", "3", "fr", "4711",
                         *(by_name.get(h, str(k)) for h in heads)])
    path = tmp_path / "ls.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = import_responses(store, E, "T1", path)
    assert report.source_format == "LimeSurvey" and report.respondents == PEOPLE
    assert t1_values(store, "satisfaction") == EXPECTED_SATISFACTION
    assert t1_values(store, "emploi") == sorted(1.0 if k % 2 else 0.0 for k in range(PEOPLE))
    assert t1_values(store, "aides.cpas") == sorted(float(c) for c in CPAS)


# ------------------------------------------------------------------ the one rule
def test_how_asked_labels_an_option_in_every_language_from_what_it_has():
    from vises_nb.instruments.asking import how_asked

    item = m.Item(id="E1-i", enterprise_id="E1", instrument_id="E1-I", code="q", text="Q",
                  scale="ordinal", scale_id="E1-S-f-l")

    def option(k: int, labels: dict[str, str]) -> m.ScaleOption:
        return m.ScaleOption(scale_id="E1-S-f-l", position=k, enterprise_id="E1",
                             name=f"c{k}", value=float(k), labels=labels)

    asked = how_asked(item, [option(2, {"default": "Souvent"}), option(1, {"nl": "Nooit"}),
                             option(3, {})])
    assert (asked.type, asked.list_name) == ("select_one", "E1-S-f-l")
    shown = [(c.name, c.labels["fr"], c.labels["nl"], c.labels["en"]) for c in asked.choices]
    assert shown == [("c1", "Nooit", "Nooit", "Nooit"), ("c2", "Souvent", "Souvent", "Souvent"),
                     ("c3", "c3", "c3", "c3")]
    # no stored options: the scale kind decides, as for any item
    assert how_asked(item).type == "text"
    assert how_asked(item.model_copy(update={"scale": "yes_no"})).list_name == "yes_no"
    assert how_asked(item.model_copy(update={"scale_id": None, "scale": "number"})
                     ).xlsform_type == "decimal"
    assert how_asked(item.model_copy(update={"scale_id": None, "scale": "likert5"})
                     ).xlsform_type == "select_one likert5"
