"""The impact chain as a diagram: the layered layout (pure function) and its SVG, checked
in Chromium (text inside its box, arrows with heads, nothing behind a box)."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from vises_nb.analysis import chain_layout as cl
from vises_nb.publishing import chain_diagram as cd
from vises_nb.store.loading import load_enterprise
from vises_nb.store.store import Store

TITLES = ["Resources", "Activities", "Outputs", "Outcomes", "Impacts"]


def node(id_, layer, label=None, tags=()):
    return cl.Node(id_, layer, label or f"Element {id_}", tuple(tags))


def overlaps(a: cl.Box, b: cl.Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


NODES = [node("r1", 0), node("r2", 0), node("a1", 1), node("a2", 1), node("o1", 2),
         node("u1", 3), node("i1", 4, tags=["Social", "Economic", "Territorial"])]
LINKS = [("r1", "a2"), ("r2", "a1"), ("a1", "o1"), ("a2", "o1"), ("r1", "i1"),
         ("o1", "u1"), ("u1", "i1"), ("a1", "u1")]


def test_boxes_never_overlap_and_sit_in_their_level_column():
    layout = cl.layout(NODES, LINKS, TITLES)
    assert set(layout.boxes) == {n.id for n in NODES}
    for a, b in itertools.combinations(layout.boxes.values(), 2):
        assert not overlaps(a, b), (a.id, b.id)
    for n in NODES:
        assert layout.boxes[n.id].x == n.layer * (cl.BOX_WIDTH + cl.GAP)
    assert layout.width == pytest.approx(718), "A4's printable width: printed at 10 pt"


def test_arrows_go_forward_and_never_run_behind_a_box():
    layout = cl.layout(NODES, LINKS, TITLES)
    assert len(layout.edges) == len(LINKS)
    for edge in layout.edges:
        xs = [x for x, _ in edge.points]
        assert xs == sorted(xs), "left to right only"
        assert edge.points[0][0] == layout.boxes[edge.source].right
        assert edge.points[-1][0] == layout.boxes[edge.target].x
        for (x1, y1), (x2, y2) in zip(edge.points, edge.points[1:]):
            for box in layout.boxes.values():
                if box.id in (edge.source, edge.target):
                    continue
                # a segment inside a column is horizontal and must miss every box in it
                if x1 < box.right and box.x < x2:
                    assert y1 == y2, "only passages cross a column"
                    assert not box.y <= y1 <= box.bottom, (edge.source, edge.target, box.id)
    long = next(e for e in layout.edges if (e.source, e.target) == ("r1", "i1"))
    assert len(long.points) == 2 + 2 * 3, "through a passage in each of the 3 columns between"


def test_backward_or_unknown_arrows_are_skipped_not_drawn():
    layout = cl.layout(NODES, [("a1", "r1"), ("a1", "a2"), ("r1", "gone"), ("r1", "a1")],
                       TITLES)
    assert [(e.source, e.target) for e in layout.edges] == [("r1", "a1")]
    assert sorted(layout.skipped) == [("a1", "a2"), ("a1", "r1"), ("r1", "gone")]


def test_layout_is_deterministic_whatever_the_input_order():
    first = cl.layout(NODES, LINKS, TITLES)
    again = cl.layout(list(reversed(NODES)), list(reversed(LINKS)), TITLES)
    assert {k: (b.x, b.y) for k, b in first.boxes.items()} == \
           {k: (b.x, b.y) for k, b in again.boxes.items()}
    assert [e.points for e in first.edges] == [e.points for e in again.edges]


def test_barycentre_ordering_removes_avoidable_crossings():
    # r1→a2 and r2→a1 cross in input order; the sweeps uncross them
    layout = cl.layout([node("r1", 0), node("r2", 0), node("a1", 1), node("a2", 1)],
                       [("r1", "a2"), ("r2", "a1")], TITLES)
    assert layout.crossings == 0
    assert (layout.boxes["r1"].y < layout.boxes["r2"].y) == \
           (layout.boxes["a2"].y < layout.boxes["a1"].y)


def test_long_labels_wrap_and_keep_every_character():
    label = ("Accompagnement socio-professionnel individualisé des travailleurs en insertion "
             "Arbeidsmarktbegeleidingstraject")
    layout = cl.layout([node("x", 1, label, ["Environnementale", "Territoriale"])], [], TITLES)
    box = layout.boxes["x"]
    assert len(box.lines) > 3
    assert "".join(line.rstrip("-") for line in box.lines).replace(" ", "") == \
        label.replace(" ", "")
    for line in box.lines:
        assert cl.text_width(line, cl.FONT) <= box.width - 2 * cl.PAD
    assert box.height >= (len(box.lines) * cl.FONT + 2 * cl.TAG_FONT) * cl.LINE
    assert cl.FONT >= 13.33 and cl.TAG_FONT >= 13.33, "10 pt at A4 (96 px per inch)"


def test_svg_marks_every_dimension_and_escapes_text():
    elements = pd.DataFrame([
        {"id": "a", "level": "activity", "label": "Ateliers <b>& co</b>",
         "dimensions": ["social", "economic", "territorial"]},
        {"id": "b", "level": "impact", "label": "Inclusion", "dimensions": []}])
    links = pd.DataFrame([{"source_id": "a", "target_id": "b"}])
    text = cd.svg(cd.chain_layout(elements, links, "fr"), "fr", "Chaîne")
    root = ET.fromstring(text)  # well-formed XML: the label's markup is escaped
    ns = "{http://www.w3.org/2000/svg}"
    strings = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
    assert "Ateliers<b>&co</b>" in "".join(strings).replace(" ", "")
    box = next(g for g in root.iter(f"{ns}g") if g.get("data-id") == "a")
    marks = ["".join(t.itertext()) for t in box.iter(f"{ns}text")
             if t.get("class") == "vises-chain-dimension"]
    assert marks == ["Économique", "Sociale", "Territoriale"]
    arrows = list(root.iter(f"{ns}polyline"))
    assert len(arrows) == 1 and arrows[0].get("marker-end", "").startswith("url(#vises-arrow-")
    assert "http" not in text.replace("http://www.w3.org/2000/svg", "")


def test_svg_in_chromium_keeps_text_inside_boxes(sample_db, browser):
    store = Store.open(sample_db)
    data = load_enterprise(store, "E09")
    long = data.chain_elements.copy()
    long.loc[0, "label"] = ("Un atelier équipé, des véhicules utilitaires et "
                            "WWWWWWWWWWWWWWWWWWWWWWW MMMMMMMMMM en surplus")
    data.chain_elements = long
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.set_content(f"<html><body style='margin:0'>{cd.chain_svg(data, 'fr')}</body></html>")
    found = page.evaluate("""() => {
      const out = [];
      for (const g of document.querySelectorAll('g.vises-chain-box')) {
        const r = g.querySelector('rect').getBBox();
        for (const t of g.querySelectorAll('text')) {
          const b = t.getBBox();
          out.push({id: g.dataset.id, inside: b.x >= r.x && b.y >= r.y &&
                    b.x + b.width <= r.x + r.width && b.y + b.height <= r.y + r.height,
                    size: parseFloat(getComputedStyle(t).fontSize)});
        }
      }
      return {texts: out, arrows: document.querySelectorAll('polyline').length,
              width: document.querySelector('svg').getBoundingClientRect().width};
    }""")
    assert found["arrows"] == len(data.chain_links) > 0
    assert found["texts"] and all(t["inside"] for t in found["texts"]), found["texts"]
    assert min(t["size"] for t in found["texts"]) >= 13.33
    assert found["width"] == pytest.approx(722, abs=1)
    page.close()
    store.close()


@pytest.mark.slow
def test_step1_report_shows_the_chain_as_the_diagram(sample_db, tmp_path):
    import papermill

    from vises_nb.paths import NOTEBOOKS_DIR

    out = tmp_path / "01.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS_DIR / "01_diagnostic.ipynb"), str(out),
                               parameters={"enterprise_id": "E09", "lang": "fr",
                                           "store_url": str(sample_db),
                                           "output_dir": str(tmp_path)},
                               kernel_name="python3", progress_bar=False)
    html = [o["data"]["text/html"] for c in json.loads(out.read_text())["cells"]
            for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    diagrams = ["".join(h) for h in html if "vises-chain-diagram" in "".join(h)]
    assert len(diagrams) == 1
    store = Store.open(sample_db)
    arrows = len(store.frame("chain_links", "E09"))
    store.close()
    assert diagrams[0].count("<polyline") == arrows > 0
    assert "Réalisations" in diagrams[0] and "marker-end" in diagrams[0]
