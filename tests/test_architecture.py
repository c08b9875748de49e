"""The shape of the package: stages as subpackages, imports only going down the stages, no import
cycle anywhere, MkDocs behind one edge module, configuration read in one place. Checked on the real
import graph (grimp), the TYPE_CHECKING-only imports left out."""

from __future__ import annotations

import ast
import importlib

import grimp
import pytest
from conftest import REPO

PACKAGE = REPO / "congkhai"
# From the top (the command line) down to the model: a package may import only those below it.
LAYERS = ["congkhai.cli", "congkhai.authoring", "congkhai.build", "congkhai.site", "congkhai.rules",
          "congkhai.kinds", "congkhai.config", "congkhai.model"]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("congkhai", exclude_type_checking_imports=True)


def test_imports_only_go_down_the_stages(graph) -> None:
    illegal = graph.find_illegal_dependencies_for_layers(layers=LAYERS)
    assert [(d.importer, d.imported) for d in illegal] == []


def test_the_import_graph_has_no_cycle(graph) -> None:
    cycles = sorted((module, imported) for module in graph.modules
                    for imported in graph.find_modules_directly_imported_by(module)
                    if graph.chain_exists(importer=imported, imported=module))
    assert cycles == []


def test_every_module_belongs_to_a_stage(graph) -> None:
    stages = {layer.rsplit(".", 1)[1] for layer in LAYERS}
    loose = [m for m in graph.modules if m.count(".") >= 1 and m.split(".")[1] not in stages]
    assert loose == []


def test_each_stage_says_what_it_owns_and_may_import() -> None:
    for layer in LAYERS[1:]:
        module = importlib.import_module(layer)
        doc = module.__doc__ or ""
        assert len(doc) > 80 and "May import" in doc, layer


def test_mkdocs_and_material_stay_behind_the_engine(graph) -> None:
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            if any(n.split(".")[0] in ("mkdocs", "material", "properdocs") for n in names):
                importers.add(path.relative_to(REPO).as_posix())
    assert importers == {"congkhai/site/engine.py"}


def test_only_the_config_package_reads_mkdocs_yml() -> None:
    readers = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "load_config(" in text or "extra.get(\"congkhai\")" in text or "read_config(" in text:
            readers.add(path.relative_to(REPO).as_posix())
    # config reads the portal settings; the engine loads MkDocs' own configuration; nothing else reads it
    assert readers <= {"congkhai/config/__init__.py", "congkhai/site/engine.py"}


def test_no_function_is_too_long_to_read() -> None:
    long = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno > 75:
                long.append(f"{path.relative_to(REPO)}:{node.name} ({node.end_lineno - node.lineno + 1})")
    assert long == []
