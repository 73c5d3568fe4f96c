"""plan2rdf: local government ICT action plans as a validated, linked, queryable knowledge graph.

The public verbs, one per stage, are importable from here (``plan2rdf.read_plan``,
``plan2rdf.build``, ``plan2rdf.validate_files``…). They are loaded on first use, so that
``import plan2rdf`` (and ``plan2rdf --help``) stays instant: rdflib and pyshacl load only with
the stage that needs them. docs/architecture.md says which package owns what.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from plan2rdf.version import __version__

# public name → the module that defines it (the stage's package). A stage whose verb has its
# package's name (derive, publish) is not listed: `plan2rdf.publish` is the package, and
# `from plan2rdf.publish import publish` the verb.
_EXPORTS = {
    "read_plan": "plan2rdf.read",
    "build_graph": "plan2rdf.graph",
    "BuildSettings": "plan2rdf.settings",
    "graph_of": "plan2rdf.pipeline",
    "build": "plan2rdf.pipeline",
    "build_corpus": "plan2rdf.pipeline",
    "build_site": "plan2rdf.pipeline",
    "validate_graph": "plan2rdf.validate",
    "validate_files": "plan2rdf.validate",
    "load_rdflib": "plan2rdf.rdfio",
    "load_oxigraph": "plan2rdf.rdfio",
    "load_catalogue": "plan2rdf.query",
    "make_engine": "plan2rdf.query",
    "run": "plan2rdf.query",
    "diff_plans": "plan2rdf.diff",
}

__all__ = [
    "BuildSettings",
    "__version__",
    "build",
    "build_corpus",
    "build_graph",
    "build_site",
    "diff_plans",
    "graph_of",
    "load_catalogue",
    "load_oxigraph",
    "load_rdflib",
    "make_engine",
    "read_plan",
    "run",
    "validate_files",
    "validate_graph",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ loads them lazily
    from plan2rdf.diff import diff_plans
    from plan2rdf.graph import build_graph
    from plan2rdf.pipeline import build, build_corpus, build_site, graph_of
    from plan2rdf.query import load_catalogue, make_engine, run
    from plan2rdf.rdfio import load_oxigraph, load_rdflib
    from plan2rdf.read import read_plan
    from plan2rdf.settings import BuildSettings
    from plan2rdf.validate import validate_files, validate_graph


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'plan2rdf' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
