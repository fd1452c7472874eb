"""Plain CSV/XLSX: one row per respondent, one column per question (name or label)."""

from __future__ import annotations

from vises_nb.instruments.importing.layout import Layout

LAYOUT = Layout(name="plain table", meta=frozenset(), separators=("/", "-", "."),
                meta_prefixes=(), claims=lambda headers: True)
