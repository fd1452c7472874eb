"""The package layout stays as designed: each layer imports only the layers below it,
and no module imports itself back through others (a circle).

Every import is read from the source with `ast`, including the ones inside functions
(a lazy import is still a dependency), so an upward or circular import fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "vises_nb"

#: layer of each top-level name under vises_nb, lowest first; a module may import its own
#: layer or a lower one. `cli` is the face: it may import everything.
LAYERS = {
    "errors": 0, "i18n": 0, "paths": 0, "files": 0, "text": 0,
    "method": 1,
    "store": 2,
    "sample": 3,
    "analysis": 4,
    "instruments": 5,
    "publishing": 6,
    "dashboards": 7,
    "cli": 8,
}


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


MODULES = _modules()


def _target(module: str, is_package: bool, node: ast.ImportFrom) -> str | None:
    if not node.level:
        return node.module
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str) -> set[str]:
    """The vises_nb modules `module` imports (a name imported from a package counts as
    the submodule when there is one, else the package)."""
    path, is_package = MODULES[module]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = _target(module, is_package, node)
            if not target or target.split(".")[0] != "vises_nb":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "vises_nb")
    found.discard(module)
    return {name for name in found if name in MODULES}


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) == 1:  # vises_nb itself: __version__ and the lazy public names
        return None
    return LAYERS[parts[1]]


def test_every_top_level_module_or_package_has_a_layer():
    tops = {name.split(".")[1] for name in MODULES if "." in name}
    assert tops <= set(LAYERS), f"give these a layer in LAYERS: {sorted(tops - set(LAYERS))}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "vises_nb"))
def test_no_import_runs_upward(module):
    own = layer_of(module)
    upward = sorted(name for name in imports_of(module)
                    if (layer_of(name) or 0) > own)
    assert not upward, f"{module} (layer {own}) imports higher layers: {upward}"


def test_the_package_root_only_points_at_public_names():
    """`vises_nb/__init__` may name any layer (lazily), but imports none when loaded."""
    tree = ast.parse(MODULES["vises_nb"][0].read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))
                 and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")]
    assert not top_level


def _cycles() -> list[list[str]]:
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        graph[module] = set()
        for name in imports_of(module) - {"vises_nb"}:
            graph[module].add(name)
            # importing a module from another package first runs that package's __init__
            parts = name.split(".")
            for depth in range(2, len(parts)):
                package = ".".join(parts[:depth])
                if package != module and not module.startswith(package + "."):
                    graph[module].add(package)
    cycles, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def test_no_import_circle():
    assert _cycles() == []


def test_the_check_catches_an_upward_import_and_a_circle(tmp_path, monkeypatch):
    """The rules above can fail: a fake analysis module importing publishing, and two
    modules importing each other, are both reported."""
    fake = {
        "vises_nb.analysis.fake": "from vises_nb.publishing import charts\n",
        "vises_nb.method.a": "from vises_nb.method import b\n",
        "vises_nb.method.b": "from vises_nb.method import a\n",
    }
    modules = dict(MODULES)
    for name, source in fake.items():
        path = tmp_path / (name.rpartition(".")[2] + ".py")
        path.write_text(source)
        modules[name] = (path, False)
    monkeypatch.setattr(__import__(__name__), "MODULES", modules)
    assert "vises_nb.publishing.charts" in imports_of("vises_nb.analysis.fake")
    assert layer_of("vises_nb.publishing.charts") > layer_of("vises_nb.analysis.fake")
    assert any({"vises_nb.method.a", "vises_nb.method.b"} <= set(c) for c in _cycles())


def test_public_names_importable_from_the_package():
    import vises_nb
    from vises_nb import Store, all_changes, all_results, load_cohort, read_sidecar
    from vises_nb.store import Store as StoreAgain

    assert Store is StoreAgain
    assert all(callable(f) for f in (all_changes, all_results, load_cohort, read_sidecar))
    with pytest.raises(AttributeError):
        vises_nb.no_such_name  # noqa: B018
