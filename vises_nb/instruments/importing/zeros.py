"""Respondent codes a spreadsheet program changed: leading zeros dropped, digits lost.

Excel reads a column of codes `007`, `012` as numbers and saves `7`, `12`; a code of
digits typed at T0 as `007` and read back from a re-saved T1 export as `7` would be two
people. Pseudonyms are HMAC of the code as typed (`pseudonyms.pseudonym`), so changing
them would change every stored pseudonym; instead an all-digit code with no stored
respondent is paired at import with the one stored respondent of the enterprise whose
code is the same digits with leading zeros stripped or added (widths up to
`MAX_WIDTH`, or the code's own), and the import report says how many. Two such stored
respondents (`7` and `007` both stored) make it ambiguous: refused, naming the row.

Digits Excel lost cannot be paired: a code written in scientific notation in a CSV
(`1,23457E+11`) or a number cell of more than 15 significant digits (Excel keeps 15)
is refused, saying to format the column as text and copy the codes again.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from vises_nb.errors import Message
from vises_nb.instruments.importing.files import is_number_cell
from vises_nb.instruments.importing.problems import Collector
from vises_nb.instruments.importing.pseudonyms import SECRET_KEY, pseudonym
from vises_nb.store import model as m
from vises_nb.store.schema import TABLES, meta_table
from vises_nb.store.store import Store

MAX_WIDTH = 8  # zeros are added up to this many digits (or the code's own length)
EXCEL_DIGITS = 15  # significant digits Excel keeps in a number
# what Excel writes for a number too long for its column: one digit, a decimal mark, and
# a signed exponent (`1,23457E+11`); a code like `2023E001` is no such thing
SCIENTIFIC = re.compile(r"[+-]?\d(?:[.,]\d+)?[eE][+-]\d+")


def digits_lost(cell: str) -> bool:
    """Whether a respondent code's cell is one whose digits Excel lost: scientific
    notation written as text (a CSV), or a number cell beyond 15 digits."""
    if SCIENTIFIC.fullmatch(cell.strip()):
        return True
    return is_number_cell(cell) and len(re.sub(r"\D", "", cell)) > EXCEL_DIGITS


def respondent_id(enterprise_id: str, secret: bytes, code: str) -> str:
    """The stored id of the respondent typed `code` (as `storing` makes it)."""
    return f"{enterprise_id}-P{pseudonym(secret, code)[:16]}"


def _stored(store: Store, enterprise_id: str) -> tuple[bytes | None, set[str]]:
    """(the cohort's secret if there is one yet, the enterprise's stored respondents):
    read only, so a refused import creates nothing."""
    people = TABLES[m.Respondent]
    with store.engine.connect() as conn:
        value = conn.execute(sa.select(meta_table.c.value).where(
            meta_table.c.key == SECRET_KEY)).scalar()
        known = set(conn.execute(sa.select(people.c.id).where(
            people.c.enterprise_id == enterprise_id)).scalars())
    return (bytes.fromhex(value) if value else None), known


def _variants(code: str) -> list[str]:
    """The same digits with leading zeros stripped or added (widths up to `MAX_WIDTH` or
    the code's own length), the code itself left out."""
    core = code.lstrip("0") or "0"
    widest = max(MAX_WIDTH, len(code))
    return [core.zfill(width) for width in range(len(core), widest + 1)
            if core.zfill(width) != code]


def pair_zeros(store: Store, enterprise_id: str, codes: dict[str, tuple[int, str]],
               problems: Collector, sheet: str | None, column: str) -> dict[str, str]:
    """normalised code -> the code of the stored respondent it pairs with, for the
    all-digit `codes` (normalised code -> (row, as typed)) that have no stored respondent
    but whose digits with leading zeros stripped or added are exactly one stored
    respondent's; several are refused (`problems`), naming the row and code."""
    secret, known = _stored(store, enterprise_id)
    if secret is None or not known:
        return {}
    paired: dict[str, str] = {}
    for code, (row, typed) in codes.items():
        if not code.isdigit() or not code.isascii() or \
                respondent_id(enterprise_id, secret, code) in known:
            continue
        matches = [v for v in _variants(code)
                   if respondent_id(enterprise_id, secret, v) in known]
        if len(matches) == 1:
            paired[code] = matches[0]
        elif matches:
            problems.add("err.import.code_zeros_ambiguous", sheet=sheet, row=row,
                         column=column, code=typed, codes=", ".join(matches),
                         expected=Message("err.import.expect_code_zeros"))
    return paired
