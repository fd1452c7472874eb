"""The impact chain drawn as a diagram: offline SVG from `analysis.chain_layout`.

Boxes in columns by level, arrows with heads that run between the columns (never behind a
box), every dimension an element carries marked in its box with a coloured square and its
name, and a legend. Text is escaped; the SVG's natural width is A4's printable width, so
its text prints at ≥ 10 pt.
"""

from __future__ import annotations

import hashlib
from html import escape

import pandas as pd

from vises_nb import i18n
from vises_nb.analysis import chain_layout as cl
from vises_nb.method import vocabulary as voc
from vises_nb.text import clean

COLOURS = {"economic": "#2a6f97", "social": "#e07a5f", "political": "#6d597a",
           "environmental": "#4f8a6b", "territorial": "#c9a227"}
FILLS = {"resource": "#f4f4f4", "activity": "#eef4fa", "output": "#f3f0f7",
         "outcome": "#fdf1ec", "impact": "#eef6f1"}


def chain_layout(elements: pd.DataFrame, links: pd.DataFrame, lang: str) -> cl.Layout:
    """The layout of an enterprise's chain (its `chain_elements` and `chain_links` frames)."""
    order = {code: i for i, code in enumerate(voc.CHAIN_LEVELS.codes)}
    nodes = []
    for row in elements.to_dict("records"):
        dims = [d for d in voc.DIMENSIONS.codes if d in list(row.get("dimensions") or [])]
        # cleaned here too: a store from before text was normalised may hold controls,
        # which XML (an SVG saved as a file) forbids
        nodes.append(cl.Node(str(row["id"]), order[row["level"]], clean(str(row["label"])),
                             tuple(voc.DIMENSIONS.label(d, lang) for d in dims), tuple(dims)))
    pairs = [(str(s), str(t)) for s, t in zip(links.get("source_id", []),
                                               links.get("target_id", []))]
    titles = [voc.CHAIN_LEVELS.label(c, lang) for c in voc.CHAIN_LEVELS.codes]
    return cl.layout(nodes, pairs, titles)


def _text(x: float, y: float, lines: list[str], size: float, css: str,
          weight: str = "normal") -> str:
    spans = "".join(
        f"<tspan x='{x:.1f}' y='{y + size + i * size * cl.LINE:.1f}'>{escape(line)}</tspan>"
        for i, line in enumerate(lines))
    return (f"<text class='{css}' font-size='{size}' font-weight='{weight}' "
            f"font-family='DejaVu Sans, Arial, sans-serif' fill='#222'>{spans}</text>")


def svg(layout: cl.Layout, lang: str, title: str = "") -> str:
    """The diagram as a standalone <svg> element (no script, no external reference)."""
    key = hashlib.sha1(repr(sorted(layout.boxes)).encode() + lang.encode()).hexdigest()[:8]
    marker = f"vises-arrow-{key}"
    legend_y = layout.height + 10
    used = [d for d in voc.DIMENSIONS.codes
            if any(d in b.tag_codes for b in layout.boxes.values())]
    height = legend_y + (cl.TAG_FONT * cl.LINE * 2 if used else 0) + 4
    parts = [
        (f"<svg xmlns='http://www.w3.org/2000/svg' class='vises-chain-diagram' role='img' "
        f"width='{layout.width + 4:.0f}' height='{height + 4:.0f}' "
        f"viewBox='-2 -2 {layout.width + 4:.0f} {height + 4:.0f}' "
        f"style='max-width:100%;height:auto' aria-label='{escape(title, quote=True)}'>"),
        f"<title>{escape(title)}</title>" if title else "",
        (f"<defs><marker id='{marker}' viewBox='0 0 10 10' refX='10' refY='5' "
        "markerWidth='7' markerHeight='7' orient='auto-start-reverse'>"
        "<path d='M0,0 L10,5 L0,10 z' fill='#555'/></marker></defs>"),
    ]
    for x, lines in layout.headers:
        parts.append(_text(x, 0, lines, cl.FONT, "vises-chain-level", "bold"))
    for edge in layout.edges:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in edge.points)
        parts.append(f"<polyline class='vises-chain-arrow' data-source='{escape(edge.source)}' "
                     f"data-target='{escape(edge.target)}' points='{points}' fill='none' "
                     f"stroke='#555' stroke-width='1.4' marker-end='url(#{marker})'/>")
    codes = voc.CHAIN_LEVELS.codes
    for box in layout.boxes.values():
        parts.append(f"<g class='vises-chain-box' data-id='{escape(box.id, quote=True)}'>")
        parts.append(f"<rect x='{box.x:.1f}' y='{box.y:.1f}' width='{box.width:.1f}' "
                     f"height='{box.height:.1f}' rx='5' fill='{FILLS[codes[box.layer]]}' "
                     "stroke='#666' stroke-width='1'/>")
        parts.append(_text(box.x + cl.PAD, box.y + cl.PAD - 2, box.lines, cl.FONT,
                           "vises-chain-label"))
        y = box.y + cl.PAD + len(box.lines) * cl.FONT * cl.LINE + 2
        for code, lines in zip(box.tag_codes, box.tags):
            parts.append(f"<rect class='vises-chain-mark' x='{box.x + cl.PAD:.1f}' "
                         f"y='{y + 3:.1f}' width='9' height='9' fill='{COLOURS[code]}'/>")
            parts.append(_text(box.x + cl.PAD + cl.TAG_FONT, y - 2, lines, cl.TAG_FONT,
                               "vises-chain-dimension"))
            y += len(lines) * cl.TAG_FONT * cl.LINE
        parts.append("</g>")
    x = 0.0
    for code in used:
        label = voc.DIMENSIONS.label(code, lang)
        parts.append(f"<rect x='{x:.1f}' y='{legend_y + 3:.1f}' width='9' height='9' "
                     f"fill='{COLOURS[code]}'/>")
        parts.append(_text(x + cl.TAG_FONT, legend_y - 2, [label], cl.TAG_FONT,
                           "vises-chain-legend"))
        x += cl.TAG_FONT + cl.text_width(label, cl.TAG_FONT) + 16
    parts.append("</svg>")
    return "".join(parts)


def chain_svg(data, lang: str) -> str:
    """An enterprise's impact chain as SVG (an empty chain gives a short sentence instead)."""
    return frames_svg(data.chain_elements, data.chain_links, lang)


def frames_svg(elements: pd.DataFrame, links: pd.DataFrame, lang: str) -> str:
    """The chain of these elements and arrows as SVG, or a sentence when it is empty."""
    if elements.empty:
        return f"<p class='vises-chain-empty'>{escape(i18n.t('no_data', lang))}</p>"
    return svg(chain_layout(elements, links, lang), lang, i18n.t("chain.title", lang))


class ChainDiagram:
    """What a notebook displays: the diagram as inline HTML (SVG inside)."""

    def __init__(self, data, lang: str):
        self.html = chain_svg(data, lang)

    def _repr_html_(self) -> str:
        return f"<div class='vises-chain'>{self.html}</div>"
