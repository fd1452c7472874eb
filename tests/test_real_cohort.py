"""A real cohort from an empty store, through the command line only as a coordinator
would: `vises init`, `vises enrol` a roster, `vises import` an enterprise's own
KoboToolbox XLSX (T0) and ODK Central CSV (T1) of a hand-written XLSForm whose
respondent code is called `repondant`, a cleaning action, then `vises run` publishes the
step 3 report and the cohort report with the imported items, the right n per wave and
the right paired n; the raw respondent codes appear nowhere in the store file or reports.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from own_forms import kobo_xlsx, odk_csv, own_form, people

from vises_nb.instruments.roster import write_template
from vises_nb.publishing.notebook import read_sidecar
from vises_nb.store import model as m
from vises_nb.store.store import Store

VISES = [sys.executable, "-m", "vises_nb.cli"]
E = "E70"


def vises(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([*VISES, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=900, check=False, env={**os.environ, "VISES_KEEP_WARM": "0"})
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def roster(tmp_path: Path) -> Path:
    """The template in French, filled in: one accompanier, six enterprises (E70 is the
    one with its own questionnaire), one group of five."""
    path = write_template(tmp_path / "modele.xlsx", "fr")
    book = load_workbook(path)
    accompaniers, enterprises, groups = book.sheetnames[:3]
    book[accompaniers].append(["A1", "Anne Martin", "SAW-B", "fr"])
    for i in range(70, 76):
        book[enterprises].append([f"E{i}", f"Entreprise {i}", "insertion", "Wallonie", "fr",
                                  "A1", "ASBL", "", 2001, "8"])
    book[groups].append(["G1", "Groupe Namur", "2026", "A1", "E70, E71, E72, E73, E74"])
    filled = tmp_path / "roster.xlsx"
    book.save(filled)
    return filled


@pytest.mark.slow
def test_an_empty_store_to_published_reports_through_the_command_line(tmp_path):
    db = tmp_path / "vises.sqlite"
    reports = tmp_path / "reports"
    vises("init", "--store", str(db), cwd=tmp_path)
    done = vises("enrol", "--store", str(db), str(roster(tmp_path)), cwd=tmp_path)
    assert "8 added" in done.stdout  # 1 accompanier, 6 enterprises, 1 group

    store = Store.open(db)
    assert sorted(store.enterprise_ids()) == [f"E{i}" for i in range(70, 76)]
    # the accompanier took the enterprise to step 3 (what the workspace's step panel saves)
    today = dt.date.today()
    for step in ("1", "2", "3"):
        store.save(m.StepStatus(enterprise_id=E, step=step,
                                status="done" if step != "3" else "in_progress",
                                started_on=today,
                                completed_on=today if step != "3" else None))
    store.close()

    form = own_form(tmp_path / "form.xlsx")
    t1 = people(15, "T1", shift=1)
    t1[0]["repondant"] = "BXL-0O1"  # a typo at T1: the letter O for a zero
    vises("import", "--store", str(db), "--enterprise", E, "--wave", "T0", "--form", str(form),
          str(kobo_xlsx(tmp_path / "t0.xlsx", people(20, "T0"))), cwd=tmp_path)
    vises("import", "--store", str(db), "--enterprise", E, "--wave", "T1", "--form", str(form),
          str(odk_csv(tmp_path / "t1.csv", t1)), cwd=tmp_path)
    vises("clean", "recode", "--store", str(db), "--enterprise", E, "--wave", "T1",
          "--from", "BXL-0O1", "--to", "BXL-001", "--why", "typo at T1", "--by", "Anne",
          cwd=tmp_path)

    vises("run", "--store", str(db), "--reports", str(reports), "--lang", "fr", cwd=tmp_path)
    step3 = reports / E / "step3"
    results = read_sidecar(step3 / "results.json").set_index(["indicator_code", "wave"])
    assert results.loc[("stable_contract", "T0"), "n"] == 20
    assert results.loc[("stable_contract", "T1"), "n"] == 15
    changes = read_sidecar(step3 / "changes.json").set_index("indicator_code")
    assert changes.loc["stable_contract", "n_paired"] == 15  # the typo, cleaned, pairs
    items = read_sidecar(step3 / "item_results.json").set_index(["item_code", "wave"])
    assert items.loc[("aides.cpas", "T0"), "n"] == 20
    assert items.loc[("aides.cpas", "T1"), "n"] == 15
    cohort = read_sidecar(reports / "cohort" / "all_results.json")
    own = cohort[(cohort.enterprise_id == E) & (cohort.indicator_code == "stable_contract")]
    assert sorted(own["n"].dropna()) == [15, 20]
    assert (reports / "index.html").exists()

    raw = [row["repondant"] for row in people(20, "T0") + t1]
    stored = db.read_bytes() + b"".join(
        p.read_bytes() for p in db.parent.glob("vises.sqlite-*") if p.is_file())
    published = b"".join(p.read_bytes() for p in reports.rglob("*") if p.is_file())
    for code in raw:
        for variant in {code, code.replace("-", "")}:
            assert variant.encode() not in stored, f"raw code {variant} in the store"
            assert variant.encode() not in published, f"raw code {variant} in the reports"
