"""A deterministic layered layout of the impact chain (pure Python, no system package).

Sugiyama-style: each element sits in the column of its chain level (resources → activities
→ outputs → outcomes → impacts); an arrow that skips levels passes through a thin
"dummy" slot in every column it crosses, so no arrow runs behind a box; the order within
each column is chosen by barycentre sweeps that reduce crossings (ties broken by the
previous order, then by id, so the same chain always gives the same picture).

Text is wrapped to the box width from a conservative estimate of glyph widths (a word
longer than a line is split, never cut), and boxes grow to hold it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Geometry in CSS pixels; 718 px is A4's width less 2 × 14 mm of margins at 96 dpi, so
# the diagram is printed at its natural size and its text stays at FONT px (≥ 10 pt).
FONT = 14.0  # label text, px (10.5 pt)
TAG_FONT = 13.5  # dimension marks, px (≈ 10.1 pt)
LINE = 1.3  # line height, in font sizes
BOX_WIDTH = 118.0
GAP = 32.0  # between columns: where arrows run
PAD = 6.0  # inside a box
V_GAP = 14.0  # between boxes of a column
DUMMY = 10.0  # height of an arrow's passage through a column
HEADER = 2  # lines reserved for the column titles
SWEEPS = 8

NARROW = set("il.,;:'|!ijtfrI()[]{} -/")
WIDE = set("mwMW@%")


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` in a sans-serif font (DejaVu Sans, the
    widest common one): never less than the real width, so wrapped text stays in its box."""
    width = 0.0
    for ch in text:
        if ch in NARROW:
            width += 0.40
        elif ch in WIDE:
            width += 1.0
        elif ch.isupper() or ch.isdigit():
            width += 0.76
        else:
            width += 0.64
    return width * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` as lines no wider than `width`; a word too long for a line is split with a
    hyphen. Nothing is dropped: joining the lines gives back every character."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while text_width(word, size) > width:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut] + "-", size) > width:
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True)
class Node:
    """An element to place: its id, its column (0 = resources), its label and the marks it
    carries (its dimensions, already in words)."""

    id: str
    layer: int
    label: str
    tags: tuple[str, ...] = ()
    tag_codes: tuple[str, ...] = ()


@dataclass
class Box:
    id: str
    layer: int
    x: float
    y: float
    width: float
    height: float
    lines: list[str]
    tags: list[list[str]]  # each mark's wrapped lines
    tag_codes: tuple[str, ...] = ()

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass
class Edge:
    source: str
    target: str
    points: list[tuple[float, float]]  # from the source's right side to the target's left


@dataclass
class Layout:
    boxes: dict[str, Box]
    edges: list[Edge]
    headers: list[tuple[float, list[str]]]  # (column x, wrapped title)
    width: float
    height: float
    skipped: list[tuple[str, str]] = field(default_factory=list)  # arrows not forward
    crossings: int = 0


@dataclass
class _Slot:
    """A place in a column: a real element, or an arrow passing through."""

    key: str
    layer: int
    height: float
    node: Node | None = None
    ups: list[str] = field(default_factory=list)  # slots in the previous column
    downs: list[str] = field(default_factory=list)  # slots in the next column


def _content(node: Node) -> tuple[list[str], list[list[str]], float]:
    inner = BOX_WIDTH - 2 * PAD
    lines = wrap(node.label, inner, FONT)
    tags = [wrap(t, inner - TAG_FONT, TAG_FONT) for t in node.tags]
    height = 2 * PAD + len(lines) * FONT * LINE
    if tags:
        height += 4 + sum(len(t) for t in tags) * TAG_FONT * LINE
    return lines, tags, height


def _crossings(columns: list[list[str]], slots: dict[str, _Slot]) -> int:
    total = 0
    for left, right in itertools.pairwise(columns):
        where = {k: i for i, k in enumerate(right)}
        pairs = [(i, where[d]) for i, k in enumerate(left) for d in slots[k].downs]
        total += sum(1 for a, (i1, j1) in enumerate(pairs) for i2, j2 in pairs[a + 1:]
                     if (i1 - i2) * (j1 - j2) < 0)
    return total


def _centre(near: list[str], where: dict[str, int], own: int) -> float:
    """The mean position of a slot's neighbours in the fixed column (its own if none)."""
    return sum(where[n] for n in near) / len(near) if near else float(own)


def _sweep(columns: list[list[str]], slots: dict[str, _Slot], down: bool) -> None:
    order = range(1, len(columns)) if down else range(len(columns) - 2, -1, -1)
    for c in order:
        fixed = columns[c - 1] if down else columns[c + 1]
        where = {k: i for i, k in enumerate(fixed)}
        current = {k: i for i, k in enumerate(columns[c])}

        columns[c] = sorted(columns[c], key=lambda k, w=where, p=current: (
            _centre(slots[k].ups if down else slots[k].downs, w, p[k]), p[k], k))


def layout(nodes: Sequence[Node], links: Iterable[tuple[str, str]], titles: Sequence[str],
           ) -> Layout:
    """Place `nodes` in len(titles) columns and route `links` (source id, target id).

    Arrows that do not go to a later column (or name an unknown element) are not drawn
    and are listed in `skipped`.
    """
    n_layers = len(titles)
    slots: dict[str, _Slot] = {}
    contents = {}
    for node in sorted(nodes, key=lambda n: (n.layer, n.id)):
        lines, tags, height = _content(node)
        contents[node.id] = (lines, tags)
        slots[node.id] = _Slot(node.id, node.layer, height, node)
    skipped, routes = [], []
    for source, target in sorted(set(links)):
        if (source not in contents or target not in contents
                or slots[target].layer <= slots[source].layer):
            skipped.append((source, target))
            continue
        path = [source]
        for layer in range(slots[source].layer + 1, slots[target].layer):
            key = f"{source}>{target}@{layer}"
            slots[key] = _Slot(key, layer, DUMMY)
            path.append(key)
        path.append(target)
        for a, b in itertools.pairwise(path):
            slots[a].downs.append(b)
            slots[b].ups.append(a)
        routes.append((source, target, path))
    columns: list[list[str]] = [[] for _ in range(n_layers)]
    for key, slot in slots.items():  # elements first (by id), then passages
        columns[slot.layer].append(key)
    best, best_count = [list(c) for c in columns], _crossings(columns, slots)
    for i in range(SWEEPS):
        _sweep(columns, slots, down=i % 2 == 0)
        count = _crossings(columns, slots)
        if count < best_count:
            best, best_count = [list(c) for c in columns], count
    columns = best

    header_lines = [wrap(t, BOX_WIDTH, FONT) for t in titles]
    top = max([len(h) for h in header_lines] + [HEADER]) * FONT * LINE + 8
    heights = [sum(slots[k].height for k in col) + V_GAP * max(len(col) - 1, 0)
               for col in columns]
    tallest = max(heights + [0.0])
    boxes: dict[str, Box] = {}
    passage: dict[str, tuple[float, float]] = {}
    for c, col in enumerate(columns):
        x = c * (BOX_WIDTH + GAP)
        y = top + (tallest - heights[c]) / 2
        for key in col:
            slot = slots[key]
            if slot.node is not None:
                lines, tags = contents[key]
                boxes[key] = Box(key, c, x, y, BOX_WIDTH, slot.height, lines, tags,
                                 slot.node.tag_codes)
            else:
                passage[key] = (x, y + slot.height / 2)
            y += slot.height + V_GAP
    edges = []
    for source, target, path in routes:
        start, end = boxes[source], boxes[target]
        points = [(start.right, start.y + start.height / 2)]
        for key in path[1:-1]:
            x, y = passage[key]
            points += [(x, y), (x + BOX_WIDTH, y)]
        points.append((end.x, end.y + end.height / 2))
        edges.append(Edge(source, target, points))
    width = n_layers * BOX_WIDTH + (n_layers - 1) * GAP
    return Layout(boxes, edges, [(c * (BOX_WIDTH + GAP), h) for c, h in
                                 enumerate(header_lines)], width, top + tallest + 4,
                  skipped, best_count)
