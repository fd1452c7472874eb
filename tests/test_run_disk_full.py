"""A disk that fills during `vises run`: the run stops, and says so truly. The reports
published before it stay, each whole (files are written aside and renamed into place), so
the message does not claim "nothing else was changed" as other commands' messages do."""

from __future__ import annotations

import errno

import pytest

from vises_nb import cli
from vises_nb.publishing import runner


@pytest.mark.parametrize("lang, words, not_said", [
    ("en", ["the disk is full", "the reports written before it are whole", "run again"],
     "nothing else was changed"),
    ("fr", ["le disque est plein", "les rapports écrits avant sont complets", "relancez"],
     "rien d'autre n'a été modifié"),
    ("nl", ["de schijf is vol", "de rapporten die ervoor geschreven zijn, zijn volledig",
            "opnieuw uit"], "verder is niets gewijzigd"),
])
def test_a_disk_full_during_a_run_says_what_stays(tmp_path, monkeypatch, capsys, lang, words,
                                                   not_said):
    report = tmp_path / "reports" / "E09" / "report.html"

    def fills_the_disk(**_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(report))

    monkeypatch.setattr(runner, "run", fills_the_disk)
    code = cli.main(["--lang", lang, "run", "--store", str(tmp_path / "vises.sqlite"),
                     "--reports", str(tmp_path / "reports")])
    said = capsys.readouterr().err
    assert code != 0
    assert said.startswith("vises: error:") and str(report) in said, said
    for word in words:
        assert word in said.lower(), said
    assert not_said not in said and "Traceback" not in said


def test_another_command_still_says_nothing_else_was_changed(tmp_path, monkeypatch, capsys):
    def fails(_args):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.csv"))

    parser = cli.build_parser()
    args = parser.parse_args(["--lang", "en", "engines"])
    args.func = fails
    assert cli._run_command(parser, args) != 0
    said = capsys.readouterr().err
    assert "the disk is full" in said and "nothing else was changed" in said, said
