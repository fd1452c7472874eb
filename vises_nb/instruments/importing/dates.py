"""Which order a column's short dates are written in: day first or month first.

`30/11/2026` says day first and `11/30/2026` month first by itself; `3/4/2026` says
nothing. Each date column is decided by its own dates, else by the file's other date
columns (and the tool's own time column: Google Forms writes every date of one file in
the form owner's country's order), else day first as Belgian and French exports write
them, except where the tool writes either order by country: Google Forms in English
(`Timestamp`) writes 11/30/2026 in the United States and 30/11/2026 in the United
Kingdom. There a column nothing decides is refused, naming it and saying how to state the
order (`vises import --date-order mdy|dmy`): a date is never read in a guessed order.
"""

from __future__ import annotations

from vises_nb.errors import Message
from vises_nb.instruments.importing.problems import Collector
from vises_nb.instruments.importing.values import SHORT_DATE, date_order_shown

Place = tuple[str, str | None, int, str]  # raw, sheet, row, column


def _shown(raws: list[str]) -> set[str]:
    return {order for raw in raws if (order := date_order_shown(raw)) is not None}


def date_orders(columns: dict[str, list[Place]], problems: Collector, *,
                stated: str | None = None, clock: list[str] = (),
                must_decide: bool = False) -> dict[str, str]:
    """Each date question's order (`dmy` or `mdy`), from its answers (`columns`: name ->
    the raw answers and where they are). `stated`: the order the person importing gave;
    `clock`: the tool's own times (Google's `Timestamp`); `must_decide`: the tool writes
    either order (Google Forms in English), so a column nothing decides is a problem."""
    if stated is not None:
        return dict.fromkeys(columns, stated)
    own = {name: _shown([raw for raw, *_ in places]) for name, places in columns.items()}
    in_file = _shown(list(clock)).union(*own.values()) if own else _shown(list(clock))
    file_order = next(iter(in_file)) if len(in_file) == 1 else None
    orders: dict[str, str] = {}
    for name, places in columns.items():
        order = next(iter(own[name])) if len(own[name]) == 1 else file_order
        if order is None and must_decide:
            undecided = next((p for p in places if SHORT_DATE.fullmatch(p[0].strip())), None)
            if undecided is not None:
                raw, sheet, row, column = undecided
                problems.add("err.import.date_order", sheet=sheet, row=row, column=column,
                             raw=raw, expected=Message("err.import.expect_date_order"))
        orders[name] = order or "dmy"
    return orders
