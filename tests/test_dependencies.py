"""Every third-party package the code imports is declared in pyproject.toml, and nothing private
crosses a package boundary."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "powderkeg"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# import name -> distribution, for optional backends the dev environment does not install
NOT_INSTALLED = {"llama_cpp": "llama-cpp-python"}


def _declared(*, dev: bool = False) -> set[str]:
    """The dependencies and every extra's (``dev`` too only when asked)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra, more in project["optional-dependencies"].items():
        if extra != "dev" or dev:
            specs += more
    return {_normalise(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in specs}


def _third_party(paths: list[Path]) -> dict[str, set[str]]:
    """Distribution -> the files importing it, for every import that is neither stdlib nor ours."""
    where = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in paths:
        ours = {"powderkeg", "tests", "__future__"}
        if path.parent == ROOT / "bench":  # a benchmark may import another's helpers
            ours |= {p.stem for p in path.parent.glob("*.py")}
        for name in _imports(path) - set(sys.stdlib_module_names) - ours:
            for dist in where.get(name, [NOT_INSTALLED.get(name, name)]):
                found.setdefault(_normalise(dist), set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_package_imports_only_what_it_declares():
    used = _third_party(sorted(PACKAGE.rglob("*.py")))
    undeclared = {dist: files for dist, files in used.items() if dist not in _declared()}
    assert undeclared == {}


def test_the_tests_and_benchmarks_import_only_what_the_dev_extra_declares():
    used = _third_party(sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py")))
    undeclared = {dist: files for dist, files in used.items() if dist not in _declared(dev=True)}
    assert undeclared == {}


# a private name the extract branch of issue 11 makes public (knowledge/ is its area: read_rows);
# being removed by that branch, not to be added to
BEING_REMOVED = {"powderkeg/analyze/regions.py: _rows"}


def test_no_private_name_is_used_across_packages():
    """``from ..other import _helper``: a private helper belongs to its package."""
    crossings = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = path.relative_to(PACKAGE).parts
        package = here[0] if len(here) > 1 else ""
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            target = _target(here, node)
            if target is None or target == package:
                continue
            crossings += [
                f"{path.relative_to(ROOT)}: {a.name}"
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")  # __version__ is public
            ]
    assert set(crossings) - BEING_REMOVED == set()


def _target(here: tuple[str, ...], node: ast.ImportFrom) -> str | None:
    """The top-level subpackage of powderkeg an import reaches ('' for a top-level module)."""
    if node.level == 0:
        parts = (node.module or "").split(".")
        if parts[0] != "powderkeg":
            return None
        rest = parts[1:]
    else:
        base = list(here[:-1])[: len(here) - node.level] if node.level > 1 else list(here[:-1])
        rest = base + (node.module.split(".") if node.module else [])
    if not rest:
        return ""
    return rest[0] if (PACKAGE / rest[0]).is_dir() else ""
