"""Items linked to indicators: by the form's `vises` column (`indicator:CODE`) or later.

CODE is the enterprise's own indicator (its `code`) or a catalogue indicator, which is
then added to the enterprise's indicator plan. An unknown code is an import problem
naming the form's row, so nothing is stored. `link_item` does the same afterwards, for
the workspace's step 2 (an item → indicator table) and for scripts.
"""

from __future__ import annotations

from vises_nb.errors import Message, ValidationError
from vises_nb.instruments.forms import Form
from vises_nb.instruments.importing.problems import Collector
from vises_nb.instruments.owned import indicator_code
from vises_nb.method.catalogue import BY_CODE
from vises_nb.store import model as m
from vises_nb.store.store import Store


def indicator_for(store: Store, enterprise_id: str, code: str,
                  lang: str | None = None) -> tuple[m.Indicator, bool] | None:
    """(indicator, is_new) for CODE: the enterprise's own one, else from the catalogue."""
    for indicator in store.list(m.Indicator, enterprise_id=enterprise_id):
        if indicator.code.casefold() == code.casefold() or indicator.id == code:
            return indicator, False
    entry = BY_CODE.get(code) or next((e for c, e in BY_CODE.items()
                                       if c.casefold() == code.casefold()), None)
    if entry is None:
        return None
    lang = lang or store.require_enterprise(enterprise_id).language
    return m.Indicator(id=f"{enterprise_id}-{entry.code}"[:64], enterprise_id=enterprise_id,
                       code=entry.code, name=entry.name[lang], level=entry.level,
                       nature=entry.nature, dimension=entry.dimension,
                       unit=entry.unit[lang], source=entry.source), True


def scales_expected(indicator: m.Indicator) -> set[str] | None:
    """The answer scales a catalogue indicator's statistic is computed on (its own items'
    scale); None for an enterprise's own indicator, which takes its kind from its items."""
    entry = BY_CODE.get(indicator.code)
    return None if entry is None else {item.scale for item in entry.items}


def _known_codes(store: Store, enterprise_id: str) -> str:
    own = [i.code for i in store.list(m.Indicator, enterprise_id=enterprise_id)]
    shown = own[:10] + ["..."] if len(own) > 10 else own
    return ", ".join(shown) or "-"


def resolve_links(store: Store, enterprise_id: str, form: Form, items: dict[str, m.Item],
                  problems: Collector) -> tuple[list[m.Indicator], dict[str, str]]:
    """(catalogue indicators to add, {item id: indicator id}) from the form's `vises` column."""
    new: dict[str, m.Indicator] = {}
    links: dict[str, str] = {}
    for question in form.questions:
        code = indicator_code(question)
        if code is None:
            continue
        found = indicator_for(store, enterprise_id, code)
        if found is None:
            problems.add("err.import.unknown_indicator", sheet="survey", row=question.row,
                         column="vises", code=code,
                         expected=Message("err.import.expect_indicator", form=form.shown_as,
                                          known=_known_codes(store, enterprise_id)))
            continue
        indicator, is_new = found
        if is_new:
            new[indicator.id] = indicator
        keyed = [item for key, item in items.items()
                 if key == question.name or key.startswith(question.name + "/")]
        expected = scales_expected(indicator)
        for item in keyed:
            if expected is not None and item.scale not in expected:
                # e.g. an agreement question linked to a yes/no indicator: its statistic
                # (a share) cannot be computed on 1..5 answers
                problems.add("err.import.indicator_scale", sheet="survey", row=question.row,
                             column="vises", question=question.name, code=indicator.code,
                             scale=item.scale, needed=", ".join(sorted(expected)))
                continue
            links[item.id] = indicator.id
    return list(new.values()), links


def link_item(store: Store, enterprise_id: str, item_code: str, indicator: str | None,
              lang: str | None = None) -> m.Item:
    """Link the enterprise's item `item_code` to an indicator (code or id; None unlinks).

    A catalogue code not yet in the plan is added to it. Unknown item or indicator: a
    ValidationError naming what exists, nothing changed.
    """
    store.require_enterprise(enterprise_id)
    items = store.list(m.Item, enterprise_id=enterprise_id)
    item = next((i for i in items if i.code == item_code or i.id == item_code), None)
    if item is None:
        raise ValidationError("err.link.unknown_item", item=item_code,
                              known=", ".join(i.code for i in items[:15]) or "-")
    _, revision = store.get(m.Item, item.id)
    if indicator is None:
        updated = item.model_copy(update={"indicator_id": None})
        store.save(updated, revision)
        return updated
    found = indicator_for(store, enterprise_id, indicator, lang)
    if found is None:
        raise ValidationError("err.link.unknown_indicator", indicator=indicator,
                              known=_known_codes(store, enterprise_id))
    chosen, is_new = found
    expected = scales_expected(chosen)
    if expected is not None and item.scale not in expected:
        raise ValidationError("err.link.indicator_scale", item=item.code, code=chosen.code,
                              scale=item.scale, needed=", ".join(sorted(expected)))
    updated = item.model_copy(update={"indicator_id": chosen.id})
    with store.transaction() as w:
        if is_new:
            w.save(chosen)
        w.save(updated, revision)
    return updated


def item_links(store: Store, enterprise_id: str):
    """The item → indicator table of an enterprise (for step 2): one row per item."""
    import pandas as pd

    items = store.frame("items", enterprise_id)
    indicators = store.frame("indicators", enterprise_id)[["id", "code", "name"]]
    table = items[["id", "code", "text", "scale", "indicator_id"]].merge(
        indicators.rename(columns={"id": "indicator_id", "code": "indicator_code",
                                   "name": "indicator_name"}), on="indicator_id", how="left")
    return pd.DataFrame(table)
