"""Google Forms responses (the form's "Download responses (.csv)", or its linked sheet
saved as CSV/XLSX): one row per response, one column per question headed by the
question's title, the first column the response's time.

Google names its own columns in the form owner's language: the time ("Timestamp",
"Horodateur", "Tijdstempel"...), the respondent's e-mail address when the form collects
it, and a quiz's score. They are the tool's own columns, left out and listed in the
import summary like Kobo's `_uuid`: read as answers, the time became a question whose
every answer was dropped as "looks like a phone number" and the e-mail address a
question of its own.

Dates are written in the order of the form owner's country: day first in French, Dutch,
German... (`Horodateur`: 30/11/2026 17:16:06), either in English (`Timestamp`: 11/30/2026
in the United States, 30/11/2026 in the United Kingdom), so an English export's date
columns are decided by their dates or the response times, else refused until the order
is stated (`importing.dates`). A checkbox question's chosen answers come in one cell,
their labels joined by `, ` (the responses' Google Sheet) or `;` (the form's "Download
responses (.csv)"): cut into the form's choices (`values.joined_choices`).
"""

from __future__ import annotations

from vises_nb.instruments.importing.layout import Layout

TIMESTAMPS = frozenset({"timestamp", "horodateur", "horodatage", "tijdstempel",
                        "zeitstempel", "marca temporal", "carimbo de data/hora",
                        "informazioni cronologiche"})
META = TIMESTAMPS | frozenset({"email address", "e-mail address", "adresse e-mail",
                               "adresse courriel", "e-mailadres", "e-mail-adresse",
                               "score", "total score", "puntuación", "punteggio"})


def _claims(headers: list[str]) -> bool:
    return bool(headers) and headers[0].strip().lower() in TIMESTAMPS


def _english(headers: list[str]) -> bool:
    """A form owned in English: its dates may be day or month first (US, UK...)."""
    return bool(headers) and headers[0].strip().lower() == "timestamp"


def _clock(headers: list[str]) -> int | None:
    return 0 if _claims(headers) else None


LAYOUT = Layout(name="Google Forms", meta=META, separators=("/",), meta_prefixes=(),
                claims=_claims, either_date_order=_english, clock_column=_clock,
                choice_joins=(", ", ";"))
