"""Pseudonymous respondent codes: HMAC-SHA256 of the typed code with a per-cohort secret.

The same person typing the same code at T0 and T1 gets the same pseudonym, so waves
still pair, but the stored code cannot be turned back into what was typed (often a
name-derived or national number) without the secret kept in the store's vises_meta.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

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


def normalise_code(raw: str) -> str:
    """Codes typed at different waves compare equal despite case and spaces."""
    return "".join(raw.split()).upper()


def pseudonym(secret: bytes, raw: str) -> str:
    return hmac.new(secret, normalise_code(raw).encode(), hashlib.sha256).hexdigest()
