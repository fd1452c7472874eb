"""Respondents' privacy in published text: e-mail addresses and phone numbers are masked.

Verbatims and free-text fields are typed by accompaniers from interviews; people
sometimes leave a number or an address in them. Before anything is published, these
are replaced by a neutral mark. Dates, amounts, years and percentages must survive,
so a digit run only counts as a phone number when it has the shape of one: a national
Belgian or French number (0 then 8 or 9 digits) or an international one (+ or 00, then
10 to 15 digits), written with the usual separators (spaces, dots, slashes, dashes,
a "(0)" trunk prefix).
"""

from __future__ import annotations

import re

EMAIL_MARK = "[✉]"
PHONE_MARK = "[☎]"

EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@|\s?\[at\]\s?|\s?\(at\)\s?)[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
_SEP = r"[ \u00a0.\-/]"
# A run of digit groups separated by one separator each, optionally opened by + and with
# parenthesised groups such as "(0)" or "(555)". Validated group by group below.
CANDIDATE = re.compile(
    rf"(?<![\w+/.,@-])(?:\+\s?)?(?:\(\d{{1,4}}\)|\d+)(?:(?:{_SEP}?\(\d{{1,4}}\){_SEP}?|{_SEP})?\d+)*"
)
_GROUP = re.compile(r"\(\d+\)|\d+")
_AFTER_AMOUNT = re.compile(r"\s?(?:€|EUR\b|euros?\b|%|\$|£)", re.IGNORECASE)
_DATE_START = re.compile(r"\d{1,2}([./-])\d{1,2}\1(?:19|20)\d\d\b")


def _is_phone(text: str) -> bool:
    """Whether a candidate (groups and separators) has the shape of a phone number."""
    if _DATE_START.match(text.lstrip("+ ")):
        return False
    international = text.startswith("+")
    digits = ""
    for group in _GROUP.findall(text):
        if group == "(0)" and (international or digits.startswith("00")):
            continue  # "+33 (0)6 ..." : the trunk zero is not dialled from abroad
        digits += group.strip("()")
    if international:
        return 10 <= len(digits) <= 15
    if digits.startswith("00"):
        return 12 <= len(digits) <= 17
    if digits.startswith("0"):
        return len(digits) in (9, 10)
    return False


def _mask_phones(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in CANDIDATE.finditer(text):
        candidate = match.group(0)
        if _AFTER_AMOUNT.match(text, match.end()):
            continue
        # The longest leading run of groups that is a phone number ("0475 12 34 56 2 fois").
        ends = [g.end() for g in _GROUP.finditer(candidate)]
        for end in reversed(ends):
            if _is_phone(candidate[:end]):
                out.append(text[last:match.start()])
                out.append(PHONE_MARK)
                last = match.start() + end
                break
    out.append(text[last:])
    return "".join(out)


def mask_contacts(text: str | None) -> str | None:
    """`text` with e-mail addresses and phone numbers replaced by [✉] and [☎]."""
    if not text:
        return text
    return _mask_phones(EMAIL.sub(EMAIL_MARK, text))


def mask_everywhere(data: object) -> object:
    """`data` (text, dict, list, DataFrame) with every text value masked: what a sidecar
    holds is published like the report it comes with (the identity card's e-mail and
    phone are masked in `identity.json` as in the HTML)."""
    import pandas as pd

    if isinstance(data, str):
        return mask_contacts(data)
    if isinstance(data, dict):
        return {key: mask_everywhere(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [mask_everywhere(value) for value in data]
    if isinstance(data, pd.DataFrame):
        out = data.copy()
        for column in out.columns:
            series = out[column]
            if series.dtype == object or pd.api.types.is_string_dtype(series):
                out[column] = _masked_column(series)
        return out
    return data


def _masked_column(series):
    """A column with its texts masked, each distinct text once (ids, codes and labels
    repeat on every row of a cohort's tables)."""
    try:
        distinct = series.unique()
    except TypeError:  # lists in the column: cell by cell
        return series.map(lambda v: mask_contacts(v) if isinstance(v, str) else v)
    masked = {v: mask_contacts(v) for v in distinct if isinstance(v, str)}
    return series.map(lambda v: masked[v] if isinstance(v, str) else v)
