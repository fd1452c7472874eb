"""The impact chain's arrows: which links are allowed, and adding or removing them safely.

An arrow goes from an element to one at a later level (resources → activities → outputs →
outcomes → impacts): never to itself, to the same level, backwards, or twice. The checks
are pure functions, so a form can show their message while the user picks; `add_link` and
`level_change_problem` run them again inside the saving transaction, against what is
stored at that moment, so two people working at once cannot leave a backward, duplicate
or dangling arrow behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from vises_nb import i18n
from vises_nb.errors import ValidationError
from vises_nb.method import vocabulary as voc
from vises_nb.store import model as m
from vises_nb.store.schema import TABLES
from vises_nb.store.store import Store, Writer

LEVEL_ORDER = {code: i for i, code in enumerate(voc.CHAIN_LEVELS.codes)}


@dataclass(frozen=True)
class LinkProblem:
    """Why a link is refused: the field the message goes beside, its catalogue key and the
    values the message names."""

    field: str
    key: str
    values: dict[str, str] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        """The message in `lang`, level codes shown as that language's level names."""
        values = {k: voc.CHAIN_LEVELS.label(v, lang) if k.endswith("_level") else v
                  for k, v in self.values.items()}
        return i18n.t(self.key, lang, **values)


class InvalidLink(ValidationError):
    """A link the chain's rules refuse (the message is in English; `problem` has the key)."""

    def __init__(self, problem: LinkProblem):
        self.problem = problem
        super().__init__(f"impact-chain link: field '{problem.field}': {problem.message('en')}")


def level_name(element: m.ChainElement, lang: str) -> str:
    return voc.CHAIN_LEVELS.label(element.level, lang)


def describe_element(element: m.ChainElement, lang: str) -> str:
    """'2. Activities — Workshops': the level's rank and name, then the element's label."""
    return f"{LEVEL_ORDER[element.level] + 1}. {level_name(element, lang)} — {element.label}"


def describe_link(link: m.ChainLink, elements: Mapping[str, m.ChainElement]) -> str:
    """'Workshops → Jobs found': what people call the arrow (ids if an end is unknown)."""
    ends = [elements[i].label if i in elements else i for i in (link.source_id, link.target_id)]
    return f"{ends[0]} → {ends[1]}"


def by_level(elements: Iterable[m.ChainElement]) -> list[m.ChainElement]:
    """Elements in chain order (level, then id), as the forms list them."""
    return sorted(elements, key=lambda e: (LEVEL_ORDER[e.level], e.id))


def link_problem(source_id: str | None, target_id: str | None,
                 elements: Mapping[str, m.ChainElement],
                 links: Iterable[m.ChainLink]) -> LinkProblem | None:
    """What is wrong with an arrow source → target among one enterprise's `elements` and
    existing `links`, or None when it may be added."""
    if not source_id:
        return LinkProblem("source_id", "link.error.source_required")
    if source_id not in elements:
        return LinkProblem("source_id", "link.error.unknown", {"element": source_id})
    if not target_id:
        return LinkProblem("target_id", "link.error.target_required")
    if target_id not in elements:
        return LinkProblem("target_id", "link.error.unknown", {"element": target_id})
    source, target = elements[source_id], elements[target_id]
    if source_id == target_id:
        return LinkProblem("target_id", "link.error.self", {"element": source.label})
    if any(link.source_id == source_id and link.target_id == target_id for link in links):
        return LinkProblem("target_id", "link.error.duplicate",
                           {"source": source.label, "target": target.label})
    levels = {"source_level": source.level, "target_level": target.level}
    if LEVEL_ORDER[target.level] == LEVEL_ORDER[source.level]:
        return LinkProblem("target_id", "link.error.same_level", levels)
    if LEVEL_ORDER[target.level] < LEVEL_ORDER[source.level]:
        return LinkProblem("target_id", "link.error.backwards", levels)
    return None


def broken_by_level(element_id: str, new_level: str, elements: Mapping[str, m.ChainElement],
                    links: Iterable[m.ChainLink]) -> list[m.ChainLink]:
    """The links that would no longer go forward if `element_id` moved to `new_level`."""
    def level(i: str) -> int:
        return LEVEL_ORDER[new_level] if i == element_id else LEVEL_ORDER[elements[i].level]

    return [link for link in links
            if element_id in (link.source_id, link.target_id)
            and link.source_id in elements and link.target_id in elements
            and level(link.target_id) <= level(link.source_id)]


def links_of(element_id: str, links: Iterable[m.ChainLink]) -> list[m.ChainLink]:
    """The arrows that start or end at an element."""
    return [link for link in links if element_id in (link.source_id, link.target_id)]


def link_id(enterprise_id: str, source_id: str, target_id: str) -> str:
    """A link's id, the same for the same arrow: two people adding the same arrow at once
    collide on the key instead of storing it twice."""
    digest = hashlib.sha1(f"{enterprise_id}|{source_id}|{target_id}".encode()).hexdigest()
    return f"{enterprise_id}-link-{digest[:12]}"


# ----------------------------------------------------------------- reading and writing
def _elements(conn: sa.Connection, enterprise_id: str,
              lock: Iterable[str] = ()) -> dict[str, m.ChainElement]:
    """The enterprise's elements; those in `lock` are locked for this transaction (on
    servers that lock rows), so nobody removes or moves them before it commits."""
    table = TABLES[m.ChainElement]
    locked = [i for i in lock if i]
    if locked:
        conn.execute(sa.select(table.c.id).where(table.c.id.in_(locked)).with_for_update())
    rows = conn.execute(sa.select(table).where(table.c.enterprise_id == enterprise_id))
    return {r.id: m.ChainElement.model_validate({k: v for k, v in r._mapping.items()
                                                 if k not in ("revision", "updated_at")})
            for r in rows}


def _links(conn: sa.Connection, enterprise_id: str) -> list[m.ChainLink]:
    table = TABLES[m.ChainLink]
    rows = conn.execute(sa.select(table).where(table.c.enterprise_id == enterprise_id)
                        .order_by(table.c.id))
    return [m.ChainLink(id=r.id, enterprise_id=r.enterprise_id, source_id=r.source_id,
                        target_id=r.target_id) for r in rows]


def chain_of(store: Store, enterprise_id: str) -> tuple[dict[str, m.ChainElement],
                                                        list[m.ChainLink]]:
    """An enterprise's elements (by id) and links, as stored now."""
    with store.engine.connect() as conn:
        return _elements(conn, enterprise_id), _links(conn, enterprise_id)


def add_link(store: Store, enterprise_id: str, source_id: str | None,
             target_id: str | None) -> m.ChainLink:
    """Store the arrow source → target, checked against the chain as stored now.

    Raises InvalidLink when the rules refuse it, ConflictError when someone added the same
    arrow at the same moment. Nothing is written in either case.
    """
    with store.transaction() as writer:
        elements = _elements(writer.conn, enterprise_id, lock=(source_id or "", target_id or ""))
        problem = link_problem(source_id, target_id, elements, _links(writer.conn, enterprise_id))
        if problem is not None:
            raise InvalidLink(problem)
        assert source_id and target_id
        link = m.ChainLink(id=link_id(enterprise_id, source_id, target_id),
                           enterprise_id=enterprise_id, source_id=source_id,
                           target_id=target_id)
        writer.save(link)
    return link


def remove_link(store: Store, link_id_: str) -> None:
    """Remove one arrow (NotFoundError when someone removed it already)."""
    revision = store.get(m.ChainLink, link_id_)[1]
    store.delete(m.ChainLink, link_id_, revision)


def level_change_problem(conn: sa.Connection, element: m.ChainElement,
                         lang: str) -> str | None:
    """Inside the transaction saving `element`: the message refusing its new level when
    some of its arrows would then go backwards or stay on one level, naming them."""
    elements = _elements(conn, element.enterprise_id)
    elements[element.id] = element
    broken = broken_by_level(element.id, element.level, elements,
                             _links(conn, element.enterprise_id))
    if not broken:
        return None
    return i18n.t("link.error.level_breaks", lang, count=len(broken),
                  links="; ".join(describe_link(link, elements) for link in broken))


def dependent_links(conn: sa.Connection, element: m.ChainElement) -> dict[str, str]:
    """The arrows from and to an element (id → 'A → B'), read inside a transaction."""
    elements = _elements(conn, element.enterprise_id)
    elements.setdefault(element.id, element)
    return {link.id: describe_link(link, elements)
            for link in links_of(element.id, _links(conn, element.enterprise_id))}


def drop_links(writer: Writer, ids: Iterable[str]) -> None:
    """Remove the given arrows (the ones the user confirmed removing)."""
    chosen = list(ids)
    if chosen:
        table = TABLES[m.ChainLink]
        writer.conn.execute(table.delete().where(table.c.id.in_(chosen)))
