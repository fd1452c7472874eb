"""A catalogue indicator's items in an enterprise that already has items of its own.

An item code names one question of the enterprise (answers are read, exported and
grouped by it). When a catalogue item's code is already an item of the enterprise:

- the same question on the same scale (the catalogue's scale, not a list of the
  enterprise's own, same reversal) that measures no other indicator is *reused*: the
  catalogue indicator takes that item and its answers;
- otherwise adding the indicator is *refused*, naming the item, where it comes from and
  what to do. The existing item is the enterprise's collected data and keeps its name;
  the catalogue's item keeps the catalogue's name (compared across the cohort by it), so
  neither is renamed behind the accompanier's back.
"""

from __future__ import annotations

from vises_nb.errors import Message, VisesError
from vises_nb.method import vocabulary as voc
from vises_nb.method.catalogue import BY_CODE, CatalogueIndicator
from vises_nb.store import model as m
from vises_nb.store.store import Store


def items_to_reuse(store: Store, enterprise_id: str, entry: CatalogueIndicator,
                   indicator_id: str, lang: str) -> dict[str, m.Item]:
    """Catalogue item code -> the enterprise's item it reuses (see module doc).

    Raises VisesError("err.plan.item_code_taken") when a code is taken by another question.
    """
    existing = {i.code: i for i in store.list(m.Item, enterprise_id=enterprise_id)}
    reused: dict[str, m.Item] = {}
    for wanted in entry.items:
        item = existing.get(wanted.code)
        if item is None or item.id == f"{indicator_id}-{wanted.code}":
            continue
        if item.indicator_id not in (None, indicator_id):
            reason = Message("err.plan.taken_measures",
                             indicator=_indicator_name(store, item.indicator_id, lang))
        elif item.scale != wanted.scale or item.scale_id is not None or \
                item.reverse != wanted.reverse:
            reason = Message("err.plan.taken_scale", scale=voc.SCALE_KINDS.get(wanted.scale),
                             own=voc.SCALE_KINDS.get(
                                 item.scale if item.scale == "nominal" or not item.scale_id
                                 else "ordinal"))
        else:
            reused[wanted.code] = item
            continue
        raise VisesError("err.plan.item_code_taken", indicator=entry.name[lang],
                         item=wanted.code, origin=_origin(store, item), reason=reason)
    return reused


def _origin(store: Store, item: m.Item) -> str:
    try:
        return store.get(m.Instrument, item.instrument_id)[0].name
    except VisesError:
        return item.instrument_id


def _indicator_name(store: Store, indicator_id: str | None, lang: str) -> str:
    try:
        indicator = store.get(m.Indicator, indicator_id or "")[0]
    except VisesError:
        return indicator_id or ""
    entry = BY_CODE.get(indicator.code)
    name = entry.name[lang] if entry else indicator.name
    return f"{name} ({indicator.code})"
