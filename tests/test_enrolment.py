"""`vises enrol`: the roster template filled with openpyxl and enrolled into real SQLite
stores; every roster problem located (sheet, row, column) with the store file unchanged;
enrolling again updates at revisions and archives only on an explicit, confirmed status."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from vises_nb.analysis.cohort_data import load_cohort
from vises_nb.cli import main
from vises_nb.instruments.enrolment import ArchiveNotConfirmed, enrol
from vises_nb.instruments.roster import RosterProblems, write_template
from vises_nb.publishing.publish import index_page
from vises_nb.publishing.runner import plan
from vises_nb.store import model as m
from vises_nb.store.schema import SCHEMA_VERSION
from vises_nb.store.store import Store

V3_SQL = Path(__file__).parent / "data" / "store_v3.sql"

ACCOMPANIERS = [["A1", "Anne Martin", "SAW-B", "Français"],
                ["A2", "Bart Peeters", "Febecoop", "nl"]]
POLES = ["insertion", "Solidarité", "AUTRES ESS", "Work integration"]
REGIONS = ["Wallonie", "bruxelles", "VLAANDEREN", "hauts de france"]


def enterprise_rows(count: int = 12) -> list[list]:
    """id, name, pole, region, language, accompanier, legal form, sector, year, FTE."""
    return [[f"E{i:02d}", f"Entreprise {i}", POLES[i % 4], REGIONS[i % 4],
             "fr" if i % 3 else "Nederlands", "A1" if i <= 6 else "Bart Peeters", "ASBL",
             "", 1990 + i, "12,5"] for i in range(1, count + 1)]


GROUPS = [["G1", "Groupe Liège", "2026", "A1", "E01, E02, E03, E04, E05"]]


def roster(path: Path, accompaniers=None, enterprises=None, groups=None,
           lang: str = "en") -> Path:
    """The template in `lang`, filled in as a coordinator would."""
    template = write_template(path.with_name("template-" + path.name), lang)
    book = load_workbook(template)
    sheets = book.sheetnames
    for name, rows in zip(sheets[:3], (ACCOMPANIERS if accompaniers is None else accompaniers,
                                       enterprise_rows() if enterprises is None else enterprises,
                                       GROUPS if groups is None else groups), strict=True):
        for row in rows:
            book[name].append(row)
    book.save(path)
    return path


def file_hash(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    wal = Path(str(path) + "-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def store_path(tmp_path) -> Path:
    path = tmp_path / "vises.sqlite"
    Store.open(path, create=True).close()
    return path


def enrolled(store_path: Path, file: Path, **options):
    store = Store.open(store_path)
    try:
        return enrol(store, file, **options)
    finally:
        store.close()


# ----------------------------------------------------------------- round trip
@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_template_filled_in_is_enrolled_whole(store_path, tmp_path, lang):
    done = enrolled(store_path, roster(tmp_path / "roster.xlsx", lang=lang))
    assert done.counts()["added"] == 2 + 12 + 1
    store = Store.open(store_path)
    anne = store.get(m.Accompanier, "A1")[0]
    assert (anne.name, anne.federation, anne.language) == ("Anne Martin", "SAW-B", "fr")
    assert store.get(m.Accompanier, "A2")[0].language == "nl"
    codes = {e.id: (e.pole, e.region, e.language) for e in store.list(m.Enterprise)}
    assert codes["E02"] == ("autres", "flanders", "fr")  # AUTRES ESS, VLAANDEREN
    assert codes["E03"] == ("insertion", "hauts_de_france", "nl")  # English label, Nederlands
    assert codes["E05"] == ("solidarite", "brussels", "fr")  # Solidarité, bruxelles
    e03 = store.get(m.Enterprise, "E03")[0]
    assert (e03.accompanier_id, e03.legal_form, e03.year_founded, e03.fte) == \
        ("A1", "ASBL", 1993, 12.5)
    assert store.get(m.Enterprise, "E09")[0].accompanier_id == "A2"  # given by name
    assert store.get(m.Group, "G1")[0].period == "2026"
    members = sorted(g.enterprise_id for g in store.list(m.GroupMember, group_id="G1"))
    assert members == ["E01", "E02", "E03", "E04", "E05"]
    assert not any(e.archived for e in store.list(m.Enterprise))
    store.close()


def test_the_template_lists_codes_and_offers_them_in_drop_downs(tmp_path):
    book = load_workbook(write_template(tmp_path / "t.xlsx", "nl"))
    assert book.sheetnames == ["Begeleiders", "Ondernemingen", "Groepen", "Codes"]
    headings = [c.value for c in book["Ondernemingen"][1]]
    assert headings[:6] == ["Identificatie", "Naam", "Pool", "Regio", "Taal", "Begeleider"]
    codes = book["Codes"]
    assert [codes.cell(row=r, column=1).value for r in (2, 3, 4)] == \
        ["insertion", "solidarite", "autres"]
    assert [codes.cell(row=r, column=3).value for r in range(2, 6)] == \
        ["wallonia", "brussels", "flanders", "hauts_de_france"]
    rules = {str(rule.sqref): rule.formula1 for rule in
             book["Ondernemingen"].data_validations.dataValidation}
    assert rules["C2:C1000"] == "'Codes'!$A$2:$A$4"  # pole
    assert rules["D2:D1000"] == "'Codes'!$C$2:$C$5"  # region
    # Headings of another language are explained in each heading's note.
    assert "Pôle" in book["Ondernemingen"]["C1"].comment.text


def test_a_csv_with_dutch_headings_and_labels_as_typed(store_path, tmp_path):
    enrolled(store_path, roster(tmp_path / "roster.xlsx"))
    csv = tmp_path / "nieuw.csv"
    csv.write_text("Identificatie;Naam;Pool;Regio;Taal;Begeleider;VTE\n"
                   "E20;Kringloop Gent;  andere sociale ECONOMIE ;VLAANDEREN ;Néerlandais;"
                   "anne  martin;3,5\n", encoding="cp1252")
    done = enrolled(store_path, csv)
    assert done.counts()["added"] == 1
    store = Store.open(store_path)
    e20 = store.get(m.Enterprise, "E20")[0]
    assert (e20.pole, e20.region, e20.language, e20.accompanier_id, e20.fte) == \
        ("autres", "flanders", "nl", "A1", 3.5)
    store.close()


# ----------------------------------------------------------------- problems
def _set(rows: list[list], row: int, column: int, value) -> list[list]:
    rows = [list(r) for r in rows]
    rows[row - 2][column] = value
    return rows


CASES = {
    # name: (roster arguments, sheet, row, column, words of the message)
    "unknown pole": ({"enterprises": _set(enterprise_rows(), 3, 2, "Culture")},
                     "Enterprises", 3, "Pole", ["unknown pole 'Culture'", "insertion"]),
    "unknown region": ({"enterprises": _set(enterprise_rows(), 5, 3, "Luxembourg")},
                       "Enterprises", 5, "Region", ["unknown region", "hauts_de_france"]),
    "duplicate id": ({"enterprises": _set(enterprise_rows(), 4, 0, "E01")},
                     "Enterprises", 4, "Id", ["duplicate id 'E01'", "row 2"]),
    "unknown accompanier": ({"enterprises": _set(enterprise_rows(), 7, 5, "A9")},
                            "Enterprises", 7, "Accompanier", ["unknown accompanier 'A9'"]),
    "bad language": ({"enterprises": _set(enterprise_rows(), 2, 4, "Espagnol")},
                     "Enterprises", 2, "Language", ["unknown language", "fr, nl, en"]),
    "accompanier's bad language": ({"accompaniers": _set(ACCOMPANIERS, 3, 3, "xx")},
                                   "Accompaniers", 3, "Language", ["unknown language 'xx'"]),
    "bad number": ({"enterprises": _set(enterprise_rows(), 6, 8, "soixante")},
                   "Enterprises", 6, "Year founded", ["'soixante'", "whole number"]),
    "unknown status": ({"enterprises": [*enterprise_rows()[:-1],
                                         [*enterprise_rows()[-1], "", "", "", "peut-être"]]},
                       "Enterprises", 13, "Status", ["unknown status", "active, left"]),
    "group too small": ({"groups": [["G1", "Petit", "2026", "A1", "E01, E02, E03"]]},
                        "Groups", 2, "Member enterprises", ["5 to 10", "this one 3"]),
    "group too large": ({"groups": [["G1", "Grand", "2026", "A1",
                                      ", ".join(f"E{i:02d}" for i in range(1, 12))]]},
                        "Groups", 2, "Member enterprises", ["5 to 10", "this one 11"]),
    "two groups in one period": ({"groups": [*GROUPS, ["G2", "Gent", "2026", "A2",
                                                        "E05; E06; E07; E08; E09"]]},
                                 "Groups", 3, "Member enterprises",
                                 ["E05 is already in group G1", "period 2026"]),
    "unknown member": ({"groups": [["G1", "X", "2026", "A1", "E01, E02, E03, E04, E99"]]},
                       "Groups", 2, "Member enterprises", ["unknown enterprise(s): E99"]),
    "missing name": ({"accompaniers": _set(ACCOMPANIERS, 2, 1, "  ")},
                     "Accompaniers", 2, "Name", ["a value is required"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_roster_problem_is_located_and_nothing_is_stored(store_path, tmp_path, case):
    arguments, sheet, row, column, words = CASES[case]
    enrolled(store_path, roster(tmp_path / "first.xlsx"))  # a cohort already there
    store = Store.open(store_path)
    before = store.frame("enterprises")
    store.close()
    good = roster(tmp_path / "good.xlsx", enterprises=[
        [*r[:1], r[1] + " (renamed)", *r[2:]] for r in enterprise_rows()])
    assert enrolled(store_path, good, dry_run=True).counts()["updated"] == 12
    before_hash = file_hash(store_path)
    bad = roster(tmp_path / "bad.xlsx", **arguments)
    # the same bad file also renames every enterprise: none of it may be stored
    with pytest.raises(RosterProblems) as caught:
        enrolled(store_path, bad)
    found = [p for p in caught.value.problems
             if (p.sheet, p.row, p.column) == (sheet, row, column)]
    assert found, [p.text("en") for p in caught.value.problems]
    text = found[0].text("en")
    for word in words:
        assert word in text, text
    assert f"sheet '{sheet}', row {row}, column '{column}'" in caught.value.message("en")
    assert file_hash(store_path) == before_hash
    store = Store.open(store_path)
    assert store.frame("enterprises").equals(before)
    store.close()


def test_every_problem_of_a_file_is_listed_at_once(store_path, tmp_path):
    rows = _set(_set(enterprise_rows(), 3, 2, "Culture"), 5, 3, "Luxembourg")
    with pytest.raises(RosterProblems) as caught:
        enrolled(store_path, roster(tmp_path / "bad.xlsx", enterprises=rows,
                                    groups=[["G1", "X", "2026", "A1", "E01"]]))
    assert {(p.row, p.column) for p in caught.value.problems} >= {
        (3, "Pole"), (5, "Region"), (2, "Member enterprises")}
    assert Store.open(store_path).enterprise_ids() == []


def test_a_csv_without_a_required_column_names_it(store_path, tmp_path):
    csv = tmp_path / "e.csv"
    csv.write_text("id,name,pole,language\nE01,Un,insertion,fr\n", encoding="utf-8")
    with pytest.raises(RosterProblems) as caught:
        enrolled(store_path, csv)
    assert any(p.column == "Region" and p.row == 1 and "required column missing" in p.text("en")
               for p in caught.value.problems)


def test_the_problems_read_in_french(store_path, tmp_path):
    rows = _set(enterprise_rows(), 3, 2, "Culture")
    with pytest.raises(RosterProblems) as caught:
        enrolled(store_path, roster(tmp_path / "bad.xlsx", enterprises=rows, lang="fr"))
    text = caught.value.message("fr")
    assert "rien n'a été inscrit" in text and "feuille 'Entreprises', ligne 3, colonne 'Pôle'" \
        in text and "pôle inconnu 'Culture'" in text


def test_enterprise_already_in_a_stored_group_of_that_period(store_path, tmp_path):
    enrolled(store_path, roster(tmp_path / "first.xlsx"))
    again = roster(tmp_path / "groups.xlsx", groups=[
        ["G2", "Gent", "2026", "A2", "E01, E07, E08, E09, E10"]])
    with pytest.raises(RosterProblems) as caught:
        enrolled(store_path, again)
    assert "E01 is already enrolled in group G1 for period 2026" in caught.value.message("en")
    # another period is fine
    again = roster(tmp_path / "groups2.xlsx", groups=[
        ["G2", "Gent", "2027", "A2", "E01, E07, E08, E09, E10"]])
    enrolled(store_path, again)
    store = Store.open(store_path)
    assert {(g.period, g.group_id) for g in store.list(m.GroupMember, enterprise_id="E01")} == \
        {("2026", "G1"), ("2027", "G2")}
    store.close()


# ----------------------------------------------------------------- enrolling again
def test_enrolling_again_updates_what_changed_at_new_revisions(store_path, tmp_path):
    enrolled(store_path, roster(tmp_path / "first.xlsx"))
    store = Store.open(store_path)
    card, revision = store.get(m.Enterprise, "E02")
    store.save(card.model_copy(update={"missions": "Accueillir les enfants"}), revision)
    store.close()
    rows = enterprise_rows()
    rows[1][1] = "Crèche Les Petits Pas"  # E02 renamed
    rows[2][6] = ""  # E03's legal form left blank: kept as stored
    groups = [["G1", "Groupe Liège", "2026", "A1", "E01, E02, E03, E04, E06"]]
    done = enrolled(store_path, roster(tmp_path / "second.xlsx", enterprises=rows,
                                       groups=groups))
    assert done.counts()["updated"] == 1 and done.counts()["added"] == 0
    store = Store.open(store_path)
    e02, revision = store.get(m.Enterprise, "E02")
    assert (e02.name, e02.missions, revision) == ("Crèche Les Petits Pas",
                                                  "Accueillir les enfants", 3)
    assert store.get(m.Enterprise, "E01")[1] == 1  # unchanged: not rewritten
    assert store.get(m.Enterprise, "E03")[0].legal_form == "ASBL"
    members = sorted(g.enterprise_id for g in store.list(m.GroupMember, group_id="G1"))
    assert members == ["E01", "E02", "E03", "E04", "E06"]
    assert "E05" in store.enterprise_ids()  # out of the group, still enrolled
    store.close()


def test_leaving_archives_only_when_confirmed_and_absence_archives_nobody(store_path, tmp_path,
                                                                           capsys):
    enrolled(store_path, roster(tmp_path / "first.xlsx"))
    store = Store.open(store_path)
    with store.transaction() as w:  # E11 has data: archiving keeps it
        w.save(m.StepStatus(enterprise_id="E11", step="1", status="done"))
    store.close()
    rows = enterprise_rows()[:10]  # E12 is missing from this partial roster
    rows[10 - 1 - 0] = [*rows[9], "", "", "", "left"]  # E10 leaves
    rows.append([*enterprise_rows()[10], "", "", "", "Parti"])  # E11 leaves (French label)
    second = roster(tmp_path / "second.xlsx", enterprises=rows)
    before = file_hash(store_path)
    with pytest.raises(ArchiveNotConfirmed) as caught:
        enrolled(store_path, second)
    assert "E10, E11" in str(caught.value) and "--yes" in str(caught.value)
    assert file_hash(store_path) == before

    assert main(["enrol", "--store", str(store_path), str(second)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert file_hash(store_path) == before

    day = dt.date.today()
    assert main(["enrol", "--store", str(store_path), "--yes", str(second)]) == 0
    out = capsys.readouterr().out
    assert "2 archived" in out and "E12" in out  # absent, left as it is, and said so
    store = Store.open(store_path)
    e10 = store.get(m.Enterprise, "E10")[0]
    assert e10.archived and day <= e10.archived_on <= dt.date.today()  # even at midnight
    assert not store.get(m.Enterprise, "E12")[0].archived
    assert store.get(m.StepStatus, ("E11", "1"))[0].status == "done"
    assert len(store.enterprise_ids()) == 12  # nothing deleted
    cohort = load_cohort(store)
    assert set(cohort.enterprises["id"]) == {f"E{i:02d}" for i in range(1, 13)} - {"E10", "E11"}
    assert "E11" not in set(cohort.frames["step_status"]["enterprise_id"])
    assert "E11" in set(load_cohort(store, include_archived=True).enterprises["id"])
    store.close()

    rows[9] = [*enterprise_rows()[9], "", "", "", "actief"]  # E10 comes back
    done = enrolled(store_path, roster(tmp_path / "third.xlsx", enterprises=rows))
    assert done.counts()["restored"] == 1
    store = Store.open(store_path)
    e10, revision = store.get(m.Enterprise, "E10")
    assert not e10.archived and e10.archived_on is None and revision == 3
    store.close()


def test_an_enterprise_that_leaves_stays_in_its_group_history(store_path, tmp_path):
    rows = enterprise_rows()
    rows[0] = [*rows[0], "", "", "", "left"]
    enrolled(store_path, roster(tmp_path / "r.xlsx", enterprises=rows), confirm_archive=True)
    store = Store.open(store_path)
    assert store.get(m.Enterprise, "E01")[0].archived
    assert len(store.list(m.GroupMember, group_id="G1")) == 5
    store.close()


@pytest.mark.slow
def test_vises_run_leaves_an_archived_enterprise_out_and_the_index_lists_it(
        store_path, tmp_path, monkeypatch):
    monkeypatch.setenv("VISES_KEEP_WARM", "0")
    rows = enterprise_rows(4)
    enrolled(store_path, roster(tmp_path / "r.xlsx", enterprises=rows, groups=[]))
    rows[2] = [*rows[2], "", "", "", "vertrokken"]  # E03 leaves (Dutch label)
    enrolled(store_path, roster(tmp_path / "r2.xlsx", enterprises=rows, groups=[]),
             confirm_archive=True)
    reports = tmp_path / "reports"
    assert main(["run", "--store", str(store_path), "--reports", str(reports), "--lang", "en",
                 "--quiet", "--keep-warm", "0"]) == 0
    assert (reports / "E01" / "step1.en.html").exists()
    assert not (reports / "E03").exists()
    page = (reports / "index.html").read_text(encoding="utf-8")
    active, archived = page.split('<h2 id="archived">')
    assert "(E01)" in active and "(E03)" not in active
    assert "(E03)" in archived and "Archived enterprises" in archived
    assert "3 enterprises" in active


def test_cli_template_and_dry_run(store_path, tmp_path, capsys):
    assert main(["--lang", "nl", "enrol", "--template", str(tmp_path / "t.xlsx")]) == 0
    assert "Sjabloon" in capsys.readouterr().out
    assert load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "Begeleiders"
    file = roster(tmp_path / "r.xlsx")
    before = file_hash(store_path)
    assert main(["enrol", "--store", str(store_path), "--dry-run", str(file)]) == 0
    assert "15 added" in capsys.readouterr().out
    assert file_hash(store_path) == before
    assert main(["enrol", "--store", str(store_path)]) == 2
    assert "--template" in capsys.readouterr().err


# ----------------------------------------------------------------- runs and index
def test_an_archived_enterprise_is_planned_out_and_listed_as_archived(sample_copy, tmp_path):
    store = Store.open(sample_copy)
    card, revision = store.get(m.Enterprise, "E10")
    store.save(card.model_copy(update={"archived": True, "archived_on": dt.date.today()}),
               revision)
    store.close()
    url = f"sqlite:///{sample_copy}"
    jobs, entries = plan(url, tmp_path, "en")
    assert not [j for j in jobs if j.enterprise_id == "E10"]
    assert [j for j in jobs if j.enterprise_id == "E09"]
    assert [e.enterprise_id for e in entries if e.archived] == ["E10"]
    page = index_page(entries, None, "en")
    active, archived = page.split('<h2 id="archived">')
    assert "(E10)" not in active and "(E10)" in archived and "(E09)" in active
    assert "Archived enterprises" in archived
    # asked for by name, it still runs
    jobs, _ = plan(url, tmp_path, "en", enterprise="E10")
    assert jobs and all(j.enterprise_id == "E10" for j in jobs)


# ----------------------------------------------------------------- upgrade
def test_a_schema_3_store_upgrades_in_place_and_enrols(tmp_path):
    path = tmp_path / "v3.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(V3_SQL.read_text())
    conn.close()
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION
    e01, revision = store.get(m.Enterprise, "E01")
    assert (e01.name, e01.fte, e01.missions, revision) == (
        "Les Ateliers du Val", 12.5, "Former et employer des personnes", 2)
    assert not e01.archived and e01.archived_on is None
    assert not store.get(m.Accompanier, "A1")[0].archived
    assert len(store.frame("responses")) == 1 and store.frame("groups").empty
    assert store.integrity_check() == "ok"
    store.close()
    csv = tmp_path / "r.csv"
    csv.write_text("Identifiant,Nom,Pôle,Région,Langue,Statut\n"
                   "E01,Les Ateliers du Val,insertion,wallonie,fr,\n"
                   "E02,De Kringloop,autres,flanders,nl,vertrokken\n", encoding="utf-8")
    done = enrolled(path, csv, confirm_archive=True)
    assert done.counts() == {"added": 0, "updated": 0, "archived": 1, "restored": 0,
                             "unchanged": 1, "groups": 0}
    store = Store.open(path)
    assert store.get(m.Enterprise, "E02")[0].archived
    with store.engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("enterprises")}
    assert {"archived", "archived_on"} <= columns
    store.close()


def test_enrolment_on_each_backend(empty_store_url, tmp_path):
    """The same enrolment, update and confirmed archiving on SQLite and PostgreSQL."""
    store = Store.open(empty_store_url, create=True)
    try:
        enrol(store, roster(tmp_path / "r.xlsx"))
        rows = enterprise_rows()
        rows[1][1] = "Renamed"
        rows[3] = [*rows[3], "", "", "", "left"]
        with pytest.raises(RosterProblems):  # a bad file on a server store: nothing stored
            enrol(store, roster(tmp_path / "bad.xlsx", enterprises=_set(rows, 3, 2, "?")),
                  confirm_archive=True)
        assert store.get(m.Enterprise, "E02")[0].name == "Entreprise 2"
        done = enrol(store, roster(tmp_path / "r2.xlsx", enterprises=rows),
                     confirm_archive=True)
        assert (done.counts()["updated"], done.counts()["archived"]) == (1, 1)
        assert store.get(m.Enterprise, "E02")[1] == 2
        assert store.get(m.Enterprise, "E04")[0].archived
        assert len(load_cohort(store).enterprises) == 11
    finally:
        store.close()
