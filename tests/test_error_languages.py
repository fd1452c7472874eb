"""Error messages in French, Dutch and English: the CLI's `vises: error:` line, import
problem lists in the dashboard's language, and errors that keep their substance (file,
row, column, field) in every language."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from exports import answers, kobo_csv

from vises_nb import errors, i18n
from vises_nb.dashboards.workspace.collect import import_upload
from vises_nb.errors import Message, NotFoundError, StoreError, ValidationError
from vises_nb.instruments.importing import ImportProblems, import_responses
from vises_nb.instruments.xlsform import write_questionnaire
from vises_nb.method.vocabulary import WAVES
from vises_nb.store import model as m
from vises_nb.store.store import Store

E = "E09"
VISES = [sys.executable, "-m", "vises_nb.cli"]
# Words that only one language's version of the message has.
UNKNOWN_ENTERPRISE = {"fr": ["l'entreprise 'E999' n'existe pas", "identifiants connus"],
                      "nl": ["onderneming 'E999' bestaat niet", "bekende id's"],
                      "en": ["enterprise 'E999' does not exist", "known ids"]}
COLUMN = "'self_confidence/self_confidence'"
BAD_IMPORT = {"fr": ["rien n'a été importé", "ligne 3", f"colonne {COLUMN}",
                     "absent de la liste de choix", "attendu"],
              "nl": ["er is niets geïmporteerd", "rij 3", f"kolom {COLUMN}",
                     "niet in de keuzelijst", "verwacht"],
              "en": ["nothing was imported", "row 3", f"column {COLUMN}",
                     "not in the choice list", "expected"]}


def vises(*args: str, env_lang: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "VISES_LANG"}
    if env_lang:
        env["VISES_LANG"] = env_lang
    return subprocess.run([*VISES, *args], capture_output=True, text=True, timeout=300,
                          check=False, env=env)


def error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("vises: error: "), result.stderr
    return lines[0]


def others(lang: str) -> list[str]:
    return [code for code in ("fr", "nl", "en") if code != lang]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_cli_error_for_an_unknown_enterprise_is_in_the_chosen_language(sample_copy, tmp_path,
                                                                      lang):
    result = vises("--lang", lang, "export", "--store", str(sample_copy), "--questionnaire",
                   "E999", "--out", str(tmp_path / "q.xlsx"))
    line = error_line(result)
    for words in UNKNOWN_ENTERPRISE[lang]:
        assert words in line
    assert "E01" in line, "still names the known ids"
    for other in others(lang):
        assert UNKNOWN_ENTERPRISE[other][0] not in line


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_cli_error_for_a_bad_import_file_is_in_the_chosen_language(sample_copy, tmp_path, lang):
    store = Store.open(sample_copy)
    form = write_questionnaire(store, E, tmp_path / "form.xlsx")
    before = len(store.frame("responses"))
    store.close()
    rows = answers(3)
    rows[1]["self_confidence/self_confidence"] = "9"
    bad = kobo_csv(tmp_path / "bad.csv", rows)
    result = vises("--lang", lang, "import", "--store", str(sample_copy), "--enterprise", E,
                   "--wave", "T0", "--form", str(form), str(bad))
    line = error_line(result)
    assert line.startswith("vises: error: bad.csv")
    assert "'9'" in line and "1, 2, 3, 4, 5" in line, "names the value and the choices"
    for words in BAD_IMPORT[lang]:
        assert words in line, (lang, line)
    for other in others(lang):
        assert BAD_IMPORT[other][0] not in line
    store = Store.open(sample_copy)
    assert len(store.frame("responses")) == before, "nothing was stored"
    store.close()


def test_the_language_comes_from_vises_lang_when_no_option_is_given(tmp_path):
    missing = tmp_path / "none.sqlite"
    dutch = error_line(vises("init", "--store", str(tmp_path), env_lang="nl"))
    assert "kan de opslag" in dutch or "bestaat niet" in dutch or "databank" in dutch
    french = error_line(vises("run", "--store", str(missing), env_lang="fr"))
    assert f"le fichier de base de données {missing} n'existe pas" in french
    assert "vises sample" in french
    english = error_line(vises("run", "--store", str(missing)))
    assert f"database file {missing} does not exist" in english
    option_wins = error_line(vises("--lang", "en", "run", "--store", str(missing),
                                   env_lang="nl"))
    assert "does not exist" in option_wins
    assert not missing.exists()


def test_an_unknown_interface_language_is_refused_in_english(tmp_path):
    line = error_line(vises("--lang", "xx", "init", "--store", str(tmp_path / "s.sqlite")))
    assert "--lang 'xx'" in line and "fr, nl, en" in line
    assert not (tmp_path / "s.sqlite").exists()
    line = error_line(vises("init", "--store", str(tmp_path / "s.sqlite"), env_lang="xx"))
    assert "VISES_LANG 'xx'" in line


def test_the_command_messages_follow_the_language_too(sample_db, tmp_path):
    result = vises("--lang", "nl", "backup", str(tmp_path / "b.sqlite"), "--store",
                   str(sample_db))
    assert result.returncode == 0 and result.stdout.startswith("back-up geschreven: ")


def test_an_import_problem_list_renders_in_dutch_in_the_workspace(sample_copy):
    store = Store.open(sample_copy)
    csv = (b"respondent_code,self_confidence,favourite_colour\n"
           b"A-01,9,blue\nA-01,4,red\n")
    ok, text = import_upload(store, E, "T1", ("answers.csv", csv), None, "nl")
    store.close()
    assert not ok
    lines = text.splitlines()
    assert lines[0] == i18n.t("ws.import_failed", "nl")
    assert "rij 1, kolom 'favourite_colour': een kolom die het formulier niet kent" in text
    assert "rij 2, kolom 'self_confidence': een getal '9' dat niet in de keuzelijst staat" \
        in text
    assert "rij 3, kolom 'respondent_code': respondentcode 'A-01' staat al op rij 2" in text
    assert "(verwacht: " in text
    for english in ("row ", "column '", "expected", "not in the choice list"):
        assert english not in text, english


def test_a_successful_import_is_reported_in_the_dashboard_language(sample_copy):
    store = Store.open(sample_copy)
    csv = (b"respondent_code,services_known\nA-01,7\nA-02,\"2,5\"\n")
    ok, text = import_upload(store, E, "T2", ("t2.csv", csv), None, "fr")
    store.close()
    assert ok and "2 répondant(s)" in text and "enregistrée(s) pour E09 T2" in text


def test_every_import_problem_renders_in_each_language_with_its_place(sample_copy, tmp_path):
    """One file with many mistakes: each problem in fr and nl names the same row and column
    as in English, and no catalogue key shows through."""
    store = Store.open(sample_copy)
    form = write_questionnaire(store, E, tmp_path / "form.xlsx")
    rows = answers(4)
    rows[0]["wave"] = "T2"
    rows[1]["services_known/services_known"] = "trois"
    rows[2]["self_confidence/self_confidence"] = "7"
    rows[3]["respondent_code"] = "R001"
    with pytest.raises(ImportProblems) as info:
        import_responses(store, E, "T0", kobo_csv(tmp_path / "many.csv", rows), form)
    store.close()
    problems = info.value.problems
    assert len(problems) == 4
    for problem in problems:
        texts = {lang: problem.text(lang) for lang in ("fr", "nl", "en")}
        assert len(set(texts.values())) == 3, texts
        for text in texts.values():
            assert "err." not in text and "{" not in text
            assert str(problem.row) in text and problem.column in text
    wave = next(p for p in problems if p.message.key == "err.import.other_wave")
    assert wave.text("nl").endswith("(verwacht: T0 — instroom)"), "the term's own label"
    assert wave.text("en").endswith("(expected T0 — entry)")
    for lang in ("fr", "nl", "en"):
        whole = info.value.message(lang)
        assert whole.startswith("many.csv") and all(p.text(lang) in whole for p in problems)


def test_str_follows_the_current_language_and_defaults_to_english():
    error = NotFoundError("err.store.no_enterprise", enterprise="E999", url="x.sqlite",
                          known="E01, E02")
    assert errors.current_language() == "en"
    assert str(error) == "enterprise 'E999' does not exist in x.sqlite; known ids: E01, E02"
    errors.set_language("nl")
    try:
        assert str(error) == error.message("nl")
        assert str(error).startswith("onderneming 'E999' bestaat niet")
    finally:
        errors.set_language("en")
    assert error.message("fr").startswith("l'entreprise 'E999' n'existe pas")


def test_nested_messages_labels_and_terms_render_in_the_same_language():
    from vises_nb.method.catalogue import BY_CODE

    name = BY_CODE["wellbeing_index"].name
    message = Message("err.where.expected", problem=Message("err.file.empty"),
                      expected=WAVES.get("T1"))
    assert message.message("fr") == "le fichier est vide (attendu : T1 — sortie)"
    assert message.message("en") == "the file is empty (expected T1 — exit)"
    assert errors.render(name, "nl") == name["nl"] and name["nl"] != name["en"]
    assert errors.render(["a", Message("err.file.empty")], "nl") == "a, het bestand is leeg"


def test_errors_survive_pickling_with_their_key_and_values():
    """Errors cross process boundaries (the run's workers): they keep key and values."""
    error = StoreError("err.store.no_file", path="/data/v.sqlite")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is StoreError and again.exit_code == error.exit_code
    assert again.message("nl") == error.message("nl")
    problems = ImportProblems("f.csv", [])
    assert pickle.loads(pickle.dumps(problems)).file == "f.csv"


def test_validation_errors_translate_our_words_and_keep_the_field():
    data = {"id": "E1", "name": "X", "pole": "zz", "region": "brussels", "language": "fr",
            "missions": "a\x00", "colour": "blue"}
    with pytest.raises(ValidationError) as info:
        m.validate(m.Enterprise, data, where="card.csv")
    french, dutch = info.value.message("fr"), info.value.message("nl")
    assert french.startswith("card.csv : Enterprise non valide : champ 'pole' : ")
    assert "valeur attendue parmi insertion, solidarite, autres (reçu 'zz')" in french
    assert "champ 'missions' : contient un caractère NUL" in french
    assert "champ 'colour' : champ inconnu ; supprimez-le" in french
    assert "veld 'pole': verwacht wordt een van insertion" in dutch
    assert str(info.value).startswith("card.csv: invalid Enterprise: field 'pole': expected one")


def test_a_notebook_that_timed_out_is_reported_in_the_reader_language():
    """The engine sends a key with its English text; the CLI line and the index translate."""
    import io
    from types import SimpleNamespace

    from vises_nb.publishing.engine.progress import Progress
    from vises_nb.publishing.runner import JobResult, failure_message

    outcome = {"ok": False, "error": "timed out after 3 s: the notebook was stopped",
               "message": {"key": "run.timed_out", "values": {"seconds": "3"}}, "cell": 2}
    error = failure_message(outcome)
    assert error.message("en") == outcome["error"]
    assert failure_message({"ok": False, "error": "NameError: x"}) == "NameError: x"
    job = SimpleNamespace(enterprise_id="E03", step="1")
    result = JobResult(job, False, 3.0, error, 2)
    for lang, line in [("nl", ("MISLUKT E03 stap 1, cel 2: time-out na 3 s: het notebook is "
                               "gestopt\n")),
                       ("en", ("FAILED E03 step 1, cell 2: timed out after 3 s: the notebook "
                              "was stopped\n"))]:
        errors.set_language(lang)
        try:
            progress = Progress(quiet=True, stream=io.StringIO())
            progress(result, 1, 1)
            assert progress.stream.getvalue() == line
        finally:
            errors.set_language("en")
