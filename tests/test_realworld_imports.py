"""Real forms and exports published by other projects (../shared/realworld) read correctly."""

from __future__ import annotations

import pytest

from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.xlsform import read_xlsform
from vises_nb.store import model as m
from vises_nb.store.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "rw.sqlite", create=True)
    s.save(m.Enterprise(id="R1", name="Real", pole="autres", region="wallonia", language="fr"))
    yield s
    s.close()


@pytest.mark.parametrize("path, questions, languages", [
    ("kobo-meeting/form.xlsx", 9, []),
    ("kobo-artifact-en-ru/form.xlsx", 72, ["en", "ru"]),
    ("xlsform-fr-en-impact/form.xlsx", 635, ["en", "fr"]),
    ("odk-central/I8n_label_choices.xls", 7, ["en", "fr"]),
])
def test_every_real_form_is_read(realworld, path, questions, languages):
    form = read_xlsform(realworld / path)
    assert len(form.questions) == questions and form.languages == languages
    assert all(q.list_name in form.choices for q in form.questions
               if q.type == "select_one" and not q.list_name.endswith(".csv"))


def test_impact_form_groups_repeats_and_french_labels(realworld):
    form = read_xlsform(realworld / "xlsform-fr-en-impact/form.xlsx")
    assert sum(q.type == "select_one" for q in form.questions) == 226
    assert sum(q.type == "select_multiple" for q in form.questions) == 122
    assert any(q.repeat for q in form.questions)
    assert form.question("enum_gender").path == ("introduction",)


def test_kobo_xlsx_with_nested_repeats(realworld, store):
    report = import_responses(store, "R1", "T0", realworld / "kobo-meeting/export.xlsx",
                              realworld / "kobo-meeting/form.xlsx")
    assert (report.rows_read, report.respondents, report.responses) == (5, 5, 19)
    frame = store.frame("responses")
    texts = set(frame.text.dropna())
    assert "lessons learned" in texts  # topics_discussed repeat, gathered on its submission
    assert "5 | 3 | 4" in texts  # ratings of a nested repeat, in order
    items = {i.code for i in store.list(m.Item, enterprise_id="R1")}
    assert "Participant_name" not in items and "Discussion_rating" in items
    assert report.personal_columns == ["participants/Participant_name"]


def test_kobo_all_versions_csv_against_its_latest_form_reports_old_versions(realworld, store):
    with pytest.raises(ImportProblems) as info:
        import_responses(store, "R1", "T0", realworld / "kobo-artifact-en-ru/export-all-versions.csv",
                         realworld / "kobo-artifact-en-ru/form.xlsx")
    message = str(info.value)
    assert "column 'Platform_surface': a column the form does not know" in message
    assert "'sidescraper' that is not in the choice list" in message
    assert store.frame("responses").empty and store.frame("imports").empty


def test_kobo_all_versions_csv_without_form(realworld, store):
    report = import_responses(store, "R1", "T0",
                              realworld / "kobo-artifact-en-ru/export-all-versions.csv")
    assert report.source_format == "KoboToolbox"
    assert (report.rows_read, report.respondents) == (3203, 3203)
    assert {"Collector", "Recorder"} <= set(report.personal_columns)
    items = {i.code: i for i in store.list(m.Item, enterprise_id="R1")}
    assert items["Flake_length"].scale == "number" and "Collector" not in items
    assert report.responses == len(store.frame("responses"))


def test_odk_central_csv_with_repeat_files(realworld, store):
    base = realworld / "odk-central"
    report = import_responses(
        store, "R1", "T1", base / "build_Flora-Quadrat-0-4_1564384341.csv",
        repeat_files=(base / "build_Flora-Quadrat-0-4_1564384341-taxon_encounter.csv",
                      base / "build_Flora-Quadrat-0-4_1564384341-vegetation_stratum.csv"))
    assert report.source_format == "ODK Central" and report.respondents == 2
    assert "reporter" in report.personal_columns
    texts = set(store.frame("responses").text.dropna())
    assert "Kensington Carpark 01" in texts
    assert any("w3.0_shrub" in t for t in texts)
    assert "Florian Mayer" not in texts


def test_limesurvey_full_text_headings(realworld, store):
    report = import_responses(store, "R1", "T2", realworld / "limesurvey-texts/results-survey.csv")
    assert report.source_format == "LimeSurvey"
    assert (report.rows_read, report.respondents) == (70, 70)
    assert report.responses == len(store.frame("responses")) > 0
    consent = next(i for i in store.list(m.Item, enterprise_id="R1")
                   if i.text.startswith("In addition to analyzing your data"))
    frame = store.frame("responses")
    answers = frame[frame.item_id == consent.id].text
    assert answers.value_counts().to_dict() == {"Yes": 67, "No": 3}
    assert any("leave your email" in c for c in report.personal_columns)


def test_odk_xform_is_read(realworld):
    form = read_xlsform(realworld / "odk-central/FloraQuadrat04.xml")
    assert form.form_id == "Flora-Quadrat-04" and len(form.questions) == 26
    morpho = form.question("morphological_type")
    assert morpho.type == "select_one" and morpho.path == ("habitat",)
    assert [c.name for c in form.choices[morpho.list_name]][:3] == [
        "crest", "upper-slope", "mid-slope"]
    assert form.question("life_form").repeat == "taxon_encounter"
    assert form.question("reporter").type == "username"


def test_odk_central_csv_checked_against_its_xform(realworld, store):
    base = realworld / "odk-central"
    report = import_responses(
        store, "R1", "T0", base / "build_Flora-Quadrat-0-4_1564384341.csv",
        base / "FloraQuadrat04.xml",
        repeat_files=(base / "build_Flora-Quadrat-0-4_1564384341-taxon_encounter.csv",
                      base / "build_Flora-Quadrat-0-4_1564384341-vegetation_stratum.csv"))
    assert (report.respondents, report.responses) == (2, 22)
    assert set(report.personal_columns) == {"reporter", "device_id"}
    frame = store.frame("responses")
    by_item = frame.groupby(frame.item_id.str.rsplit("-", n=1).str[1])
    morpho = by_item.get_group("morphological_type")
    # an own choice list is the enterprise's own scale: the position is stored, the choice
    # names and labels are the scale's options; landforms have no order (nominal)
    assert sorted(morpho.value) == [3.0, 5.0] and morpho.text.isna().all()
    item = store.get(m.Item, morpho.item_id.iloc[0])[0]
    names = {o.value: o.name for o in store.list(m.ScaleOption, scale_id=item.scale_id)}
    assert item.scale == "nominal" and (names[3.0], names[5.0]) == ("mid-slope", "flat")
    heights = set(by_item.get_group("max_height_m").text)
    assert heights == {"3 | 2 | 0.5 | 0.05", "3 | 1"}  # repeat entries joined in order
