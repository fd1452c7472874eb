"""Write excel_resaved.xls, the Excel 97-2003 (.xls) fixture of tests/test_excel_round_trip.py.

Run once by hand with xlwt (not a vises dependency: nothing writes .xls any more, and
vises only reads it, with xlrd):
    pip install --target /tmp/xlwt xlwt
    PYTHONPATH=/tmp/xlwt python tests/data/make_excel_resaved_xls.py
It holds the answers of the test's ROWS as Excel keeps them once a person opened a
KoboToolbox XLS export and saved it: codes as number cells (007 became 7), dates as
date cells or bare serial numbers, TRUE/FALSE in the 0/1 option columns, a line break
inside a cell, and a hidden first sheet (the lists behind drop-downs).
"""

import datetime as dt
from pathlib import Path

import xlwt

HEADERS = ["repondant", "entree", "heures", "taux", "satisfaction", "aides/cpas",
           "aides/forem", "aides/mutuelle", "commentaire"]
ROWS = [
    [7.0, dt.datetime(2024, 1, 1), 12.0, 85.0, "souvent", True, True, False,
     "Très bien, merci"],
    [12.0, 45366.0, 0.0, 12.5, "jamais", False, False, False, "Ligne un\nLigne deux"],
    [123456.0, dt.datetime(2023, 12, 31), 40.0, 100.0, "toujours", False, False, True,
     "Été difficile"],
]

book = xlwt.Workbook(encoding="utf-8")
lists = book.add_sheet("listes")
lists.write(0, 0, "jamais")
lists.visibility = 1  # hidden
data = book.add_sheet("Réponses")
day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
for column, heading in enumerate(HEADERS):
    data.write(0, column, heading)
for number, row in enumerate(ROWS, start=1):
    for column, value in enumerate(row):
        if isinstance(value, dt.datetime):
            data.write(number, column, value, day)
        else:
            data.write(number, column, value)
data.set_selected(True)
lists.set_selected(False)
book.active_sheet = 1
book.save(str(Path(__file__).with_name("excel_resaved.xls")))
