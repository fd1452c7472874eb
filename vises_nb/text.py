"""Text as it enters vises, and text as it leaves in a spreadsheet.

`clean` is the one normalisation every text goes through where it enters (the model, the
importers, restore), so that no control character reaches a chart renderer (vl-convert
aborts its process on one), a workbook (openpyxl refuses them) or a terminal:

- a line break stays a line break: `\\r\\n` and `\\r` become `\\n`; the other line and page
  separators (vertical tab, form feed, file/group/record separators, NEL, U+2028, U+2029)
  become `\\n` too (a form feed pasted from a PDF is a page break, not an error);
- a tab stays a tab;
- every other C0 and C1 control character and DEL is removed (it has no visible meaning;
  an ESC would otherwise drive the terminal of whoever reads an error);
- a lone surrogate (text decoded with `surrogateescape`, or JSON `"\\ud800"`) becomes
  U+FFFD, the replacement character, which every encoder accepts; so do the
  noncharacters U+FFFE and U+FFFF, valid UTF-8 but not XML (one in a name made every
  workbook vises writes unreadable);
- the whole is NFC-normalised, so `é` typed or imported either way is the same text.

NUL is the exception: it is refused by the model rather than removed, since it means a
binary or UTF-16 file was read as text (see `has_nul`).

`neutralise` makes a cell inert for a spreadsheet: every CSV and XLSX vises writes (the
cohort export, the XLSForm questionnaire, the explorer's downloads) goes through it.
"""

from __future__ import annotations

import re
import unicodedata

#: characters that separate lines or pages: they become a newline
LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAKS = re.compile("\r\n?|[" + LINE_BREAKS + "]")
#: C0 (but tab, newline, NUL), DEL and C1 controls: removed
_CONTROLS = re.compile("[\x01-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff\ufffe\uffff]")  # and XML's two noncharacters

#: a cell starting with one of these is a formula (or DDE) to a spreadsheet program
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean(value: str) -> str:
    """`value` with line breaks unified, control characters removed, lone surrogates
    replaced and NFC-normalised (see the module's doc). NUL is kept for the caller to
    refuse."""
    if value.isascii() and value.isprintable():
        return value
    value = _SURROGATES.sub("\ufffd", value)
    value = _BREAKS.sub("\n", value)
    value = _CONTROLS.sub("", value)
    return unicodedata.normalize("NFC", value)


def has_nul(value: str) -> bool:
    return "\x00" in value


def cell(value: object) -> object:
    """A value ready for a spreadsheet cell: text cleaned (openpyxl refuses control
    characters, and a NUL cannot be written) and neutralised."""
    if isinstance(value, str):
        return neutralise(clean(value).replace("\x00", ""))
    return value


def neutralise(value: object) -> object:
    """`=1+1` -> `'=1+1`: text a spreadsheet would run as a formula, made inert.

    Also a text that only starts with spaces before the formula sign (`  =cmd|...`):
    spreadsheet programs strip them on import."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def clean_all(data: object) -> object:
    """`data` (nested dicts and lists, as a chart specification) with every text cleaned
    and NUL removed: what a renderer is handed, even from a store written before text was
    normalised (vl-convert aborts its whole process on a vertical tab or an ESC)."""
    if isinstance(data, str):
        return clean(data).replace("\x00", "")
    if isinstance(data, dict):
        return {clean_all(key): clean_all(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [clean_all(value) for value in data]
    return data
