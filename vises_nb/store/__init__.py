"""The store: domain model, schema, the Store itself, loaders and backups.

`from vises_nb.store import Store` keeps working for researchers; the name is imported
on first use so that `vises_nb.store.model` alone stays light.
"""

from __future__ import annotations

__all__ = ["ConflictError", "Store"]


def __getattr__(name: str):
    if name in __all__:
        from vises_nb.store import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
