"""Pseudonymous respondent codes: HMAC-SHA256 of the typed code with a per-cohort secret.

The same person typing the same code at T0 and T1 gets the same pseudonym, so waves
still pair, but the stored code cannot be turned back into what was typed (often a
name-derived or national number) without the secret kept in the store's vises_meta.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

import sqlalchemy as sa

from vises_nb.store.schema import meta_table
from vises_nb.store.store import Store

SECRET_KEY = "pseudonym_secret"


def cohort_secret(store: Store) -> bytes:
    """The cohort's secret, created (once, race-safe) on first need."""
    query = sa.select(meta_table.c.value).where(meta_table.c.key == SECRET_KEY)
    with store.engine.connect() as conn:
        value = conn.execute(query).scalar()
    if value is None:
        try:
            with store.transaction() as w:
                w.conn.execute(meta_table.insert(), {"key": SECRET_KEY,
                                                     "value": secrets.token_hex(32)})
        except sa.exc.IntegrityError:
            pass  # another process created it first: use theirs
        with store.engine.connect() as conn:
            value = conn.execute(query).scalar()
    return bytes.fromhex(value)


# What a code pasted from a PDF, a web page or Word carries that the person never typed:
# soft hyphens, zero-width spaces and joiners, word joiners, byte-order marks; and the
# dashes that stand for a hyphen (non-breaking hyphen, figure dash, en dash, minus).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


def normalise_code(raw: str) -> str:
    """Codes typed at different waves compare equal despite case, spaces, invisible
    characters and typographic forms (full-width letters of an Asian keyboard, a
    non-breaking hyphen from a PDF: NFKC, then every dash as `-`). A plain ASCII code is
    unchanged by all but case and spaces, so its pseudonym is the one it always had."""
    text = raw
    for _ in range(3):  # until stable: the import normalises a code it normalised already
        # (NFKC of a spacing accent is a space and a combining one, which the removed
        # space then joins to the letter before)
        before = text
        text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
        text = _DASHES.sub("-", "".join(text.split())).upper()
        if text == before:
            break
    return text


def pseudonym(secret: bytes, raw: str) -> str:
    return hmac.new(secret, normalise_code(raw).encode(), hashlib.sha256).hexdigest()
