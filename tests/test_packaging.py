"""environment.yml (conda users) names the same packages and pins as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def normalise(requirement: str) -> tuple[str, str]:
    """('name', 'spec') with names compared the PyPI way and conda's '=' read as '=='."""
    requirement = requirement.replace(" ", "").split(";")[0]
    name, spec = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?(.*)", requirement).groups()
    spec = re.sub(r"(?<![=<>!])=(?!=)", "==", spec)
    return re.sub(r"[-_.]+", "-", name).lower(), spec


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(normalise(r) for r in project["dependencies"])
    for extra in ("lab", "postgres", "dask"):
        wanted.update(normalise(r) for r in project["optional-dependencies"][extra])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(normalise(d) for d in env["dependencies"]
                 if isinstance(d, str) and not d.startswith(("python", "pip")))
    assert conda == wanted


def test_kernel_stack_is_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = dict(normalise(r) for r in project["dependencies"])
    for name in ("ipykernel", "jupyter-client", "nbclient", "papermill", "ipywidgets",
                 "jupyterlab-widgets", "voila", "altair", "vl-convert-python"):
        assert pins[name].startswith("=="), name


def test_installed_versions_are_the_pinned_ones():
    from importlib.metadata import version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for name, spec in (normalise(r) for r in project["dependencies"]):
        if spec.startswith("=="):
            assert version(name) == spec[2:], name
